"""Reads of households, always through the access layer; personal numbers masked unless revealed."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.households.models import ChangeKind, Household, HouseholdChange, ImportBatch, Person
from fupin.households.registry import idcard, sheet

PHONE_FIELD = sheet.LABELS["phone"]


def visible_households(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[Household]:
    q = user_scope(actor).region_q(cap, "village__code")
    return Household.objects.filter(q).select_related("village", "village__parent")


def search_households(
    actor: Any, text: str = "", village: str = "", status: str = ""
) -> QuerySet[Household]:
    found = visible_households(actor)
    if text:
        found = found.filter(Q(head_name__contains=text) | Q(household_no__startswith=text))
    if village:
        found = found.filter(village__code__startswith=village)
    if status:
        found = found.filter(status=status)
    return found.order_by("household_no")


def access_household(actor: Any, household_id: int) -> Household:
    household = visible_households(actor).filter(pk=household_id).first()
    if household is None:
        raise Http404("未找到该户，或不在您的管辖范围内。")
    return household


def can_reveal(actor: Any, household: Household) -> bool:
    return user_scope(actor).covers_region(Cap.PERSONAL_READ, household.village_id)


def household_members(household: Household) -> QuerySet[Person]:
    return Person.objects.filter(household=household).order_by("person_no")


def household_history(household: Household) -> QuerySet[HouseholdChange]:
    return HouseholdChange.objects.filter(household=household).select_related("batch")


BATCH_NOT_FOUND = "未找到该导入批次，或不在您的管辖范围内。"


def access_batch(
    actor: Any, batch_id: int
) -> tuple[ImportBatch, QuerySet[HouseholdChange], dict[str, Any]]:
    """A batch, the changes it made that the actor may see, and the totals of those changes
    only. A batch with nothing in the actor's scope answers exactly as one that never was."""
    scope = user_scope(actor)
    changes = HouseholdChange.objects.filter(
        scope.region_q(Cap.DATA_READ, "household__village__code"), batch_id=batch_id
    )
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or not changes.exists():
        raise Http404(BATCH_NOT_FOUND)
    by_kind = dict(changes.order_by().values_list("kind").annotate(n=Count("pk")))
    totals = {
        "households": changes.order_by().values("household_id").distinct().count(),
        "changes": {
            label: by_kind[kind] for kind, label in ChangeKind.choices if by_kind.get(kind)
        },
        # The sheet's own figures only to a reader whose scope holds all of it.
        "whole_batch": bool(batch.region_code)
        and scope.covers_region(Cap.DATA_READ, batch.region_code),
    }
    ordered = changes.select_related("household").order_by("household__household_no", "pk")
    return batch, ordered, totals


def shown_id(id_number: str, reveal: bool) -> str:
    return id_number if reveal else idcard.mask(id_number)


def shown_phone(phone: str, reveal: bool) -> str:
    return phone if reveal or not phone else idcard.mask_phone(phone)


def member_values(person: Person, reveal: bool = False) -> dict[str, Any]:
    """A member's sheet columns by field, personal numbers masked unless revealed."""
    values = {c.field: getattr(person, c.field) for c in sheet.PERSON_COLUMNS}
    for column in sheet.PERSON_COLUMNS:
        if column.masked:
            values[column.field] = shown_id(values[column.field], reveal)
    return values


def member_table(members: Iterable[Person], reveal: bool = False) -> dict[str, Any]:
    """The member table as the sheet has it: its headers, and each member's cells as shown."""
    masked = [c.masked for c in sheet.PERSON_COLUMNS]
    rows = [
        list(zip((sheet.shown(v) for v in member_values(p, reveal).values()), masked, strict=True))
        for p in members
    ]
    return {"header": [c.label for c in sheet.PERSON_COLUMNS], "rows": rows}


def shown_change_value(change: HouseholdChange, value: str, reveal: bool = False) -> str:
    return shown_phone(value, reveal) if change.field == PHONE_FIELD else value
