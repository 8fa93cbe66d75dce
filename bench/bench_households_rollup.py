"""The province completeness roll-up (一户一档完整率) over 2,000,000 households, and the cost of
keeping each household's completeness current as documents are filed.

The province data set (bench/province.py) is bulk-inserted; each household's completeness
columns are then set in one statement (a quarter complete, the rest lacking one to three types),
because computing them through the services for two million households would take hours. The
roll-up reads only those columns, exactly as the page, API and CLI do. Separately, real
household files with documents are built for a sample and `files_refresh` — the function every
filing runs — is timed on them, so the cost behind the columns is measured too.
Target: the roll-up under 10 s on SQLite and on PostgreSQL. FUPIN_BENCH_SCALE shrinks it.
"""

import datetime
import os

from bench.common import Figure, stopwatch
from bench.province import ProvinceSize, generate_province

BENCH = "households_rollup"
SAMPLE = 5000  # households given real files with documents
DOCS = (1, 2, 3, 7)  # the identification papers every household owes

COMPLETENESS = """
UPDATE households_household SET
  docs_required = 7,
  docs_missing = (id * 7919) % 4,
  missing_mask = CASE (id * 7919) % 4 WHEN 0 THEN 0 WHEN 1 THEN 128 WHEN 2 THEN 192 ELSE 194 END,
  file_complete = ((id * 7919) % 4 = 0)
"""


def _sample_files(count: int) -> list[int]:
    """Real household files: a volume per household and four filed documents each."""
    from fupin.households.models import Household, HouseholdDocument, HouseholdFile
    from fupin.records.models import ClassCode, RecordItem, Volume
    from fupin.regions.models import Unit, UnitKind
    from fupin.schedule.selectors import base_version, rows_in_force

    version = base_version()
    rows = {
        int(r.number): r
        for r in rows_in_force(version)
        if r.level == "village" and r.category == "professional"
    }
    households = list(Household.objects.order_by("pk")[:count])
    units = dict(
        Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE).values_list("region_id", "pk")
    )
    classes = dict(ClassCode.objects.values_list("unit_id", "pk"))
    volumes = Volume.objects.bulk_create(
        Volume(unit_id=units[h.village_id], category="ZY", year=2016, retention="Y",
               project=f"{h.head_name}户", title="户档", volume_number=n + 1,
               reference_code=f"BENCH-ZY·2016-Y-{n + 1:07d}")
        for n, h in enumerate(households)
    )  # fmt: skip
    files = HouseholdFile.objects.bulk_create(
        HouseholdFile(household=h, volume=v) for h, v in zip(households, volumes, strict=True)
    )
    day = datetime.date(2016, 4, 1)
    items = RecordItem.objects.bulk_create(
        RecordItem(unit_id=units[f.household.village_id], year=2016, category="ZY",
                   schedule_version=version, schedule_row=rows[d], retention="Y",
                   class_code_id=classes[units[f.household.village_id]], title=f"户档材料{d}",
                   responsible="村委会", date=day, pages=1)
        for f in files for d in DOCS
    )  # fmt: skip
    pairs = [(f, d) for f in files for d in DOCS]
    HouseholdDocument.objects.bulk_create(
        HouseholdDocument(file=f, item=i, number=d, year=2016)
        for (f, d), i in zip(pairs, items, strict=True)
    )
    return [h.pk for h in households]


def run() -> list[Figure]:
    from django.db import connection, transaction

    from fupin.households.files.completeness import files_refresh
    from fupin.households.files.rollup import completeness_rollup

    scale = float(os.environ.get("FUPIN_BENCH_SCALE", "1"))
    size = ProvinceSize() if scale >= 1 else ProvinceSize.scaled(scale)
    # Rolled back at the end, as `reports` is: `./bench/run` runs every benchmark in one
    # database, and the next one to generate a province would find this one's regions there.
    with transaction.atomic():
        with stopwatch() as built:
            made = generate_province(size)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(COMPLETENESS)
        sample = _sample_files(min(SAMPLE, made["households"]))
        with stopwatch() as refreshed:
            files_refresh(sample)
        timings = {}
        # bench/province.py numbers cities 4201… and their counties 420101…
        for label, code in (("全省", "42"), ("一个市", "4201"), ("一个县", "420101")):
            with stopwatch() as took:
                _, total, rows = completeness_rollup(None, code)
            timings[label] = (took[0], total.households, len(rows))
        transaction.set_rollback(True)
    seconds, households, children = timings["全省"]
    return [
        Figure(BENCH, "生成省级数据集", built[0], "s"),
        Figure(
            BENCH,
            f"全省完整率汇总（{households:,} 户，{children} 个市）",
            seconds,
            "s",
            target="< 10 s",
        ),
        Figure(BENCH, "一个市的汇总", timings["一个市"][0], "s"),
        Figure(BENCH, "一个县的汇总", timings["一个县"][0], "s"),
        Figure(
            BENCH,
            f"完整情况重算（{len(sample):,} 户，含材料）",
            len(sample) / refreshed[0],
            "户/秒",
        ),
    ]
