import argparse
import sys
from pathlib import Path
from typing import Any

from fupin.cli import CommandFailed, add_json_flag, emit

CATEGORIES = ("WS", "KJ", "ZY", "ZP", "LY", "LX", "SJ")


def register(groups: argparse._SubParsersAction) -> None:
    register_backup(groups)
    objects = groups.add_parser("objects", help="电子文件（摘要、格式、固定性检查）")
    commands = objects.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser(
        "verify",
        help="重新计算全部已存文件（两处存储）的 SHA-256 与 SM3，核对固定性，损坏的副本自动修复",
    )
    add_json_flag(p)
    p.set_defaults(handler=verify)
    p = commands.add_parser(
        "sweep", help="删除超过宽限期的孤立文件（无记录的字节）和崩溃遗留的临时文件"
    )
    add_json_flag(p)
    p.set_defaults(handler=sweep)
    p = commands.add_parser(
        "replicate", help="把已存文件复制到第二存储（已有完好副本的跳过），写入后核对"
    )
    add_json_flag(p)
    p.set_defaults(handler=replicate)
    p = commands.add_parser("capture", help="接收文件或文件夹（递归）到电子文件库")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--category", required=True, choices=CATEGORIES, help="门类代码：" + "、".join(CATEGORIES)
    )
    p.add_argument("--unit", type=int, metavar="ID", help="立档单位编号")
    add_json_flag(p)
    p.set_defaults(handler=capture)


def register_backup(groups: argparse._SubParsersAction) -> None:
    backup = groups.add_parser("backup", help="备份与恢复（数据库在线快照加电子文件，按摘要增量）")
    commands = backup.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser(
        "create", help="把数据库的一致快照和全部电子文件备份到目录 DEST（已有的文件不重复复制）"
    )
    p.add_argument(
        "dest", type=Path, metavar="DEST", help="备份目录（另一块磁盘、网络共享或移动硬盘）"
    )
    add_json_flag(p)
    p.set_defaults(handler=backup_create_cmd)
    for verb, words, handler in (
        ("verify", "逐个核对备份中的数据库快照与电子文件摘要", "backup_verify_cmd"),
        ("restore", "把备份恢复到空的安装（已有数据的安装拒绝恢复）", "backup_restore_cmd"),
    ):
        p = commands.add_parser(verb, help=words)
        p.add_argument("dest", type=Path, metavar="DEST", help="备份目录")
        p.add_argument("--snapshot", metavar="名称", help="指定快照（默认最新一次完整备份）")
        add_json_flag(p)
        p.set_defaults(handler=globals()[handler])


def _stage_progress(args: argparse.Namespace) -> Any:
    last: dict[str, int] = {}

    def show(stage: str, done: int, total: int) -> None:
        step = max(1, total // 20)
        if done == total or done - last.get(stage, -step) >= step:
            last[stage] = done
            print(f"{stage}：{done}/{total}", file=sys.stderr, flush=True)

    return show


def backup_create_cmd(args: argparse.Namespace) -> int:
    from fupin.objects.backup import backup_create

    report = backup_create(actor=None, dest=args.dest, progress=_stage_progress(args))
    data = report.as_dict()
    text = (
        f"备份完成：快照 {report.snapshot}（{report.engine}），电子文件 {report.objects} 个，"
        f"本次复制 {report.copied} 个（{report.bytes_copied} 字节），其余已在备份中；"
        f"用时 {report.seconds:.1f} 秒。审计日志链尾：第 {report.audit_head[0]} 条。"
    )
    if not report.ok:
        text = "备份未完成，以下文件未能备份（本次快照未标为最新）：\n" + "\n".join(
            f"  {p['sha256']}：{p['problem']}" for p in report.problems
        )
    emit(args, data, text)
    return 0 if report.ok else 1


def backup_verify_cmd(args: argparse.Namespace) -> int:
    from fupin.objects.backup import backup_verify

    report = backup_verify(dest=args.dest, snapshot=args.snapshot, progress=_stage_progress(args))
    if report.ok:
        text = (
            f"备份核对通过：快照 {report.snapshot}，数据库快照与 {report.objects} 个电子文件的"
            f"摘要均与清单一致。"
        )
    else:
        text = f"备份核对未通过：{len(report.problems)} 处问题：\n" + "\n".join(
            f"  {p['what']}：{p['problem']}" for p in report.problems
        )
    emit(args, report.as_dict(), text)
    return 0 if report.ok else 1


def backup_restore_cmd(args: argparse.Namespace) -> int:
    from fupin.objects.backup import backup_restore

    report = backup_restore(dest=args.dest, snapshot=args.snapshot, progress=_stage_progress(args))
    lines = [f"已从快照 {report.snapshot} 恢复：电子文件 {report.objects} 个。"]
    if report.fixity_bad:
        lines.append(f"以下 {len(report.fixity_bad)} 个文件恢复后核对未通过：")
        lines += [f"  {x}" for x in report.fixity_bad]
    if report.audit_ok:
        lines.append(f"审计日志校验通过（{report.audit_checked} 条）。")
    else:
        lines.append(
            f"审计日志校验未通过：{report.audit_reason}（审计密钥不在备份中，"
            "请确认本安装配置了原安装的 FUPIN_AUDIT_KEY 或 FUPIN_AUDIT_KEY_FILE）。"
        )
    emit(args, report.as_dict(), "\n".join(lines))
    return 0 if report.ok else 1


def _progress(args: argparse.Namespace, what: str) -> Any:
    def show(done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            print(f"{what}：{done}/{total}", file=sys.stderr)

    return show


def verify(args: argparse.Namespace) -> int:
    from fupin.objects.selectors import objects_leftovers
    from fupin.objects.services import objects_fixity_check

    report = objects_fixity_check(actor=None, progress=_progress(args, "固定性检查"))
    data = report.as_dict()
    if report.ok:
        text = f"固定性检查通过：{report.checked} 个文件的 SHA-256 与 SM3 均与记录一致。"
    else:
        lines = [f"固定性检查失败：{len(report.bad)} / {report.checked} 个文件与摘要不符："]
        lines += [f"  {m['sha256']}：{m['reason']}" for m in data["mismatched"]]
        text = "\n".join(lines)
    if report.repaired:
        text += f"\n已自动修复 {len(report.repaired)} 个文件的损坏副本："
        text += "".join(
            f"\n  {r['sha256']}：{'；'.join(r['found'].values())}" for r in data["repaired"]
        )
    leftovers = objects_leftovers()
    data["leftovers"] = [x.as_dict() for x in leftovers]
    if leftovers:
        text += f"\n孤立文件与临时遗留文件 {len(leftovers)} 个（超过宽限期的将被自动清理）："
        text += "".join(f"\n  {_leftover_line(x)}" for x in leftovers)
    if not report.replica:
        text += (
            "\n提示：未配置第二存储（FUPIN_REPLICA_DIR 或 FUPIN_REPLICA_S3_BUCKET），文件只有一份。"
        )
    emit(args, data, text)
    return 0 if report.ok else 1


def _leftover_line(x: Any) -> str:
    from fupin.objects.stores import STORE_LABELS

    what = "孤立文件" if x.kind == "orphan" else "临时遗留文件"
    when = "已过宽限期" if x.due else "宽限期内"
    return f"{what}（{STORE_LABELS[x.store]}）{x.name}，{x.size} 字节，{when}"


def sweep(args: argparse.Namespace) -> int:
    from fupin.objects.services import objects_sweep

    report = objects_sweep(actor=None)
    lines = [f"已清理 {len(report.swept)} 个，宽限期内暂留 {len(report.waiting)} 个。"]
    lines += [f"  已清理：{_leftover_line(x)}" for x in report.swept]
    lines += [f"  暂留：{_leftover_line(x)}" for x in report.waiting]
    emit(args, report.as_dict(), "\n".join(lines))
    return 0


def replicate(args: argparse.Namespace) -> int:
    from fupin.objects.services import objects_replicate

    report = objects_replicate(actor=None, progress=_progress(args, "复制到第二存储"))
    copied, failed = len(report.copied), len(report.failed)
    lines = [f"核对 {report.checked} 个文件：复制 {copied} 个，失败 {failed} 个。"]
    lines += [f"  {h.sha256}：{'；'.join(h.unrepaired.values())}" for h in report.failed]
    emit(args, report.as_dict(), "\n".join(lines))
    return 0 if report.ok else 1


def _files(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandFailed(f"找不到：{'、'.join(missing)}")
    found = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")))]
    return [f for f in found if f.is_file()]


def capture(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from fupin.objects.models import CaptureOutcome
    from fupin.objects.photos import PHOTO_FORMATS
    from fupin.objects.services import object_capture, photo_thumbnail
    from fupin.regions.models import Unit

    unit = None
    if args.unit is not None:
        unit = Unit.objects.filter(pk=args.unit).first()
        if unit is None:
            raise CommandFailed(f"立档单位 {args.unit} 不存在。")
    files = _files(args.paths)
    if not files:
        raise CommandFailed("没有找到要接收的文件。")
    results = []
    for path in files:
        row: dict = {"file": str(path)}
        with path.open("rb") as handle:
            try:
                done = object_capture(
                    actor=None,
                    stream=handle,
                    filename=path.name,
                    category=args.category,
                    unit=unit,
                )
            except ValidationError as exc:
                row |= {"outcome": CaptureOutcome.REJECTED, "message": "；".join(exc.messages)}
                results.append(row)
                continue
        if args.category == "ZP" and done.object.format in PHOTO_FORMATS:
            photo_thumbnail(actor=None, obj=done.object)
        row |= {
            "outcome": done.outcome,
            "format": done.object.format,
            "size": done.object.size,
            "sha256": done.object.sha256,
            "message": "；".join(done.notes),
        }
        results.append(row)
    rejected = sum(r["outcome"] == CaptureOutcome.REJECTED for r in results)
    lines = [
        f"{r['file']}：{CaptureOutcome(r['outcome']).label}"
        + (f"（{r['message']}）" if r["message"] else "")
        for r in results
    ]
    lines.append(f"共 {len(results)} 个文件，拒收 {rejected} 个。")
    emit(args, {"ok": not rejected, "files": results}, "\n".join(lines))
    return 2 if rejected else 0
