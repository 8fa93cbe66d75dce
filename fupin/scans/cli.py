import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    scans = groups.add_parser("scans", help="扫描件数字化与文字识别（OCR）")
    commands = scans.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("upload", help="把扫描件（PDF、TIFF、JPEG、PNG）按顺序接到一件文件")
    p.add_argument("item_id", type=int, help="文件（件）编号")
    p.add_argument("files", type=Path, nargs="+")
    add_json_flag(p)
    p.set_defaults(handler=upload)
    p = commands.add_parser("ocr", help="排队识别一件文件尚未识别的页（--again 全部重新识别）")
    p.add_argument("item_id", type=int)
    p.add_argument("--again", action="store_true", help="已识别的页也重新识别")
    add_json_flag(p)
    p.set_defaults(handler=ocr)
    p = commands.add_parser("pages", help="一件文件的逐页识别文字")
    p.add_argument("item_id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=pages)
    p = commands.add_parser(
        "reclaim", help="工作进程停止后仍显示“进行中”的识别任务：立即重新排队（或标为失败）"
    )
    add_json_flag(p)
    p.set_defaults(handler=reclaim)
    p = groups.add_parser("jobs", help="后台任务：排队、进行中、失败的任务及进度")
    p.add_argument("--all", action="store_true", help="也列出已完成的任务")
    p.add_argument("--limit", type=int, default=50)
    add_json_flag(p)
    p.set_defaults(handler=jobs)


def upload(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from fupin.scans.selectors import job_dict
    from fupin.scans.services import scan_upload

    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise CommandFailed(f"找不到文件：{'、'.join(missing)}")
    results = []
    for path in args.files:
        with path.open("rb") as handle:
            try:
                done = scan_upload(
                    actor=None, item_id=args.item_id, stream=handle, filename=path.name
                )
            except ValidationError as exc:
                results.append({"file": path.name, "ok": False, "error": "；".join(exc.messages)})
                continue
        pages = [p.number for p in done.pages]
        results.append(
            {
                "file": path.name,
                "ok": True,
                "pages": pages,
                "job": job_dict(done.job) if done.job else None,
            }
            | {"notes": done.notes}
        )
    lines = [
        f"{r['file']}：第{r['pages'][0]}–{r['pages'][-1]}页，识别任务 #{r['job']['id']} 已排队"
        + "".join(f"\n  注意：{n}" for n in r["notes"])
        if r["ok"]
        else f"{r['file']}：失败，{r['error']}"
        for r in results
    ]
    failed = [r for r in results if not r["ok"]]
    emit(args, {"ok": not failed, "files": results}, "\n".join(lines))
    return 1 if failed else 0


def ocr(args: argparse.Namespace) -> int:
    from fupin.scans.selectors import job_dict
    from fupin.scans.services import scan_ocr_request

    job = scan_ocr_request(actor=None, item_id=args.item_id, again=args.again)
    text = (
        f"识别任务 #{job.pk} 已排队：{job.pages_total} 页（由 fupin worker 执行）。"
        if job
        else "没有需要识别的页。"
    )
    emit(args, {"ok": True, "job": job_dict(job) if job else None}, text)
    return 0


def reclaim(args: argparse.Namespace) -> int:
    from fupin.scans.selectors import job_dict
    from fupin.scans.services import scan_jobs_reclaim

    found = [job_dict(j) for j in scan_jobs_reclaim(actor=None)]
    lines = [f"#{j['id']} 文件{j['record_id']}：{j['status_label']}（{j['error']}）" for j in found]
    emit(args, {"ok": True, "jobs": found}, "\n".join(lines) or "没有中断的识别任务。")
    return 0


def pages(args: argparse.Namespace) -> int:
    from fupin.scans.selectors import item_scan

    scan = item_scan(None, args.item_id)
    data = [{"number": p.number, "read": p.read_at is not None, "text": p.text} for p in scan.pages]
    text = "\n\n".join(
        f"—— 第{p['number']}页 ——\n{p['text'] if p['read'] else '（尚未识别）'}" for p in data
    )
    if scan.warning:
        text += f"\n注意：{scan.warning}"
    emit(args, {"ok": True, "warning": scan.warning, "pages": data}, text or "尚无扫描页。")
    return 0


def jobs(args: argparse.Namespace) -> int:
    from fupin.scans.models import JobStatus
    from fupin.scans.selectors import job_dict, visible_jobs

    statuses = None if args.all else [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED]
    found = [job_dict(j) for j in visible_jobs(None, statuses)[: args.limit]]
    lines = [
        f"#{j['id']} {j['kind']} 文件{j['record_id']} {j['status_label']} "
        f"{j['pages_done']}/{j['pages_total']} 页（{j['percent']}%）"
        f" 尝试 {j['attempts']}/{j['max_attempts']}" + (f"\n  {j['error']}" if j["error"] else "")
        for j in found
    ]
    emit(args, {"ok": True, "jobs": found}, "\n".join(lines) or "没有排队、进行中或失败的任务。")
    return 0
