"""Taking over the tasks of a stopped worker. django-tasks-db has no such mechanism (a task
claimed by a worker that dies stays RUNNING for ever), so every worker writes a heartbeat
(WorkerBeat) and any worker, or `fupin worker reclaim`, looks at the running tasks: one
whose worker is silent, gone from this machine, stopped, or running something else is given
back to the queue (it counts as an attempt; after the last one it is marked failed)."""

import datetime
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fupin.audit.services import audit_record
from fupin.worker.models import WorkerBeat

LOST = "fupin.worker.WorkerLost"
OUTCOME_WORDS = {"queued": "已重新排队", "failed": "已标记失败", "handed": "已交回重新排队"}

# Apps whose tasks keep a state of their own (the OCR job's) are told when a task of theirs
# is taken over; a hook that returns True has queued the work again itself.
ReclaimHook = Callable[[DBTaskResult], bool]
_hooks: dict[str, ReclaimHook] = {}


def register_reclaim_hook(task_path: str, hook: ReclaimHook) -> None:
    _hooks[task_path] = hook


def attempts_left(task: DBTaskResult) -> bool:
    """Whether a task taken over is queued again (each claim was an attempt) or failed; a
    hook that leaves the task to the queue can tell its own state which it will be."""
    return len(task.worker_ids) < settings.FUPIN_TASK_ATTEMPTS


@dataclass(frozen=True)
class Reclaimed:
    task_id: str
    task_path: str
    worker: str
    why: str
    outcome: str  # "queued" | "failed" | "handed" (an app's hook queued it again)

    def as_dict(self) -> dict[str, str]:
        return self.__dict__.copy()


def this_host() -> str:
    return socket.gethostname()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _why_lost(task: DBTaskResult, beats: dict[str, WorkerBeat], now: datetime.datetime) -> str:
    """Why the task's worker no longer runs it, in words for the audit trail; "" if it does."""
    worker = task.worker_ids[-1] if task.worker_ids else ""
    beat = beats.get(worker)
    stale = now - datetime.timedelta(seconds=settings.FUPIN_WORKER_STALE_SECONDS)
    grace = now - datetime.timedelta(seconds=settings.FUPIN_WORKER_GRACE_SECONDS)
    started = task.started_at or now
    if beat is None:
        return "" if started > stale else "工作进程没有心跳记录，且已超过时限"
    if beat.stopped_at is not None:
        return "工作进程已退出"
    if beat.host == this_host() and not _process_exists(beat.pid):
        return f"工作进程（{beat.host}:{beat.pid}）已不存在"
    if beat.beat_at < stale:
        silent = int((now - beat.beat_at).total_seconds())
        return f"工作进程（{beat.host}:{beat.pid}）已 {silent} 秒没有心跳"
    if beat.task_id != str(task.id) and started < grace and beat.beat_at > started:
        return f"工作进程（{beat.host}:{beat.pid}）已不在运行此任务（未能记下结果）"
    return ""


def tasks_reclaim(*, actor: Any = None) -> list[Reclaimed]:
    """Every running task that lost its worker: queued again while attempts remain (each
    claim is an attempt), else failed with the reason. Audited one by one."""
    done: list[Reclaimed] = []
    now = timezone.now()
    with transaction.atomic():
        running = list(
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status=TaskResultStatus.RUNNING
            )
        )
        workers = {t.worker_ids[-1] for t in running if t.worker_ids}
        beats = {b.worker_id: b for b in WorkerBeat.objects.filter(worker_id__in=workers)}
        for task in running:
            why = _why_lost(task, beats, now)
            if why:
                done.append(_take_over(actor, task, why))
    return done


def _take_over(actor: Any, task: DBTaskResult, why: str) -> Reclaimed:
    attempts = len(task.worker_ids)
    worker = task.worker_ids[-1] if task.worker_ids else ""
    hook = _hooks.get(task.task_path)
    if hook is not None and hook(task):
        outcome = "handed"
        _fail(task, f"{why}；已由所属功能重新排队。")
    elif attempts_left(task):
        outcome = "queued"
        task.status = TaskResultStatus.READY
        task.save(update_fields=["status"])
    else:
        outcome = "failed"
        _fail(task, f"{why}；已尝试 {attempts} 次，不再重试。")
    audit_record(
        actor=actor,
        action="worker.task_reclaimed",
        object_type="django_tasks_db.dbtaskresult",
        object_id=str(task.id),
        summary=f"后台任务 {task.task_path.rsplit('.', 1)[-1]} 的{why}，" + OUTCOME_WORDS[outcome],
        after={"task": task.task_path, "worker": worker, "attempts": attempts, "outcome": outcome},
    )
    return Reclaimed(str(task.id), task.task_path, worker, why, outcome)


def _fail(task: DBTaskResult, reason: str) -> None:
    task.status = TaskResultStatus.FAILED
    task.finished_at = timezone.now()
    task.exception_class_path = LOST
    task.traceback = reason
    task.return_value = None
    task.save(
        update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
    )


def beat_write(worker_id: str, *, started_at: datetime.datetime, task_id: str) -> None:
    """The heartbeat: one small write (not audited: it records no archive work)."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": this_host(),
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
            "task_id": task_id,
            "stopped_at": None,
        },
    )


def beat_stop(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now(), task_id="")


def workers_forget_stopped() -> int:
    """Heartbeats of workers stopped long ago are dropped (each start adds a row; nothing
    reads a stopped worker's row after its tasks were taken over). Not audited: no archive
    work is recorded in them."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.FUPIN_WORKER_FORGET_DAYS)
    deleted, _ = WorkerBeat.objects.filter(stopped_at__lt=cutoff).delete()
    return deleted


def error_words(exc: BaseException) -> str:
    """One line for the log: the kind of error and its first line."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}：{first}" if first else type(exc).__name__
