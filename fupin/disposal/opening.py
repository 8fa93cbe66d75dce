"""When a record held by the archives may be opened to the public (开放审核).

By default a record reaches its opening date 30 years after its year, counted like a retention
period from 1 January of the year after (`FUPIN_OPENING_YEARS`); a record the transferring
unit marked 开放 may be reviewed at once. Household files (一户一档) hold personal data and are
never opened; a destroyed record has nothing left to open.
"""

import datetime

from django.conf import settings

from fupin.households.models import HouseholdDocument
from fupin.records.models import AccessMarking, RecordItem, VolumeEntry


def opening_years() -> int:
    return int(getattr(settings, "FUPIN_OPENING_YEARS", 30))


def opening_date(year: int, marking: str | None) -> datetime.date | None:
    """The day a record may be opened; None when the marking opens it already."""
    if marking == AccessMarking.OPEN:
        return None
    return datetime.date(year + opening_years() + 1, 1, 1)


def opening_refusal(item: RecordItem, today: datetime.date) -> tuple[str, str] | None:
    """Why this record cannot be reviewed for opening now: (code, message), or None."""
    if item.destroyed_at is not None:
        return ("destroyed", "已销毁")
    if is_household_record(item):
        return ("household", "一户一档含个人信息，不向社会开放")
    due = opening_date(item.year, item.access_marking)
    if due is not None and due > today:
        return ("not_due", f"开放期为 {due:%Y年%m月%d日}，尚未到期（移交时未划为开放）")
    return None


def is_household_record(item: RecordItem) -> bool:
    if HouseholdDocument.objects.filter(item=item).exists():
        return True
    return VolumeEntry.objects.filter(item=item, volume__household_file__isnull=False).exists()
