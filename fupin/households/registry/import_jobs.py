"""Importing from the browser and the API: upload → preview → confirm → apply.

Each upload is a job in its own folder under the data folder: the sheet, its error workbook,
and `job.json` (whose it is, the stage, the state, rows read so far, the last report). The
state lives in a file, not a table, because the import runs in one long transaction whose
writes nobody else sees until it ends — progress written to the database would be invisible
until it no longer mattered. A sheet up to FUPIN_IMPORT_INLINE_BYTES runs within the
request; a larger one runs on the task queue (`fupin worker`), and the page follows it.
"""

import json
import logging
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.households.registry.importing import SHEET_SUFFIXES

JOB_FILE = "job.json"
PREVIEW, APPLY = "preview", "apply"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATE_LABELS = {QUEUED: "排队等待", RUNNING: "正在处理", DONE: "已完成", FAILED: "失败"}
STAGE_LABELS = {PREVIEW: "预览", APPLY: "导入"}
NOT_FOUND = "未找到该导入任务，或它不属于您。"
# A queued or running job is never cleared this young, however short the keeping time.
STUCK_SECONDS = 24 * 3600
log = logging.getLogger("fupin.households")


def _root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _folder(token: str) -> Path:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise Http404(NOT_FOUND)
    return _root() / token


def _write(token: str, job: dict[str, Any]) -> None:
    """Whole or not at all: a reader never sees half a file."""
    folder = _folder(token)
    partial = folder / f".{JOB_FILE}.{os.getpid()}"
    partial.write_text(json.dumps(job, ensure_ascii=False, default=str), encoding="utf-8")
    partial.replace(folder / JOB_FILE)


def _read(token: str) -> dict[str, Any] | None:
    try:
        return json.loads((_folder(token) / JOB_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _age_seconds(folder: Path) -> float:
    """Since the job last changed (job.json is rewritten at every step and progress)."""
    try:
        return time.time() - (folder / JOB_FILE).stat().st_mtime
    except OSError:
        try:
            return time.time() - folder.stat().st_mtime
        except OSError:
            return 0.0


def _expired(folder: Path, job: dict[str, Any] | None) -> bool:
    """Uploaded sheets and error workbooks carry full ID numbers: they are kept only for
    FUPIN_UPLOAD_KEEP_MINUTES after the job last changed (a job still queued or running,
    for up to a day)."""
    age = _age_seconds(folder)
    if job is not None and job.get("state") in (QUEUED, RUNNING):
        return age > STUCK_SECONDS
    return age > settings.FUPIN_UPLOAD_KEEP_MINUTES * 60


def import_job(actor: Any, token: str) -> dict[str, Any]:
    """The job as its owner sees it; anyone else's, or none, answers 404 alike. An expired
    job is cleared at once, even before the periodic clean-up comes round."""
    job = _read(token)
    if job is None or job.get("actor") != getattr(actor, "pk", None):
        raise Http404(NOT_FOUND)
    if _expired(_folder(token), job):
        import_discard(token)
        minutes = settings.FUPIN_UPLOAD_KEEP_MINUTES
        raise Http404(f"该导入任务已过期（上传的表和错误清单只保留 {minutes} 分钟），请重新导入。")
    return {**job, "token": token}


def imports_forget_expired() -> int:
    """The periodic clean-up (a worker beat): job folders past their keeping time go,
    with the sheet and the error workbook in them. Returns how many."""
    root = _root()
    if not root.is_dir():
        return 0
    gone = 0
    for folder in root.iterdir():
        if folder.is_dir() and _expired(folder, _read(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    if gone:
        log.info("已删除 %d 个过期的导入任务（上传的表与错误清单）。", gone)
    return gone


def import_begin(
    *,
    actor: Any,
    upload: Any,
    skip_invalid: bool,
    preview: bool = True,
    data_year: int | None = None,
) -> dict[str, Any]:
    """Keep the upload in a job folder and preview it (now, or on the task queue). Without
    `preview` it is imported at once, within the request, as `fupin households import` does."""
    from fupin.households.registry.services import data_year_checked

    require_cap(actor, Cap.DATA_WRITE)
    data_year_checked(data_year)  # refused before the upload is kept
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in SHEET_SUFFIXES:
        raise ValidationError("请上传 .xlsx、.xls 或 .csv 格式的建档立卡表。")
    token = secrets.token_urlsafe(12)
    folder = _folder(token)
    folder.mkdir(parents=True)
    with (folder / name).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    job = {
        "actor": actor.pk,
        "file": name,
        "skip_invalid": skip_invalid,
        "data_year": data_year,
        "digest": "",
        "stage": PREVIEW if preview else APPLY,
        "state": QUEUED,
        "rows": 0,
        "report": None,
        "error": "",
    }
    _write(token, job)
    if not preview:
        import_run(token)
        return import_job(actor, token)
    return _start(token, job)


def import_confirm(*, actor: Any, token: str, digest: str) -> dict[str, Any]:
    """Apply what was previewed, exactly: the digest is the preview's."""
    job = import_job(actor, token)
    report = job.get("report") or {}
    if job["stage"] != PREVIEW or job["state"] != DONE or not report.get("digest"):
        raise ValidationError("该表尚未预览完成，或已经导入，不能确认。")
    job.update(stage=APPLY, state=QUEUED, rows=0, digest=digest, error="")
    job.pop("token", None)
    _write(token, job)
    return _start(token, job)


def _start(token: str, job: dict[str, Any]) -> dict[str, Any]:
    sheet = _folder(token) / job["file"]
    if sheet.stat().st_size <= settings.FUPIN_IMPORT_INLINE_BYTES:
        import_run(token)
    else:
        from fupin.households.tasks import households_import_job

        stage = job["stage"]
        transaction.on_commit(lambda: households_import_job.enqueue(token, stage))
    return {**(_read(token) or job), "token": token}


def import_run(token: str, stage: str = "") -> None:
    """Run the job's stage once (the task queue may hand it over again: a stage already done
    is left alone, and an import cut off half-way left nothing behind to undo)."""
    from fupin.households.registry.services import households_import

    job = _read(token)
    if job is None or job["state"] == DONE or (stage and job["stage"] != stage):
        return
    actor = get_user_model().objects.filter(pk=job["actor"]).first()
    job.update(state=RUNNING, rows=0)
    _write(token, job)

    def progress(rows: int) -> None:
        job["rows"] = rows
        _write(token, job)

    folder = _folder(token)
    try:
        report = households_import(
            actor=actor,
            path=folder / job["file"],
            skip_invalid=job["skip_invalid"],
            dry_run=job["stage"] == PREVIEW,
            expect=job["digest"] if job["stage"] == APPLY else "",
            progress=progress,
            data_year=job.get("data_year"),
        )
    except ValidationError as exc:
        job.update(state=FAILED, error="；".join(exc.messages))
        _write(token, job)
        (folder / job["file"]).unlink(missing_ok=True)  # nothing more can be done with it
        return
    values = report.as_dict()
    if values["error_workbook"]:
        values["error_workbook"] = token
    job.update(state=DONE, rows=report.rows, report=values, note="")
    _write(token, job)
    if job["stage"] == APPLY:
        # Imported: the sheet goes now; an error workbook stays for its owner until expiry.
        (folder / job["file"]).unlink(missing_ok=True)


def import_lost(token: str, stage: str, *, retry: bool, attempts: int) -> None:
    """The worker running this job's task stopped (killed, its machine restarted) and the
    queue took the task over. The cut-off import kept nothing (it runs in one transaction),
    so the job says so — queued again while the queue retries, else failed with the reason —
    rather than "正在处理" for ever."""
    job = _read(token)
    if job is None or job["state"] == DONE or job["stage"] != stage:
        return
    words = STAGE_LABELS[stage]
    if retry:
        note = (
            f"处理本表的后台进程中断，{words}未完成、未写入任何内容；"
            f"已重新排队（第 {attempts + 1} 次）。"
        )
        job.update(state=QUEUED, rows=0, note=note)
    else:
        job.update(
            state=FAILED,
            note="",
            error=f"处理本表的后台进程中断，已尝试 {attempts} 次仍未完成{words}，未写入任何内容。"
            "请重新上传；表很大时也可请服务器管理员用命令行导入。",
        )
        (_folder(token) / job["file"]).unlink(missing_ok=True)
    _write(token, job)


def error_workbook(actor: Any, token: str) -> Path:
    job = import_job(actor, token)
    found = sorted(_folder(token).glob("*-错误.xlsx"))
    if not found or not (job.get("report") or {}).get("error_workbook"):
        raise Http404("该错误清单不存在或已过期，请重新导入。")
    return found[0]


def import_discard(token: str) -> None:
    shutil.rmtree(_folder(token), ignore_errors=True)
