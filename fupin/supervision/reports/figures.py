"""The figures of a quarterly report: a small registry of named aggregate queries.

Each figure counts rows of one kind and says which field places a row at a unit (or only at
a village, for household figures) and at a region, so the same definition computes a
unit's figure, every region's own figure in one GROUP BY, and lists the rows behind a
figure (trace-down). Adding a figure is one entry here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fupin.custody.models import CheckStatus, InventoryCheck, Placement, Reading, Room
from fupin.disposal.models import Certificate, WalkIn
from fupin.disposal.selectors import kept_items
from fupin.households.models import (
    ChangeKind,
    Household,
    HouseholdChange,
    HouseholdStatus,
    IdentifiedBasis,
)
from fupin.households.registry import sheet
from fupin.objects.models import EventOutcome, EventType, PreservationEvent, StoredObject
from fupin.records.models import Box, ItemFile, ItemStatus, RecordItem, Volume
from fupin.regions.models import Region, Unit, UnitKind
from fupin.scans.models import ScanPage
from fupin.schedule.retention import ending_by_q
from fupin.supervision.models import GuidanceVisit, OrderStatus, RectificationOrder
from fupin.transfer.models import Batch, BatchStatus, Holding
from fupin.use.models import Loan, RequestStatus, UseRequest

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    measure: str
    rows: Callable[[Span], QuerySet]
    region_field: str
    # None: the figure belongs to villages (households), not to units.
    unit_field: str | None
    distinct: bool = False
    # Set: the figure adds up this field (bytes) instead of counting rows.
    total_of: str | None = None

    def _count(self) -> Count | Coalesce:
        if self.total_of:
            return Coalesce(Sum(self.total_of), 0)
        return Count("pk", distinct=self.distinct)

    def by_region(self, span: Span, prefix: str, exact: bool = False) -> dict[str, int]:
        """Each region's own figure (rows placed exactly there), for all regions under prefix."""
        lookup = self.region_field if exact else f"{self.region_field}__startswith"
        rows = self.rows(span).filter(**{lookup: prefix})
        grouped = rows.order_by().values(self.region_field).annotate(n=self._count())
        return {code: n for code, n in grouped.values_list(self.region_field, "n")}

    def by_unit(self, span: Span, unit_ids: Iterable[int]) -> dict[int, int]:
        if self.unit_field is None:
            return {}
        rows = self.rows(span).filter(**{f"{self.unit_field}__in": list(unit_ids)})
        grouped = rows.order_by().values(self.unit_field).annotate(n=self._count())
        return {uid: n for uid, n in grouped.values_list(self.unit_field, "n")}

    def trace(self, span: Span, *, region_code: str = "", unit_id: int | None = None) -> QuerySet:
        """The rows that make a region's own figure, or a unit's."""
        if unit_id is not None:
            if self.unit_field is None:
                return self.rows(span).none()
            return self.rows(span).filter(**{self.unit_field: unit_id})
        rows = self.rows(span).filter(**{self.region_field: region_code})
        return rows.distinct() if self.distinct else rows


def _changes(kind: str) -> Callable[[Span], QuerySet]:
    return lambda span: HouseholdChange.objects.filter(
        kind=kind, at__gte=span[0], at__lt=span[1]
    ).select_related("household")


def _identified(span: Span) -> QuerySet:
    """Households identified this quarter: new in a village already registered, or taken back
    after 清退. A village's first registration sheet loads households identified years ago:
    loading them is not identifying them."""
    return _changes(ChangeKind.IDENTIFIED)(span).filter(
        Q(household__identified_basis=IdentifiedBasis.IDENTIFIED) | Q(field=sheet.STATUS_LABEL)
    )


def _items(**filters: object) -> Callable[[Span], QuerySet]:
    return lambda span: RecordItem.objects.filter(**filters)


def _scanned(span: Span) -> QuerySet:
    return RecordItem.objects.filter(Exists(ScanPage.objects.filter(item=OuterRef("pk"))))


def _owed_files() -> QuerySet:
    return Household.objects.exclude(status=HouseholdStatus.REMOVED)


def _granted(span: Span) -> QuerySet:
    return UseRequest.objects.filter(
        status=RequestStatus.APPROVED, decided_at__gte=span[0], decided_at__lt=span[1]
    )


def _lent(span: Span) -> QuerySet:
    first, last = (timezone.localtime(t).date() for t in span)
    return Loan.objects.filter(lent_on__gte=first, lent_on__lt=last)


def _open_orders(span: Span) -> QuerySet:
    still_open = Q(closed_at__isnull=True) | Q(closed_at__gte=span[1])
    return RectificationOrder.objects.filter(still_open, opened_at__lt=span[1])


_UNIT = {"region_field": "unit__region__code", "unit_field": "unit_id"}
_VILLAGE = {"region_field": "household__village__code", "unit_field": None}

FIGURES: tuple[Figure, ...] = (
    Figure(
        "units",
        "应归档单位",
        "个",
        lambda s: Unit.objects.filter(active=True),
        "region__code",
        "pk",
    ),
    Figure(
        "units_filed",
        "已归档单位",
        "个",
        lambda s: Unit.objects.filter(active=True, items__status=ItemStatus.LOCKED),
        "region__code",
        "pk",
        distinct=True,
    ),
    Figure(
        "households",
        "建档立卡贫困户",
        "户",
        lambda s: Household.objects.exclude(status=HouseholdStatus.REMOVED),
        "village__code",
        None,
    ),
    Figure(
        "households_with_file",
        "已建一户一档",
        "户",
        lambda s: _owed_files().filter(file__isnull=False),
        "village__code",
        None,
    ),
    Figure(
        "households_complete",
        "一户一档齐全",
        "户",
        lambda s: _owed_files().filter(file_complete=True),
        "village__code",
        None,
    ),
    Figure("items", "文件", "件", _items(), **_UNIT),
    Figure("items_locked", "已归档文件", "件", _items(status=ItemStatus.LOCKED), **_UNIT),
    Figure("volumes", "案卷", "卷", lambda s: Volume.objects.all(), **_UNIT),
    Figure("boxes", "档案盒", "盒", lambda s: Box.objects.all(), **_UNIT),
    Figure("photos", "照片", "张", _items(category="ZP"), **_UNIT),
    Figure("audio_video", "录音录像", "件", _items(category__in=["LY", "LX"]), **_UNIT),
    Figure(
        "scanned_pages",
        "扫描页",
        "页",
        lambda s: ScanPage.objects.all(),
        "item__unit__region__code",
        "item__unit_id",
    ),
    Figure("items_scanned", "已数字化文件", "件", _scanned, **_UNIT),
    Figure("newly_identified", "本季度新识别户", "户", _identified, **_VILLAGE),
    Figure("returned", "本季度返贫户", "户", _changes(ChangeKind.RETURNED), **_VILLAGE),
    Figure("exited", "本季度脱贫户", "户", _changes(ChangeKind.EXITED), **_VILLAGE),
    Figure("removed", "本季度清退户", "户", _changes(ChangeKind.REMOVED), **_VILLAGE),
    Figure("lookups_granted", "本季度利用：批准查阅", "人次", _granted, **_UNIT),
    Figure("lookups_lent", "本季度利用：借出原件", "人次", _lent, **_UNIT),
    Figure("orders_open", "未完成整改", "项", _open_orders, **_UNIT),
    Figure(
        "orders_closed",
        "本季度完成整改",
        "项",
        lambda s: RectificationOrder.objects.filter(
            status=OrderStatus.CLOSED, closed_at__gte=s[0], closed_at__lt=s[1]
        ),
        **_UNIT,
    ),
)


# —— Storage (custody stream): rooms, boxes on shelves or not, conditions out of range and
# inventory checks done in the quarter. Rooms and checks belong to the room's unit. ——
def _shelved(span: Span) -> QuerySet:
    return Box.objects.filter(Exists(Placement.objects.filter(box=OuterRef("pk"))))


def _unshelved(span: Span) -> QuerySet:
    return Box.objects.exclude(Exists(Placement.objects.filter(box=OuterRef("pk"))))


def _readings_out(span: Span) -> QuerySet:
    return Reading.objects.filter(out_of_range=True, taken_at__gte=span[0], taken_at__lt=span[1])


def _checks_done(span: Span) -> QuerySet:
    return InventoryCheck.objects.filter(
        status=CheckStatus.FINISHED, finished_at__gte=span[0], finished_at__lt=span[1]
    )


_ROOM = {"region_field": "room__unit__region__code", "unit_field": "room__unit_id"}
CUSTODY_FIGURES = (
    Figure("rooms", "档案库房", "个", lambda s: Room.objects.all(), **_UNIT),
    Figure("boxes_shelved", "已上架档案盒", "盒", _shelved, **_UNIT),
    Figure("boxes_unshelved", "未上架档案盒", "盒", _unshelved, **_UNIT),
    Figure("readings_out", "本季度库房温湿度超限或八防不合格", "次", _readings_out, **_ROOM),
    Figure("inventory_checks", "本季度完成盘点", "次", _checks_done, **_ROOM),
)
FIGURES += CUSTODY_FIGURES
# —— end of the storage figures ——


# ---- Appraisal and destruction (fupin.disposal): counted by the one retention rule.


def _expired(span: Span) -> QuerySet:
    last_day = timezone.localtime(span[1]).date() - timedelta(days=1)
    return kept_items().filter(ending_by_q(last_day, retention_field="kept"))


def _destroyed(span: Span) -> QuerySet:
    return RecordItem.objects.filter(destroyed_at__gte=span[0], destroyed_at__lt=span[1])


def _walkins(span: Span) -> QuerySet:
    return WalkIn.objects.filter(registered_at__gte=span[0], registered_at__lt=span[1])


def _certificates(span: Span) -> QuerySet:
    return Certificate.objects.filter(issued_at__gte=span[0], issued_at__lt=span[1])


FIGURES += (
    Figure("records_expired", "保管期限已满待鉴定档案", "件", _expired, **_UNIT),
    Figure("records_destroyed", "本季度销毁档案", "件", _destroyed, **_UNIT),
    Figure("lookups_walkin", "本季度利用：查档登记", "人次", _walkins, **_UNIT),
    Figure("lookups_certificates", "本季度利用：出具档案证明", "份", _certificates, **_UNIT),
)


# ---- Keeping electronic files (fupin.objects): fixity checks that found a copy damaged or
# missing in the quarter (repaired or not), placed at the units that captured the file.
def _fixity_failed(span: Span) -> QuerySet:
    failed = PreservationEvent.objects.filter(
        object=OuterRef("pk"),
        type=EventType.FIXITY,
        outcome=EventOutcome.FAILURE,
        at__gte=span[0],
        at__lt=span[1],
    )
    return StoredObject.objects.filter(Exists(failed))


FIGURES += (
    Figure(
        "files_fixity_failed",
        "本季度固定性检查发现损坏或缺失的电子文件",
        "个",
        _fixity_failed,
        region_field="captures__unit__region__code",
        unit_field="captures__unit_id",
        distinct=True,
    ),
)


# ---- Transfer to the archives (fupin.transfer): due from the campaign's end (inherited by
# region), done when an archives has accepted a batch of the unit.


def _campaign_settings() -> list[tuple[str, object]]:
    rows = Region.objects.filter(campaign_ended_on__isnull=False).order_by("code")
    return list(rows.values_list("code", "transfer_due_on"))


def _under(codes: list[str], field: str = "region__code") -> Q:
    parts = [Q(**{f"{field}__startswith": c}) for c in codes]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _units_due(span: Span) -> QuerySet:
    codes = [code for code, _due in _campaign_settings()]
    return Unit.objects.filter(_under(codes), active=True).exclude(kind=UnitKind.ARCHIVES)


def _transferred_units() -> QuerySet:
    return Batch.objects.filter(status=BatchStatus.ACCEPTED).values("unit_id")


def _units_transferred(span: Span) -> QuerySet:
    return Unit.objects.filter(pk__in=_transferred_units())


def _units_overdue(span: Span) -> QuerySet:
    """Units whose nearest campaign setting has a transfer deadline before the quarter's end,
    with no batch accepted yet."""
    last_day = timezone.localtime(span[1]).date() - timedelta(days=1)
    settings = _campaign_settings()
    late = [
        code
        for code, due in settings
        if due is not None and due < last_day  # type: ignore[operator]
    ]
    # A lower setting overrides: exclude regions under a late one that set their own.
    own = [code for code, _due in settings]
    q = Q(pk__in=[])
    for code in late:
        lower = [c for c in own if c != code and c.startswith(code)]
        part = Q(region__code__startswith=code)
        if lower:
            part &= ~_under(lower)
        q |= part
    due = Unit.objects.filter(q, active=True).exclude(kind=UnitKind.ARCHIVES)
    return due.exclude(pk__in=_transferred_units())


def _held(span: Span, kind: str) -> QuerySet:
    return Holding.objects.filter(
        **{f"{kind}__isnull": False}, accepted_at__gte=span[0], accepted_at__lt=span[1]
    )


def _bytes_transferred(span: Span) -> QuerySet:
    return ItemFile.objects.filter(item_id__in=_held(span, "item").values("item_id"))


_ORIGIN = {"region_field": "original_unit__region__code", "unit_field": "original_unit_id"}
FIGURES += (
    Figure("units_due", "应移交进馆单位", "个", _units_due, "region__code", "pk"),
    Figure("units_transferred", "已移交进馆单位", "个", _units_transferred, "region__code", "pk"),
    Figure("units_overdue", "逾期未移交单位", "个", _units_overdue, "region__code", "pk"),
    Figure("items_transferred", "本季度移交进馆文件", "件", lambda s: _held(s, "item"), **_ORIGIN),
    Figure(
        "volumes_transferred", "本季度移交进馆案卷", "卷", lambda s: _held(s, "volume"), **_ORIGIN
    ),
    Figure(
        "bytes_transferred",
        "本季度移交进馆电子文件",
        "字节",
        _bytes_transferred,
        "item__unit__region__code",
        "item__unit_id",
        total_of="object__size",
    ),
)


# ---- Guidance visits (指导服务) of the archive bureau, placed at the unit's region or the village.
def _guided(span: Span) -> QuerySet:
    first, last = (timezone.localtime(t).date() for t in span)
    return GuidanceVisit.objects.filter(visited_on__gte=first, visited_on__lt=last)


FIGURES += (Figure("guidance_visits", "本季度指导服务", "次", _guided, "region__code", "unit_id"),)
BY_KEY = {f.key: f for f in FIGURES}


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    numerator: str
    denominator: str

    def value(self, figures: dict[str, int]) -> float | None:
        below = figures.get(self.denominator, 0)
        return round(figures.get(self.numerator, 0) / below, 4) if below else None


RATIOS = (
    Ratio("digitised_share", "数字化比例", "items_scanned", "items"),
    Ratio("complete_share", "一户一档完整率", "households_complete", "households"),
)


@dataclass(frozen=True)
class Entered:
    """A figure only people know, typed into the report; numbers add up the levels."""

    key: str
    label: str
    numeric: bool = True


ENTERED = (
    Entered("archive_staff", "档案工作人员（人）"),
    Entered("training_sessions", "培训（次）"),
    Entered("storage", "档案保管条件", numeric=False),
)


def zero() -> dict[str, int]:
    return {f.key: 0 for f in FIGURES}


def add_into(total: dict[str, int], part: dict[str, int]) -> None:
    for key in total:
        total[key] += int(part.get(key, 0))
