"""Loading the provincial schedule (110 rows) into an empty database, and reading it back."""

from bench.common import Figure, stopwatch

BENCH = "schedule_load"


def run() -> list[Figure]:
    from django.db import transaction

    from fupin.regions.models import Level, Region
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex

    # Rolled back at the end, so benchmarks that run after this one see the database unchanged.
    with transaction.atomic():
        Region.objects.get_or_create(
            code="42", defaults={"name": "湖北省", "level": Level.PROVINCE}
        )
        # Loading is idempotent, so on a database that already holds the table there is nothing
        # to time; its rows are frozen (records cite them), so they are not deleted either.
        if base_version() is not None:
            raise SystemExit("schedule_load 需要一个尚未载入归档范围表的数据库。")
        with stopwatch() as load:
            version = schedule_load_annex(actor=None)
        rows = version.rows.count()
        with stopwatch() as read:
            assert len(rows_in_force(base_version())) == rows
        transaction.set_rollback(True)
    return [
        Figure(BENCH, "载入耗时", load[0], "s"),
        Figure(BENCH, "载入速度", rows / load[0], "条/s"),
        Figure(BENCH, "读出现行条目耗时", read[0], "s"),
    ]
