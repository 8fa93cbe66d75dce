"""Registered households for the demo township, and the files of two of its villages filled to
different degrees, so completeness has something to roll up and the clerk a to-do list."""

import datetime
from pathlib import Path
from random import Random
from tempfile import TemporaryDirectory
from typing import Any

from django.core.exceptions import ValidationError

from fupin.accounts.access import visible_regions
from fupin.core.tabular import write_table
from fupin.demo.generate import REFERENCE_YEAR, HouseholdSheet, Village
from fupin.households.files import checklist, dossier
from fupin.households.files.completeness import facts_of, this_year
from fupin.households.models import Household, OfficerLevel
from fupin.households.registry import sheet
from fupin.households.registry.services import households_import
from fupin.records.models import FondsSettings
from fupin.records.services import class_code_add, fonds_configure
from fupin.regions.models import Level, Region, Unit, UnitKind

HOUSEHOLDS = 240
SEED = 2016
# Measures (and the proof each then calls for) given to every third household.
MEASURES = (
    ("industry", "茶叶种植"),
    ("credit", "扶贫小额贷款 5 万元"),
    ("yulu", "雨露计划职业教育"),
)


def load_demo_households(actor: Any, township: Region, filled: list[Region]) -> int:
    """Import the township's sheet once; fill the files of the `filled` villages."""
    if Household.objects.filter(village__code__startswith=township.code).exists():
        return 0
    villages = visible_regions(actor).filter(level=Level.VILLAGE, code__startswith=township.code)
    made = HouseholdSheet(
        [Village(v.code, v.name, v.is_poor, v.exit_year) for v in villages],
        HOUSEHOLDS,
        SEED,
        {township.code: township.name, township.code[:6]: township.parent.name},
    )
    with TemporaryDirectory(prefix="fupin-demo-") as tmp:
        path = Path(tmp) / "建档立卡.csv"
        write_table(path, sheet.HEADER, made.rows())
        report = households_import(actor=actor, path=path, data_year=REFERENCE_YEAR)
    if not report.ok:
        raise ValidationError([e["message"] for e in report.errors[:5]])
    for village in filled:
        _fill_village(actor, village)
    return report.imported_households


def _committee_fonds(actor: Any, village: Region) -> None:
    committee = Unit.objects.get(region=village, kind=UnitKind.VILLAGE_COMMITTEE)
    if FondsSettings.objects.filter(unit=committee).exists():
        return
    fonds_configure(
        actor=actor,
        unit_id=committee.pk,
        facet="subject",
        code_template="{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}",
    )
    class_code_add(actor=actor, unit_id=committee.pk, code="FP", name="精准扶贫")


def _fill_village(actor: Any, village: Region) -> None:
    """A third complete, a third half done, a third not started; exits accepted when complete."""
    _committee_fonds(actor, village)
    rng = Random(f"{SEED}:{village.code}")
    for index, household in enumerate(Household.objects.filter(village=village)):
        _assist(actor, household, index, rng)
        wanted = checklist.needs(facts_of(household, _kinds(household)), this_year())
        share = (1.0, 0.5, 0.0)[index % 3]
        for need in wanted[: round(len(wanted) * share)]:
            day = datetime.date(need.year or 2016, 4, 1 + index % 28)
            dossier.household_document_add(
                actor=actor, household_id=household.pk, number=need.number, date=day, pages=2
            )
        household.refresh_from_db()
        if household.file_complete and household.status in checklist.EXITED_STATUSES:
            dossier.household_exit_accept(actor=actor, household_id=household.pk)


def _kinds(household: Household) -> set[str]:
    return set(household.measures.values_list("kind", flat=True))


def _assist(actor: Any, household: Household, index: int, rng: Random) -> None:
    dossier.household_officer_add(
        actor=actor,
        household_id=household.pk,
        name=f"帮扶干部{index + 1:02d}",
        unit_name="郧西县扶贫开发办公室",
        unit_level=OfficerLevel.COUNTY,
        start_date=datetime.date(2016, 3, 1),
        phone=f"137{rng.randrange(10**8):08d}",
    )
    if index % 3 == 0:
        kind, project = MEASURES[index // 3 % len(MEASURES)]
        dossier.household_measure_add(
            actor=actor, household_id=household.pk, kind=kind, year=2016, project=project,
            funds=rng.choice((2000, 5000, 50000)),
        )  # fmt: skip
    dossier.household_income_set(
        actor=actor,
        household_id=household.pk,
        year=2016,
        wages=rng.randrange(3000, 12000),
        business=rng.randrange(0, 4000),
        transfers=rng.randrange(500, 3000),
    )
