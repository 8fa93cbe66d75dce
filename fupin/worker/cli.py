"""`fupin worker`: run the background worker; `reclaim` and `status` look at the queue."""

import argparse

from fupin.cli import add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    p = groups.add_parser(
        "worker", help="启动后台任务进程（可在多台机器上同时运行）；reclaim 接管停止进程的任务"
    )
    p.add_argument(
        "action",
        nargs="?",
        default="run",
        choices=["run", "reclaim", "status"],
        help="run 运行（默认）；reclaim 立即接管已停止的工作进程留下的任务；status 查看工作进程",
    )
    p.add_argument("--batch", action="store_true", help="处理完排队的任务后退出")
    add_json_flag(p)
    p.set_defaults(handler=worker)


def worker(args: argparse.Namespace) -> int:
    if args.action == "run":
        from fupin.worker.runner import run_worker

        run_worker(batch=args.batch)
        return 0
    if args.action == "reclaim":
        from fupin.worker.services import tasks_reclaim

        found = [r.as_dict() for r in tasks_reclaim(actor=None)]
        lines = [f"{r['task_id']} {r['task_path']}：{r['why']}（{r['outcome']}）" for r in found]
        emit(args, {"ok": True, "tasks": found}, "\n".join(lines) or "没有失去工作进程的任务。")
        return 0
    from django_tasks_db.models import DBTaskResult

    from fupin.worker.models import BeatRun, WorkerBeat

    beats = [
        {
            "worker_id": b.worker_id,
            "host": b.host,
            "pid": b.pid,
            "started_at": b.started_at,
            "beat_at": b.beat_at,
            "task_id": b.task_id,
            "stopped_at": b.stopped_at,
        }
        for b in WorkerBeat.objects.all()[:50]
    ]
    counts = {
        status: DBTaskResult.objects.filter(status=status).count()
        for status in ("READY", "RUNNING", "FAILED")
    }
    lines = [
        f"{b['host']}:{b['pid']} 心跳 {b['beat_at']:%Y-%m-%d %H:%M:%S}"
        + ("（已退出）" if b["stopped_at"] else f"（运行中：{b['task_id'] or '空闲'}）")
        for b in beats
    ]
    lines.append(f"排队 {counts['READY']}，运行中 {counts['RUNNING']}，失败 {counts['FAILED']}")
    periodic = [
        {
            "name": r.name,
            "runs": r.runs,
            "due_at": r.due_at,
            "finished_at": r.finished_at,
            "host": r.host,
            "ok": r.ok,
            "error": r.error,
        }
        for r in BeatRun.objects.all()
    ]
    lines += [
        f"定时任务 {r['name']}：已运行 {r['runs']} 次，下次 {r['due_at']:%Y-%m-%d %H:%M}"
        + ("" if r["ok"] else f"，上次失败：{r['error']}")
        for r in periodic
    ]
    emit(args, {"ok": True, "workers": beats, "tasks": counts, "beats": periodic}, "\n".join(lines))
    return 0
