"""Indexes a registration import keeps up per row and no read needs: the history's own
indexes on its household and batch (the composite indexes begin with each), and PostgreSQL's
pattern index on ID numbers that `unique=True` brings (a UniqueConstraint does not).

SQLite rebuilds the people's table to drop the column's UNIQUE, and a rebuilt table loses its
triggers: the search queue's are made again where missing (search 0002 made them; this
migration runs after it, so on a new database also after the earlier rebuilds of the
households' table)."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("households_household", "households_person")


def queue_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    queue = importlib.import_module("fupin.search.migrations.0002_index_and_queue_triggers")
    for sql in queue.sqlite_triggers():
        if any(f" ON {table} " in sql for table in TABLES):
            schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0005_identified_basis_data_year"),
        ("search", "0002_index_and_queue_triggers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="householdchange",
            name="batch",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="changes",
                to="households.importbatch",
            ),
        ),
        migrations.AlterField(
            model_name="householdchange",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="changes",
                to="households.household",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=models.CharField(max_length=18, verbose_name="证件号码"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("id_number",), name="person_id_number_unique"
            ),
        ),
        migrations.RunPython(queue_triggers_again, migrations.RunPython.noop),
    ]
