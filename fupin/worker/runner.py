"""`fupin worker`: django-tasks-db's worker loop, made to outlast the database. A locked or
unreachable database is waited out with growing pauses (logged in Chinese), never a reason
to exit; a thread writes the worker's heartbeat and takes over the tasks of stopped workers."""

import logging
import random
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from fupin.core.busy import is_busy, is_transient
from fupin.worker.beats import beats_registered, beats_run_due
from fupin.worker.services import (
    OUTCOME_WORDS,
    beat_stop,
    beat_write,
    error_words,
    tasks_reclaim,
)

log = logging.getLogger("fupin.worker")
MAX_PAUSE = 60.0


def pause_after(failures: int) -> float:
    """1, 2, 4, … seconds up to a minute, with some jitter so workers do not march in step."""
    return min(MAX_PAUSE, 2.0 ** max(0, failures - 1)) * random.uniform(0.8, 1.2)


def _words(exc: BaseException) -> str:
    what = "数据库被占用（另一进程正在写入）" if is_busy(exc) else "数据库暂时无法访问"
    return f"{what}：{error_words(exc)}"


class ResilientWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.current_task = ""
        self._stop = threading.Event()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task = str(db_task_result.id)
        self._beat()  # at once, so nobody takes this task for a lost one
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task = ""

    def run(self) -> None:
        log.info("后台任务进程已启动：%s", self.worker_id)
        beats = threading.Thread(target=self._beats, name="fupin-worker-beat", daemon=True)
        beats.start()
        if self.batch:
            self._run_due_beats()  # a batch run (cron, tests) does the due periodic jobs once
        else:
            periodic = threading.Thread(
                target=self._periodic, name="fupin-worker-periodic", daemon=True
            )
            periodic.start()
        failures = 0
        try:
            while self.running:
                try:
                    super().run()
                    return  # batch or max-tasks: done
                except Exception as exc:
                    if not is_transient(exc):
                        raise
                    failures += 1
                    wait = pause_after(failures)
                    log.warning(
                        "%s；%.0f 秒后重试（第 %d 次），后台任务进程继续运行。",
                        _words(exc),
                        wait,
                        failures,
                    )
                    connections.close_all()
                    self.startup_delay = False
                    time.sleep(wait)
                else:
                    failures = 0
        finally:
            self._stop.set()
            try:
                beat_stop(self.worker_id)
            except Exception as exc:  # the database may be away as we leave
                log.warning("未能记下本进程退出：%s", error_words(exc))
            connections.close_all()
            log.warning("后台任务进程已退出：%s", self.worker_id)

    def _beat(self) -> None:
        try:
            beat_write(self.worker_id, started_at=self.started_at, task_id=self.current_task)
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("心跳未能写入，%s", _words(exc))
            connections.close_all()

    def _beats(self) -> None:
        """Heartbeat, and now and then a look for tasks of stopped workers (its own connection:
        Django's connections are per thread)."""
        every = settings.FUPIN_WORKER_BEAT_SECONDS
        next_look = 0.0
        while not self._stop.is_set():
            try:
                self._beat()
                if time.monotonic() >= next_look:
                    next_look = time.monotonic() + settings.FUPIN_WORKER_STALE_SECONDS / 2
                    for found in tasks_reclaim(actor=None):
                        log.warning(
                            "接管任务 %s（%s）：%s，%s。",
                            found.task_id,
                            found.task_path.rsplit(".", 1)[-1],
                            found.why,
                            OUTCOME_WORDS[found.outcome],
                        )
            except Exception as exc:
                if is_transient(exc):
                    log.warning("接管检查暂停，%s", _words(exc))
                    connections.close_all()
                else:
                    log.exception("心跳线程出错：%s", error_words(exc))
            self._stop.wait(every)

    def _run_due_beats(self) -> None:
        try:
            for outcome in beats_run_due():
                if outcome.ok:
                    # Debug only: the search index beat runs every two seconds.
                    log.debug("定时任务 %s 已完成。", outcome.name)
        except Exception as exc:
            if not is_transient(exc):
                log.exception("定时任务检查出错：%s", error_words(exc))
            else:
                log.warning("定时任务检查暂停，%s", _words(exc))
            connections.close_all()

    def _periodic(self) -> None:
        """The beats loop: each turn runs the periodic jobs that are due (fupin.worker.beats).
        A thread of its own, so a long job holds up neither tasks nor heartbeats."""
        while not self._stop.is_set():
            self._run_due_beats()
            self._stop.wait(beats_check_seconds())


def beats_check_seconds() -> float:
    """How long the beats loop sleeps: the configured check, or less when a beat is due more
    often (the search index's queue is applied every few seconds)."""
    shortest = min((b.every.total_seconds() for b in beats_registered()), default=None)
    return min(settings.FUPIN_BEATS_CHECK_SECONDS, shortest or settings.FUPIN_BEATS_CHECK_SECONDS)


def run_worker(*, batch: bool = False, interval: float = 1.0) -> None:
    logging.getLogger("fupin.worker").setLevel(logging.INFO)
    worker = ResilientWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
