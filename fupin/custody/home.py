"""The custodian's home panel: rooms whose latest conditions were out of range, rooms not
checked lately, boxes not on a shelf yet."""

import datetime
from typing import Any

from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.custody.selectors import conditions, unplaced_boxes, visible_rooms

# A room whose conditions nobody logged for this long is reminded of.
STALE_DAYS = 30
MAX_ROOMS = 50


def home_panel(actor: Any) -> dict[str, Any] | None:
    if not user_scope(actor).has(Cap.DATA_WRITE):
        return None
    rooms = list(visible_rooms(actor, Cap.DATA_WRITE)[:MAX_ROOMS])
    unplaced = unplaced_boxes(actor).count()
    if not rooms and not unplaced:
        return None
    rows = conditions(rooms)
    since = timezone.now() - datetime.timedelta(days=STALE_DAYS)
    return {
        "template": "custody/home_panel.html",
        "alerts": [r for r in rows if r["alerts"]],
        "stale": [r for r in rows if r["reading"] is None or r["reading"].taken_at < since],
        "room_count": len(rooms),
        "unplaced": unplaced,
        "stale_days": STALE_DAYS,
    }
