"""A household's 识别年度 is always known, with what it rests on.

Households registered before this: one with a year came in as 新识别 (a village already
registered); one without came with its village's first sheet, and gets that import's year
(the only data year a batch had then), marked as such."""

from django.db import migrations, models
from django.db.models import Case, F, Value, When
from django.utils import timezone


def _dated(year: int):
    # A household that exited earlier was registered by then, and must stay exit ≥ identified.
    return Case(When(exit_year__lt=year, then=F("exit_year")), default=Value(year))


def fill(apps, schema_editor):
    ImportBatch = apps.get_model("households", "ImportBatch")
    Household = apps.get_model("households", "Household")
    Household.objects.filter(identified_year__isnull=False).update(identified_basis="identified")
    for batch in ImportBatch.objects.order_by("at", "pk"):
        year = timezone.localtime(batch.at).year
        ImportBatch.objects.filter(pk=batch.pk).update(data_year=year)
        # Batches oldest first: the first that brought a household in dates it.
        first = Household.objects.filter(
            identified_year__isnull=True, changes__batch=batch, changes__kind="identified"
        )
        Household.objects.filter(pk__in=first.values("pk")).update(
            identified_year=_dated(year), identified_basis="registered"
        )
    for batch in ImportBatch.objects.order_by("at", "pk"):
        unlisted = Household.objects.filter(identified_year__isnull=True, updated_by=batch)
        unlisted.update(identified_year=_dated(batch.data_year), identified_basis="registered")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0004_households_code_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="identified_basis",
            field=models.CharField(
                choices=[
                    ("identified", "新识别"),
                    ("sheet", "登记表识别年度"),
                    ("registered", "首次导入数据年度"),
                ],
                default="sheet",
                max_length=10,
                verbose_name="识别年度依据",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="data_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="数据年度"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
