"""Completeness read out: per household (what is present and missing, by stage and year) and
rolled up per region level, always inside the reader's scope."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.db.models.lookups import GreaterThan

from fupin import printing
from fupin.accounts.access import access_region, user_scope
from fupin.accounts.roles import Cap
from fupin.households.files import checklist
from fupin.households.files.checklist import MEASURE_LABELS, STAGE_LABELS, TYPES, Need
from fupin.households.files.completeness import (
    end_years_of,
    exit_lacking,
    facts_of,
    file_inputs,
    this_year,
)
from fupin.households.models import (
    Household,
    HouseholdDocument,
    HouseholdFile,
    HouseholdStatus,
)
from fupin.households.registry.selectors import shown_phone, visible_households
from fupin.regions.models import CODE_LENGTH, LEVEL_BY_LENGTH, Level, Region

LISTED_CHUNK = 2000


@dataclass
class Tally:
    code: str
    name: str
    households: int = 0
    complete: int = 0
    missing_by_type: dict[int, int] = field(default_factory=dict)

    @property
    def incomplete(self) -> int:
        return self.households - self.complete

    @property
    def rate(self) -> float:
        return self.complete / self.households if self.households else 0.0

    @property
    def rate_label(self) -> str:
        return f"{self.rate:.1%}" if self.households else "—"

    def missing_in_order(self) -> list[int]:
        return [self.missing_by_type.get(t.number, 0) for t in TYPES]


def owed_files(actor: Any) -> QuerySet[Household]:
    """Households that must have a file: registered and not removed as wrongly identified."""
    return visible_households(actor).exclude(status=HouseholdStatus.REMOVED)


def _type_counts() -> dict[str, Count]:
    return {
        f"t{t.number}": Count(
            "pk", filter=Q(GreaterThan(F("missing_mask").bitand(1 << t.number), 0))
        )
        for t in TYPES
    }


def completeness_rollup(actor: Any, code: str) -> tuple[Region, Tally, list[Tally]]:
    """The region's totals and one row per child region (villages: per village)."""
    region = access_region(actor, code)
    level = Level(region.level)
    inside = owed_files(actor).filter(village__code__startswith=region.code)
    totals = inside.aggregate(
        households=Count("pk"), complete=Count("pk", filter=Q(file_complete=True)), **_type_counts()
    )
    total = _tally(region.code, region.name, totals)
    if level == Level.VILLAGE:
        return region, total, []
    width = CODE_LENGTH[_child_level(level)]
    grouped = (
        inside.annotate(prefix=Substr("village_id", 1, width))
        .values("prefix")
        .annotate(
            households=Count("pk"),
            complete=Count("pk", filter=Q(file_complete=True)),
            **_type_counts(),
        )
        .order_by("prefix")
    )
    rows: list[dict[str, Any]] = [dict(r) for r in grouped]
    names = dict(
        Region.objects.filter(code__in=[r["prefix"] for r in rows]).values_list("code", "name")
    )
    return (
        region,
        total,
        [_tally(str(r["prefix"]), names.get(r["prefix"], str(r["prefix"])), r) for r in rows],
    )


def _child_level(level: Level) -> Level:
    order = list(CODE_LENGTH)
    return order[order.index(level) + 1]


def _tally(code: str, name: str, values: dict[str, Any]) -> Tally:
    return Tally(
        code=code,
        name=name,
        households=values["households"] or 0,
        complete=values["complete"] or 0,
        missing_by_type={t.number: values[f"t{t.number}"] or 0 for t in TYPES},
    )


def households_by_missing(actor: Any, code: str = "") -> QuerySet[Household]:
    """The to-do order: most documents missing first."""
    found = owed_files(actor).filter(docs_missing__gt=0)
    if code:
        found = found.filter(village__code__startswith=code)
    return found.order_by("-docs_missing", "village_id", "household_no")


@dataclass(frozen=True)
class ChecklistLine:
    number: int
    name: str
    stage: str
    yearly: bool
    required: list[Need]
    missing: list[Need]
    documents: list[HouseholdDocument]

    @property
    def state(self) -> str:
        if not self.required:
            return "不需要" if not self.documents else "已归档"
        return "缺" if self.missing else "齐全"


def household_checklist(household: Household) -> list[ChecklistLine]:
    """The 15 types in the annex's order, with what is required, present and missing."""
    kinds = set(household.measures.values_list("kind", flat=True))
    wanted = checklist.needs(facts_of(household, kinds), this_year())
    documents = list(
        HouseholdDocument.objects.filter(file__household=household).select_related("item")
    )
    present: set[tuple[int, int | None]] = {(d.number, d.year) for d in documents}
    lacking = checklist.missing(wanted, present)
    lines = []
    for doc in TYPES:
        lines.append(
            ChecklistLine(
                number=doc.number,
                name=doc.name,
                stage=STAGE_LABELS[doc.stage],
                yearly=doc.yearly,
                required=[n for n in wanted if n.number == doc.number],
                missing=[n for n in lacking if n.number == doc.number],
                documents=[d for d in documents if d.number == doc.number],
            )
        )
    return lines


def missing_labels(households: Iterable[Household]) -> Iterator[tuple[Household, list[str]]]:
    """Each household with the labels of what it lacks, read in chunks (for to-do lists)."""
    chunk: list[Household] = []
    for household in households:
        chunk.append(household)
        if len(chunk) == LISTED_CHUNK:
            yield from _labelled(chunk)
            chunk = []
    yield from _labelled(chunk)


def _labelled(chunk: list[Household]) -> Iterator[tuple[Household, list[str]]]:
    kinds, present = file_inputs([h.pk for h in chunk])
    year = this_year()
    ends = end_years_of(chunk)
    for household in chunk:
        wanted = checklist.needs(facts_of(household, kinds[household.pk], ends), year)
        yield household, [n.label for n in checklist.missing(wanted, present[household.pk])]


def level_label(code: str) -> str:
    return Level(LEVEL_BY_LENGTH[len(code)]).label


def file_overview(actor: Any, household: Household, reveal: bool = False) -> dict[str, Any]:
    """What the household page shows of the file: checklist, assistance, exit acceptance."""
    scope = user_scope(actor)
    officers = [(o, shown_phone(o.phone, reveal)) for o in household.officers.all()]
    lines = household_checklist(household)
    return {
        "file": HouseholdFile.objects.filter(household=household).select_related("volume").first(),
        "checklist": lines,
        "exit_missing": exit_lacking(household)
        if household.status in checklist.EXITED_STATUSES
        else [],
        "officers": officers,
        "measures": list(household.measures.all()),
        "incomes": list(household.incomes.all()),
        "relocation": list(household.relocation.select_related("item")),
        "can_write": scope.covers_region(Cap.DATA_WRITE, household.village_id),
        "can_accept": scope.covers_region(Cap.EXIT_ACCEPT, household.village_id)
        and household.status in checklist.EXITED_STATUSES,
        "measure_labels": MEASURE_LABELS,
    }


def todo_entries(households: QuerySet[Household]) -> list[printing.HouseholdTodo]:
    listed = missing_labels(households.select_related("village", "village__parent"))
    return [
        printing.HouseholdTodo(
            township=h.village.parent.name if h.village.parent else "",
            village=h.village.name,
            household_no=h.household_no,
            head_name=h.head_name,
            status=h.get_status_display(),
            required=h.docs_required,
            missing=h.docs_missing,
            missing_labels="、".join(labels),
        )
        for h, labels in listed
    ]
