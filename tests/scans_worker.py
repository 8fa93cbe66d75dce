"""Runs the real background worker (django-tasks' database worker loop, `fupin worker --batch`
in effect) until no task is ready.

Tests run inside one database transaction that is rolled back at the end (the append-only
audit table cannot be flushed, so transactional tests are not an option). The worker's only
housekeeping call, close_old_connections, would close that transaction's connection; it is
the one thing replaced, by a no-op. Callbacks queued with on_commit (the enqueue of a retry)
run when the worker returns, as they would after the worker's commit."""

from django.test import TestCase
from django_tasks_db.management.commands import db_worker


def run_worker(monkeypatch) -> None:
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        worker.run()
