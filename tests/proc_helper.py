"""Run inside a child process against an installation of its own (the tests that start real
worker and web processes): enqueue the test task, read a task's state, hold a write lock."""

import json
import os
import sqlite3
import sys
import time


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django

    django.setup()
    command, *rest = argv
    if command == "enqueue":
        from tests.proc_tasks import slow_once

        print(slow_once.enqueue(rest[0]).id)
    elif command == "task":
        from django_tasks_db.models import DBTaskResult

        from fupin.audit.models import AuditEvent

        row = DBTaskResult.objects.get(pk=rest[0])
        taken = AuditEvent.objects.filter(action="worker.task_reclaimed", object_id=rest[0])
        print(
            json.dumps(
                {
                    "status": row.status,
                    "workers": len(row.worker_ids),
                    "return": row.return_value,
                    "reclaimed": [e.summary for e in taken],
                },
                ensure_ascii=False,
            )
        )
    elif command == "personas":
        from fupin.accounts.roles import Role
        from fupin.accounts.services import role_grant, user_create

        parent = _one_village()
        for username in rest:
            user = user_create(
                actor=None,
                username=username,
                full_name=username,
                home_region=parent,
                password="Fupin-Test-2016!",
                must_change_password=False,
            )
            role_grant(actor=None, user_id=user.pk, role=Role.VILLAGE_ARCHIVIST, region=parent)
    elif command == "archives-installation":
        # The county archives' own installation: its regions, the provincial schedule and
        # the archives unit; nothing of the villages' records.
        from fupin.regions.models import Unit, UnitKind
        from fupin.schedule.services import schedule_load_annex

        parent = _one_village()
        schedule_load_annex(actor=None)
        Unit.objects.create(
            region_id="420322", kind=UnitKind.ARCHIVES, name="郧西县档案馆", fonds_code="A001",
            fonds_name="郧西县档案馆",
        )  # fmt: skip
    elif command == "transfer-ready":
        # A village committee's fonds with locked, marked records and their PDFs (planted as
        # kept files, so no OCR is queued), the campaign over, and a planned batch.
        import datetime

        from fupin.records.models import RecordItem
        from fupin.records.services import items_arrange, items_lock, records_mark_access
        from fupin.regions.models import Unit, UnitKind
        from fupin.regions.services import region_campaign_end_set
        from fupin.transfer.services import batch_plan
        from tests import objects_samples
        from tests.checks_fixtures import legacy_file
        from tests.records_fixtures import file_item, set_up_fonds

        parent = _one_village()
        Unit.objects.create(
            region_id="420322", kind=UnitKind.ARCHIVES, name="郧西县档案馆", fonds_code="A001",
            fonds_name="郧西县档案馆",
        )  # fmt: skip
        unit = Unit.objects.create(
            region_id="420322100201", kind=UnitKind.VILLAGE_COMMITTEE, name="东岭村委会",
            fonds_code="F004", fonds_name="东岭村委会",
        )  # fmt: skip
        classes = set_up_fonds(unit)
        items = [
            file_item(
                unit,
                classes["BGS"],
                title=f"东岭村扶贫工作会议纪要{n}",
                level="village",
                day=datetime.date(2018, 3, n),
            )
            for n in range(1, int(rest[0]) + 1)
        ]
        items_arrange(actor=None, unit_id=unit.pk, year=2018)
        for n, item in enumerate(RecordItem.objects.filter(unit=unit).order_by("pk")):
            legacy_file(item, objects_samples.pdf(1, f"original-{n}"), f"原件{n}.pdf")
        items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in items])
        records_mark_access(
            actor=None, unit_id=unit.pk, marking="open", reason="不涉及个人信息",
            item_ids=[i.pk for i in items],
        )  # fmt: skip
        region_campaign_end_set(
            actor=None, code="420322", ended_on=datetime.date(2020, 12, 31),
            transfer_due_on=datetime.date(2030, 6, 30),
        )  # fmt: skip
        print(batch_plan(actor=None, unit_id=unit.pk).number)
    elif command == "stall":
        # Run a `fupin` command that stops for good at a point inside its work (after the first
        # original is copied into the package, or the first record is recreated), so the test
        # can kill it there with SIGKILL.
        from fupin import cli

        where, *argv = rest
        if where == "build":
            from fupin.checks.package import build as module

            name = "_copy_one"
        else:
            from fupin.transfer import receive as module  # type: ignore[no-redef]

            name = "_recreate"
        real = getattr(module, name)

        def stalled(*args, **kwargs):
            found = real(*args, **kwargs)
            # One write: two copying threads may stop at once, and print's text and newline
            # would interleave ("stalledstalled").
            sys.stdout.write("stalled\n")
            sys.stdout.flush()
            time.sleep(600)
            return found

        setattr(module, name, stalled)
        sys.exit(cli.main(argv))
    elif command == "transfer-state":
        from django.conf import settings

        from fupin.records.models import RecordItem
        from fupin.transfer.models import Batch, Holding
        from fupin.transfer.package import packages_dir

        print(
            json.dumps(
                {
                    "batches": {b.number: b.status for b in Batch.objects.all()},
                    "packages": sorted(p.name for p in packages_dir().iterdir()),
                    "holdings": Holding.objects.count(),
                    "items": RecordItem.objects.count(),
                    "media": str(settings.MEDIA_ROOT),
                },
                ensure_ascii=False,
            )
        )
    elif command == "holdings":
        from django.core.files.storage import default_storage

        from fupin.transfer.models import Holding

        found = []
        for h in Holding.objects.select_related("item", "original_unit", "fonds").order_by("pk"):
            files = []
            for f in h.item.files.select_related("object").order_by("position"):
                with default_storage.open(f.object.storage_name, "rb") as handle:
                    files.append({"name": f.filename, "bytes": handle.read().hex()})
            found.append(
                {
                    "archives_code": h.archives_code,
                    "original_code": h.original_code,
                    "original_fonds": h.original_fonds_code,
                    "unit": h.original_unit.name,
                    "unit_active": h.original_unit.active,
                    "title": h.item.title,
                    "status": h.item.status,
                    "marking": h.item.access_marking,
                    "files": files,
                }
            )
        print(json.dumps(found, ensure_ascii=False))
    elif command == "old-stopped-worker":
        import datetime

        from django.utils import timezone

        from fupin.worker.models import WorkerBeat

        long_ago = timezone.now() - datetime.timedelta(days=30)
        WorkerBeat.objects.create(
            worker_id=rest[0], host="old-host", pid=1, started_at=long_ago, beat_at=long_ago,
            stopped_at=long_ago,
        )  # fmt: skip
    elif command == "beats":
        from fupin.worker.models import BeatRun, WorkerBeat

        print(
            json.dumps(
                {
                    "runs": {r.name: r.runs for r in BeatRun.objects.all()},
                    "workers": sorted(WorkerBeat.objects.values_list("worker_id", flat=True)),
                }
            )
        )
    elif command == "hold-pg":
        from django.db import connection, transaction

        # A long import in effect: it has written an audit row, so it holds the chain's head.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT seq FROM audit_audithead FOR UPDATE")
            print("held", flush=True)
            time.sleep(float(rest[0]))
    elif command == "hold-sqlite":
        from django.conf import settings

        # A long import in effect: a write transaction held open for a while.
        db = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE django_session SET expire_date = expire_date")
        print("held", flush=True)
        time.sleep(float(rest[0]))
        db.execute("COMMIT")


def _one_village():
    """湖北省 down to 东岭村, one region per level: the installation's whole geography."""
    from fupin.regions.models import Level, Region

    parent = None
    for code, name, level in [
        ("42", "湖北省", Level.PROVINCE),
        ("4203", "十堰市", Level.CITY),
        ("420322", "郧西县", Level.COUNTY),
        ("420322100", "城关镇", Level.TOWNSHIP),
        ("420322100201", "东岭村", Level.VILLAGE),
    ]:
        parent = Region.objects.create(code=code, name=name, level=level, parent=parent)
    return parent


if __name__ == "__main__":
    main(sys.argv[1:])
