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
    elif command == "hold-sqlite":
        from django.conf import settings

        # A long import in effect: a write transaction held open for a while.
        db = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE django_session SET expire_date = expire_date")
        print("held", flush=True)
        time.sleep(float(rest[0]))
        db.execute("COMMIT")


if __name__ == "__main__":
    main(sys.argv[1:])
