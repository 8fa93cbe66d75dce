"""Households registered before 识别年度 was always known get it from the migration: the year
of the batch that first brought them in (marked as that, not as an identification year), never
after their exit; households that came in as 新识别 keep theirs."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from fupin.households.models import Household, HouseholdChange, ImportBatch
from fupin.regions.models import Region

# The data step of the migration, run on today's models: the schema step is Django's own, and
# a migration run cannot be undone past the audit trail's append-only triggers on PostgreSQL.
migration = importlib.import_module("fupin.households.migrations.0005_identified_basis_data_year")


def _at(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 6, 1, 12))


def test_existing_households_get_the_year_of_the_batch_that_brought_them_in(db):
    parent = None
    for code, level in (("42", "province"), ("4203", "city"), ("420322", "county")):
        parent = Region.objects.create(code=code, name=code, level=level, parent=parent)
    township = Region.objects.create(
        code="420322100", name="城关镇", level="township", parent=parent
    )
    village = Region.objects.create(
        code="420322100201", name="东岭村", level="village", parent=township
    )
    first = ImportBatch.objects.create(file_name="a.xlsx", sha256="a", rows=3, households=3)
    later = ImportBatch.objects.create(file_name="b.xlsx", sha256="b", rows=1, households=1)
    ImportBatch.objects.filter(pk=first.pk).update(at=_at(2024))
    ImportBatch.objects.filter(pk=later.pk).update(at=_at(2025))
    first.refresh_from_db()
    later.refresh_from_db()

    def registered(number: int, **values):
        return Household.objects.create(
            village=village, household_no=f"{number}", head_name="户主", size=1,
            attribute="一般贫困户", main_cause="因病", **values,
        )  # fmt: skip

    loaded, exited_early = registered(1), registered(2, exit_year=2020)
    identified = registered(3, identified_year=2025)
    registered(4, updated_by=later)
    for household, batch in ((loaded, first), (exited_early, first), (identified, later)):
        HouseholdChange.objects.create(
            household=household, batch=batch, kind="identified", at=batch.at
        )
    # Taken back after 清退 in the later batch: the first batch still dates it.
    HouseholdChange.objects.create(household=loaded, batch=later, kind="identified", at=later.at)

    migration.fill(apps, None)

    years = {
        h.household_no: (h.identified_year, h.identified_basis) for h in Household.objects.all()
    }
    assert years == {
        "1": (2024, "registered"),
        "2": (2020, "registered"),  # registered by its exit, never after it
        "3": (2025, "identified"),
        "4": (2025, "registered"),  # no 新识别 entry: the batch that last wrote it
    }
    assert sorted(ImportBatch.objects.values_list("data_year", flat=True)) == [2024, 2025]
