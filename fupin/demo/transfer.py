"""The campaign's end in the demo county, and 杨山村 ready to transfer: 郧西县's
poverty-alleviation work ended at the start of this year (the demo's households are dated up to
now, so no yearly paper they hold stops being owed), its records due at 郧西县档案馆 by 30 June
next year; the village committee has numbered and archived its records of the years up to then,
household files whole, so its archivist (cun1) can plan, mark, build and send them and the
archives' receiver (danganguan) can check and take them in."""

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from fupin.households.models import HouseholdFile
from fupin.records.models import ItemStatus, RecordItem, VolumeEntry
from fupin.records.services import items_arrange, items_lock
from fupin.regions.models import Region, Unit
from fupin.regions.services import region_campaign_end_set


def load_demo_transfer(actor: Any, county: Region, committee: Unit) -> None:
    county.refresh_from_db()
    ended = county.campaign_ended_on
    if ended is None:
        today = timezone.localdate()
        ended = date(today.year, 1, 1)
        region_campaign_end_set(
            actor=actor, code=county.code, ended_on=ended,
            transfer_due_on=date(today.year + 1, 6, 30),
        )  # fmt: skip
    # A household file goes whole, with any paper filed in it after the campaign's end.
    in_files = VolumeEntry.objects.filter(
        volume__in=HouseholdFile.objects.values("volume_id")
    ).values("item_id")
    kept = RecordItem.objects.filter(unit=committee, destroyed_at__isnull=True).filter(
        Q(year__lte=ended.year) | Q(pk__in=in_files)
    )
    for year in sorted(set(kept.filter(status=ItemStatus.DRAFT).values_list("year", flat=True))):
        items_arrange(actor=actor, unit_id=committee.pk, year=year)
    ready = list(kept.filter(status=ItemStatus.ARRANGED).values_list("pk", flat=True))
    if ready:
        items_lock(actor=actor, unit_id=committee.pk, item_ids=ready)
