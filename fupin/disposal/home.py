"""The home page's reminder for custodians: records whose keeping has ended or soon ends."""

from typing import Any

from django.utils import timezone

from fupin.disposal.selectors import expiry_counts, registers_to_file


def home_panel(actor: Any) -> dict[str, Any] | None:
    counts = expiry_counts(actor, timezone.localdate(), months=3)
    to_file = registers_to_file(actor).count()
    if not (counts["ended"] or counts["soon"] or to_file):
        return None
    return {"template": "disposal/home_panel.html", **counts, "to_file": to_file}
