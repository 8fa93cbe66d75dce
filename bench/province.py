"""A province-sized data set, bulk-inserted into a throwaway database for benchmarks.

Regions (province → cities → counties → townships → villages), a unit per township and
village and three per county, registered households in every village with some of this
quarter's changes, and record items with scanned pages. `ProvinceSize.scaled(f)` shrinks
it for quick runs. The inserts bypass the services on purpose: this is test data, and what
a benchmark measures is what runs on top of it.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

BATCH = 5000
PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}


@dataclass(frozen=True)
class ProvinceSize:
    cities: int = 17
    counties: int = 103
    townships: int = 1442
    villages: int = 25000
    households: int = 2_000_000
    items_per_village: int = 4
    # Share of households with a status change recorded in the quarter.
    change_share: float = 0.03

    @classmethod
    def scaled(cls, factor: float) -> "ProvinceSize":
        full = cls()
        return cls(
            cities=max(2, round(full.cities * min(1.0, factor * 4))),
            counties=max(2, round(full.counties * factor)),
            townships=max(4, round(full.townships * factor)),
            villages=max(8, round(full.villages * factor)),
            households=max(16, round(full.households * factor)),
        )


def _spread(total: int, parents: list[str]) -> list[str]:
    """Which parent each of `total` children falls under, as evenly as possible."""
    return [parents[i * len(parents) // total] for i in range(total)]


def _regions(size: ProvinceSize) -> dict[str, list[str]]:
    from fupin.regions.models import Level, Region

    cities = [f"42{n:02d}" for n in range(1, size.cities + 1)]
    counties, townships, villages = [], [], []
    for parent in _spread(size.counties, cities):
        counties.append(f"{parent}{sum(c[:4] == parent for c in counties) + 1:02d}")
    for parent in _spread(size.townships, counties):
        townships.append(f"{parent}{sum(1 for t in townships if t[:6] == parent) + 100:03d}")
    count: dict[str, int] = {}
    for parent in _spread(size.villages, townships):
        count[parent] = count.get(parent, 0) + 1
        villages.append(f"{parent}{count[parent] + 200:03d}")
    rows = [Region(code="42", name="湖北省", level=Level.PROVINCE)]
    for level, codes in (
        (Level.CITY, cities), (Level.COUNTY, counties),
        (Level.TOWNSHIP, townships), (Level.VILLAGE, villages),
    ):  # fmt: skip
        rows += [
            Region(code=c, name=f"{level.label[0]}{c}", level=level,
                   parent_id=c[: PARENT_LENGTH[len(c)]],
                   is_poor=level in (Level.COUNTY, Level.VILLAGE))
            for c in codes
        ]  # fmt: skip
    Region.objects.bulk_create(rows, batch_size=BATCH)
    return {"counties": counties, "townships": townships, "villages": villages}


def _units(codes: dict[str, list[str]]) -> list[tuple[int, str]]:
    from fupin.records.models import ClassCode
    from fupin.regions.models import Unit, UnitKind

    specs = [(c, UnitKind.POVERTY_OFFICE, "扶贫办") for c in codes["counties"]]
    specs += [(c, UnitKind.ARCHIVE_BUREAU, "档案局") for c in codes["counties"]]
    specs += [(c, UnitKind.WORK_TEAM, "驻村工作队") for c in codes["counties"]]
    specs += [(c, UnitKind.TOWNSHIP_GOV, "人民政府") for c in codes["townships"]]
    specs += [(c, UnitKind.VILLAGE_COMMITTEE, "村委会") for c in codes["villages"]]
    Unit.objects.bulk_create(
        [Unit(region_id=c, kind=k, name=f"{c}{n}", fonds_code=f"P{i:06d}", fonds_name=f"{c}{n}")
         for i, (c, k, n) in enumerate(specs)],
        batch_size=BATCH,
    )  # fmt: skip
    units = list(Unit.objects.filter(region__code__startswith="42").values_list("pk", "region_id"))
    ClassCode.objects.bulk_create(
        [ClassCode(unit_id=pk, facet="subject", code="ZH", name="综合") for pk, _ in units],
        batch_size=BATCH,
    )
    return units


def _households(size: ProvinceSize, villages: list[str], span: tuple, rng: random.Random) -> int:
    from fupin.households.models import ChangeKind, Household, HouseholdChange

    kinds = [ChangeKind.IDENTIFIED, ChangeKind.EXITED, ChangeKind.RETURNED, ChangeKind.REMOVED]
    start, end = span
    seconds = int((end - start).total_seconds()) - 1
    placed = _spread(size.households, villages)
    for first in range(0, size.households, BATCH):
        chunk = [
            Household(village_id=v, household_no=f"{v}{first + i:07d}", head_name="户主",
                      size=rng.randint(1, 6), attribute="一般贫困户", main_cause="因病",
                      status="poor")
            for i, v in enumerate(placed[first : first + BATCH])
        ]  # fmt: skip
        Household.objects.bulk_create(chunk)
        changed = [h for h in chunk if rng.random() < size.change_share]
        HouseholdChange.objects.bulk_create(
            HouseholdChange(household_id=h.pk, kind=rng.choice(kinds),
                            at=start + datetime.timedelta(seconds=rng.randint(0, seconds)))
            for h in changed
        )  # fmt: skip
    return size.households


def _items(size: ProvinceSize, units: list[tuple[int, str]], rng: random.Random) -> int:
    from fupin.records.models import ClassCode, RecordItem
    from fupin.scans.models import ScanPage
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex

    schedule_load_annex(actor=None)
    version = base_version()
    row = next(r for r in rows_in_force(version) if r.category == "documents")
    classes = dict(ClassCode.objects.filter(code="ZH").values_list("unit_id", "pk"))
    day = datetime.date(2016, 6, 1)
    made = 0
    batch: list[RecordItem] = []

    def flush() -> None:
        RecordItem.objects.bulk_create(batch)
        pages = [ScanPage(item_id=i.pk, number=n) for i in batch[::2] for n in (1, 2, 3)]
        ScanPage.objects.bulk_create(pages, batch_size=BATCH)
        batch.clear()

    for pk, _region in units:
        for n in range(1, size.items_per_village + 1):
            locked = rng.random() < 0.5
            batch.append(
                RecordItem(unit_id=pk, year=2016, category="WS", schedule_version=version,
                           schedule_row=row, retention="Y", class_code_id=classes[pk],
                           title=f"扶贫文件{n}", responsible="村委会", date=day, pages=2,
                           status="locked" if locked else "draft",
                           item_number=n if locked else None,
                           reference_code=f"P{pk}-WS·2016-Y-ZH-{n:04d}" if locked else None)
            )  # fmt: skip
            made += 1
            if len(batch) >= BATCH:
                flush()
    if batch:
        flush()
    return made


def generate_province(size: ProvinceSize, span: tuple | None = None, seed: int = 2016) -> dict:
    """Insert the data set; `span` is the quarter the household changes fall in."""
    rng = random.Random(seed)
    span = span or (timezone.now() - datetime.timedelta(days=30), timezone.now())
    with transaction.atomic():
        codes = _regions(size)
        units = _units(codes)
        households = _households(size, codes["villages"], span, rng)
        items = _items(size, units, rng)
    return {
        "counties": len(codes["counties"]),
        "townships": len(codes["townships"]),
        "villages": len(codes["villages"]),
        "units": len(units),
        "households": households,
        "items": items,
    }
