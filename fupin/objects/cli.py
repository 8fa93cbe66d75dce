import argparse
import sys
from pathlib import Path
from typing import Any

from fupin.cli import CommandFailed, add_json_flag, emit

CATEGORIES = ("WS", "KJ", "ZY", "ZP", "LY", "LX", "SJ")


def register(groups: argparse._SubParsersAction) -> None:
    objects = groups.add_parser("objects", help="电子文件（摘要、格式、固定性检查）")
    commands = objects.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser(
        "verify",
        help="重新计算全部已存文件（两处存储）的 SHA-256 与 SM3，核对固定性，损坏的副本自动修复",
    )
    add_json_flag(p)
    p.set_defaults(handler=verify)
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


def _progress(args: argparse.Namespace, what: str) -> Any:
    def show(done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            print(f"{what}：{done}/{total}", file=sys.stderr)

    return show


def verify(args: argparse.Namespace) -> int:
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
    if not report.replica:
        text += (
            "\n提示：未配置第二存储（FUPIN_REPLICA_DIR 或 FUPIN_REPLICA_S3_BUCKET），文件只有一份。"
        )
    emit(args, data, text)
    return 0 if report.ok else 1


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
