"""Arranging and numbering 100,000 items of one fonds and year (FUPIN_BENCH_ITEMS to change)."""

import datetime
import os
import random

from bench.common import Figure, stopwatch

BENCH = "arrange"


def run() -> list[Figure]:
    from django.db import transaction

    from fupin.records.models import RecordItem
    from fupin.records.services import (
        class_code_add,
        fonds_configure,
        items_arrange,
        items_lock,
    )
    from fupin.regions.models import Level, Region, Unit, UnitKind
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex

    count = int(os.environ.get("FUPIN_BENCH_ITEMS", "100000"))
    rng = random.Random(2016)
    # Rolled back at the end, so benchmarks that run after this one see the database unchanged.
    with transaction.atomic():
        province, _ = Region.objects.get_or_create(
            code="42", defaults={"name": "湖北省", "level": Level.PROVINCE}
        )
        city = Region.objects.create(code="4299", name="测试市", level=Level.CITY, parent=province)
        county = Region.objects.create(
            code="429999", name="测试县", level=Level.COUNTY, parent=city
        )
        unit = Unit.objects.create(
            region=county,
            kind=UnitKind.POVERTY_OFFICE,
            name="测试扶贫办",
            fonds_code="ZB01",
            fonds_name="测试扶贫办",
        )
        version = schedule_load_annex(actor=None)
        rows = [
            r
            for r in rows_in_force(base_version())
            if r.level == "county" and r.category == "documents"
        ]
        fonds_configure(
            actor=None,
            unit_id=unit.pk,
            facet="department",
            code_template="{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}",
        )
        classes = [
            class_code_add(actor=None, unit_id=unit.pk, code=f"K{n:02d}", name=f"科室{n}")
            for n in range(8)
        ]
        # The items themselves are test data, bulk-inserted: what is measured is the arranging.
        RecordItem.objects.bulk_create(
            (
                RecordItem(
                    unit=unit,
                    year=2016,
                    category="WS",
                    schedule_version=version,
                    schedule_row=(row := rng.choice(rows)),
                    retention=row.retention_options[0],
                    class_code=rng.choice(classes),
                    title=f"测试文件{n}",
                    responsible="测试扶贫办",
                    date=datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randrange(366)),
                    pages=rng.randint(1, 30),
                )
                for n in range(count)
            ),
            batch_size=5000,
        )
        with stopwatch() as first:
            report = items_arrange(actor=None, unit_id=unit.pk, year=2016)
        assert report.numbered == count
        half = list(
            RecordItem.objects.filter(unit=unit)
            .order_by("pk")
            .values_list("pk", flat=True)[: count // 2]
        )
        with stopwatch() as lock:
            items_lock(actor=None, unit_id=unit.pk, item_ids=half)
        with stopwatch() as again:
            items_arrange(actor=None, unit_id=unit.pk, year=2016)
        transaction.set_rollback(True)
    return [
        Figure(BENCH, f"整理编号 {count} 件", first[0], "s"),
        Figure(BENCH, "整理编号速度", count / first[0], "件/s"),
        Figure(BENCH, f"归档（锁定）{count // 2} 件", lock[0], "s"),
        Figure(BENCH, "锁定一半后重新整理", again[0], "s", baseline=first[0]),
    ]
