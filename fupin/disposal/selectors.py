"""Reads of appraisal, destruction and opening, through the access layer.

Custody (who appraises and destroys a fonds' records): the archivists who write its records
— a unit's archivist, the village's, the township's for its villages — and, for what the
archives received, the archives' receivers. Reading alone (a poverty office, an inspector)
never makes one a custodian.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.disposal.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalStatus,
    Certificate,
    Hold,
    Register,
    RegisterEntry,
    RegisterStatus,
    WalkIn,
)
from fupin.records.models import ItemStatus, RecordItem, kept_retention
from fupin.regions.models import Unit, UnitKind
from fupin.schedule import retention

# Registers whose records are spoken for until the register ends one way or the other.
PENDING_REGISTER = (
    RegisterStatus.DRAFT,
    RegisterStatus.APPROVED,
    RegisterStatus.READY,
    RegisterStatus.DESTROYING,
)


def custody_q(actor: Any, prefix: str = "unit__") -> Q:
    """Rows (items with prefix "unit__", units with "") in the actor's custody."""
    scope = user_scope(actor)
    if scope.everything:
        return Q()
    region = f"{prefix}region__code"
    writers = scope.unit_q(Cap.DATA_WRITE, prefix.removesuffix("__") or "pk", region)
    received = scope.region_q(Cap.RECEIVE, region) & Q(**{f"{prefix}kind": UnitKind.ARCHIVES})
    return writers | received


def custody_units(actor: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(custody_q(actor, "")).select_related("region").order_by("region_id")


def custody_unit(actor: Any, unit_id: int) -> Unit:
    unit = custody_units(actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("未找到该单位，或您不是该单位档案的保管人。")
    return unit


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def kept_items() -> QuerySet[RecordItem]:
    """Archived records still kept (not destroyed), with the retention they are kept under."""
    return RecordItem.objects.filter(status=ItemStatus.LOCKED, destroyed_at__isnull=True).annotate(
        kept=kept_retention()
    )


def expiring_items(actor: Any, *, months: int, today: datetime.date) -> QuerySet[RecordItem]:
    """Records in custody whose keeping ends within `months` (0: already ended), per the one
    retention rule."""
    horizon = add_months(today, max(0, months))
    return (
        kept_items()
        .filter(custody_q(actor), retention.ending_by_q(horizon, retention_field="kept"))
        .select_related("unit", "class_code")
        .order_by("unit__fonds_code", "year", "category", "class_code__code", "item_number")
    )


@dataclass(frozen=True)
class ExpiryGroup:
    unit_id: int
    fonds_code: str
    unit_name: str
    year: int
    retention: str
    class_name: str
    count: int
    ends_on: datetime.date | None


def expiry_groups(items: QuerySet[RecordItem]) -> list[ExpiryGroup]:
    """By fonds, year and class (and the retention, which decides when they end)."""
    rows = (
        items.order_by()
        # `kept` is annotated by the caller's queryset (kept_items); the stubs see only fields.
        .values(  # type: ignore[misc]
            "unit_id", "unit__fonds_code", "unit__name", "year", "kept", "class_code__name"
        )
        .annotate(n=Count("pk"))
        .order_by("unit__fonds_code", "year", "class_code__name", "kept")
    )
    return [
        ExpiryGroup(
            r["unit_id"],
            r["unit__fonds_code"],
            r["unit__name"],
            r["year"],
            r["kept"],
            r["class_code__name"],
            r["n"],
            retention.ends_on(r["year"], r["kept"]),
        )
        for r in rows
    ]


def expiry_counts(actor: Any, today: datetime.date, months: int = 3) -> dict[str, int]:
    """For the home page: ended already, and ending within `months`."""
    ended = kept_items().filter(
        custody_q(actor), retention.ending_by_q(today, retention_field="kept")
    )
    soon = expiring_items(actor, months=months, today=today)
    return {"ended": ended.count(), "soon": soon.count() - ended.count(), "months": months}


def visible_appraisals(actor: Any) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(custody_q(actor)).select_related("unit")


def access_appraisal(actor: Any, appraisal_id: int) -> Appraisal:
    found = visible_appraisals(actor).filter(pk=appraisal_id).first()
    if found is None:
        raise Http404("未找到该鉴定，或不在您的管辖范围内。")
    return found


def visible_registers(actor: Any) -> QuerySet[Register]:
    """Registers of one's custody, and those filed with one's bureau."""
    scope = user_scope(actor)
    filed = scope.region_q(Cap.FILING_ARCHIVE, "unit__region__code")
    if not scope.has(Cap.FILING_ARCHIVE):
        filed = Q(pk__in=[])
    return Register.objects.filter(custody_q(actor) | filed).select_related("unit", "unit__region")


def access_register(actor: Any, register_id: int) -> Register:
    found = visible_registers(actor).filter(pk=register_id).first()
    if found is None:
        raise Http404("未找到该销毁清册，或不在您的管辖范围内。")
    return found


def registers_to_file(actor: Any) -> QuerySet[Register]:
    scope = user_scope(actor)
    if not scope.has(Cap.FILING_ARCHIVE):
        return Register.objects.none()
    q = scope.region_q(Cap.FILING_ARCHIVE, "unit__region__code")
    return Register.objects.filter(q, status=RegisterStatus.APPROVED).select_related("unit")


def visible_holds(actor: Any) -> QuerySet[Hold]:
    scope = user_scope(actor)
    bureau = scope.region_q(Cap.INSPECT, "unit__region__code") if scope.has(Cap.INSPECT) else None
    q = custody_q(actor) | bureau if bureau is not None else custody_q(actor)
    return Hold.objects.filter(q).select_related("unit").prefetch_related("items")


def access_hold(actor: Any, hold_id: int) -> Hold:
    found = visible_holds(actor).filter(pk=hold_id).first()
    if found is None:
        raise Http404("未找到该保全记录，或不在您的管辖范围内。")
    return found


def in_pending_register(item_ids: list[int]) -> dict[int, str]:
    rows = RegisterEntry.objects.filter(
        item_id__in=item_ids, register__status__in=PENDING_REGISTER
    ).values_list("item_id", "register__number")
    return dict(rows)


def open_appraisal_of(item_ids: list[int]) -> dict[int, str]:
    rows = AppraisalEntry.objects.filter(
        item_id__in=item_ids, appraisal__status=AppraisalStatus.OPEN
    ).values_list("item_id", "appraisal__number")
    return dict(rows)


def opening_queue(actor: Any, today: datetime.date) -> QuerySet[RecordItem]:
    """Records the archives holds that reach their opening date (or were marked 开放) and have
    no opening decision yet; household files never come here."""
    from fupin.disposal.models import OpeningDecision
    from fupin.disposal.opening import opening_years
    from fupin.households.models import HouseholdDocument
    from fupin.records.models import AccessMarking, VolumeEntry

    scope = user_scope(actor)
    due = Q(access_marking=AccessMarking.OPEN) | Q(year__lte=today.year - opening_years() - 1)
    return (
        RecordItem.objects.filter(
            scope.region_q(Cap.RECEIVE, "unit__region__code"),
            due,
            unit__kind=UnitKind.ARCHIVES,
            status=ItemStatus.LOCKED,
            destroyed_at__isnull=True,
        )
        .exclude(pk__in=OpeningDecision.objects.values("item_id"))
        .exclude(pk__in=HouseholdDocument.objects.values("item_id"))
        .exclude(
            pk__in=VolumeEntry.objects.filter(volume__household_file__isnull=False).values(
                "item_id"
            )
        )
        .select_related("unit", "class_code")
        .order_by("unit__fonds_code", "year", "reference_code")[:500]
    )


def visible_walkins(actor: Any) -> QuerySet[WalkIn]:
    """查档登记 of the units in one's custody."""
    return WalkIn.objects.filter(custody_q(actor)).select_related("unit", "household")


def visible_certificates(actor: Any) -> QuerySet[Certificate]:
    return Certificate.objects.filter(custody_q(actor)).select_related("unit", "household", "item")


def access_certificate(actor: Any, certificate_id: int) -> Certificate:
    found = visible_certificates(actor).filter(pk=certificate_id).first()
    if found is None:
        raise Http404("未找到该证明，或不在您的管辖范围内。")
    return found


def household_id_by_no(actor: Any, household_no: str) -> int | None:
    from fupin.households.registry.selectors import visible_households

    no = (household_no or "").strip()
    return visible_households(actor).filter(household_no=no).values_list("pk", flat=True).first()


def item_id_by_code(actor: Any, unit_id: int, code: str) -> int | None:
    found = RecordItem.objects.filter(
        custody_q(actor), unit_id=unit_id, reference_code=(code or "").strip()
    )
    return found.values_list("pk", flat=True).first()
