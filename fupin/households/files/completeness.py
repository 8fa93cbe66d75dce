"""The household file's completeness, kept on the household row so roll-ups are one grouped scan.

Derived data: recomputed inside the transaction of every change that can alter it (a document
filed or removed, a measure added, a status or attribute changed by an import).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.utils import timezone

from fupin.households.files import checklist
from fupin.households.files.checklist import Facts
from fupin.households.models import AssistanceMeasure, Household, HouseholdDocument
from fupin.regions.selectors import campaign_end_years

REFRESH_CHUNK = 2000


def this_year() -> int:
    return timezone.localdate().year


def facts_of(
    household: Household,
    measures: Iterable[str],
    end_years: Mapping[str, int | None] | None = None,
) -> Facts:
    """The household's facts; `end_years` (village code → campaign end year, from
    `end_years_of`) saves a query per household when many are read."""
    if end_years is None or household.village_id not in end_years:
        end_years = campaign_end_years([household.village_id])
    return Facts(
        status=household.status,
        attribute=household.attribute,
        main_cause=household.main_cause,
        identified_year=household.identified_year,
        exit_year=household.exit_year,
        measures=frozenset(measures),
        campaign_end_year=end_years[household.village_id],
    )


def end_years_of(households: Iterable[Household]) -> dict[str, int | None]:
    return campaign_end_years({h.village_id for h in households})


def summary_columns(facts: Facts, present: set[tuple[int, int | None]]) -> dict[str, Any]:
    """The completeness columns of a household with these facts and documents."""
    wanted = checklist.needs(facts, this_year())
    lacking = checklist.missing(wanted, present)
    return {
        "docs_required": len(wanted),
        "docs_missing": len(lacking),
        "missing_mask": checklist.mask(lacking),
        "file_complete": bool(wanted) and not lacking,
    }


@cache
def empty_file_columns(facts: Facts, year: int) -> dict[str, Any]:
    """The same for a household without documents yet (a new one), by its facts and year:
    an import creates hundreds of thousands that share a few dozen kinds of facts."""
    return summary_columns(facts, set())


SUMMARY_FIELDS = ["docs_required", "docs_missing", "missing_mask", "file_complete"]


def file_inputs(
    household_ids: list[int],
) -> tuple[dict[int, set[str]], dict[int, set[tuple[int, int | None]]]]:
    """The measure kinds and (type, year) of the documents of these households."""
    measures: dict[int, set[str]] = defaultdict(set)
    for hid, kind in AssistanceMeasure.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "kind"
    ):
        measures[hid].add(kind)
    present: dict[int, set[tuple[int, int | None]]] = defaultdict(set)
    for hid, number, year in HouseholdDocument.objects.filter(
        file__household_id__in=household_ids
    ).values_list("file__household_id", "number", "year"):
        present[hid].add((number, year))
    return measures, present


def files_refresh(household_ids: Iterable[int]) -> int:
    """Recompute completeness for these households; derived data, so no audit row of its own."""
    ids = list(household_ids)
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        measures, present = file_inputs(chunk)
        households = list(Household.objects.filter(pk__in=chunk))
        ends = end_years_of(households)
        for household in households:
            facts = facts_of(household, measures[household.pk], ends)
            for name, value in summary_columns(facts, present[household.pk]).items():
                setattr(household, name, value)
        Household.objects.bulk_update(households, SUMMARY_FIELDS, batch_size=REFRESH_CHUNK)
    return len(ids)


def exit_lacking(household: Household) -> list[checklist.Need]:
    """What the exit acceptance would find missing (the exit form and the exit year's papers)."""
    measures, present = file_inputs([household.pk])
    facts = facts_of(household, measures[household.pk])
    return checklist.missing(checklist.exit_needs(facts, this_year()), present[household.pk])


# What a household owes when it owes no file at all (清退).
OWED_NOTHING = {"docs_required": 0, "docs_missing": 0, "missing_mask": 0, "file_complete": False}


class ImportedFiles:
    """The completeness columns as an import writes them (registry/hooks.py): one per pass,
    which reads each village's campaign end once."""

    def __init__(self) -> None:
        self.year = this_year()
        self.end_years: dict[str, int | None] = {}

    def new(self, households: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # The villages' campaign ends in one query for those not read before: a query per
        # village kept the import's main thread waiting on its reading threads' GIL.
        if villages := {h["village_id"] for h in households} - self.end_years.keys():
            self.end_years.update(campaign_end_years(villages))
        return [
            empty_file_columns(
                Facts(
                    status=household["status"],
                    attribute=household["attribute"],
                    main_cause=household["main_cause"],
                    identified_year=household["identified_year"],
                    exit_year=None,
                    measures=frozenset(),
                    campaign_end_year=self.end_years[household["village_id"]],
                ),
                self.year,
            )
            for household in households
        ]

    def refresh(self, household_ids: Iterable[int]) -> None:
        files_refresh(household_ids)

    def owed_nothing(self) -> dict[str, Any]:
        return dict(OWED_NOTHING)


def files_refresh_under(code: str) -> int:
    """Recompute the files of every household under a region (its campaign's end changed)."""
    ids = Household.objects.filter(village__code__startswith=code).values_list("pk", flat=True)
    return files_refresh(ids.iterator())
