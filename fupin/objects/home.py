"""The custodian's home panel: stored files whose last fixity check found a copy damaged or
missing that could not be repaired from the other store."""

from typing import Any

from django.db.models import Prefetch

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.objects.models import CaptureEvent
from fupin.objects.selectors import visible_objects
from fupin.objects.stores import replica_configured

MAX_SHOWN = 20


def home_panel(actor: Any) -> dict[str, Any] | None:
    if not user_scope(actor).has(Cap.DATA_WRITE):
        return None
    failing = visible_objects(actor, Cap.DATA_WRITE).exclude(fixity_problem="")
    count = failing.count()
    if not count:
        return None
    first_capture = Prefetch(
        "captures", queryset=CaptureEvent.objects.order_by("pk"), to_attr="capture_list"
    )
    shown = failing.order_by("-fixity_checked_at").prefetch_related(first_capture)[:MAX_SHOWN]
    return {
        "template": "objects/home_panel.html",
        "count": count,
        "rows": [
            {
                "object": obj,
                "filename": obj.capture_list[0].filename if obj.capture_list else "（缩略图）",
            }
            for obj in shown
        ],
        "replica": replica_configured(),
    }
