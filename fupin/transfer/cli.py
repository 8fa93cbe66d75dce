"""`fupin transfer plan|build|receive|list`: the transfer to the archives from the server's command
line (the operator: full scope)."""

import argparse
import re

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    transfer = groups.add_parser("transfer", help="移交与接收进馆")
    commands = transfer.add_subparsers(dest="cmd", metavar="命令", required=True)

    p = commands.add_parser(
        "plan",
        help="制定移交计划：按年度、门类、保管期限选取一个单位已归档的档案",
        description="列出每件档案受阻的原因；精准扶贫工作结束前移交须写明提前移交理由。",
    )
    p.add_argument("--unit", type=int, required=True, help="移交单位（单位编号）")
    p.add_argument("--years", default="", help="年度或年度范围，如 2016 或 2016-2020")
    p.add_argument("--category", action="append", default=[], help="门类代码（可重复），如 WS")
    p.add_argument("--retention", action="append", default=[], help="保管期限代码（可重复）")
    p.add_argument("--class-code", action="append", default=[], help="机构（问题）代码（可重复）")
    p.add_argument("--no-households", action="store_true", help="不含一户一档")
    p.add_argument("--early-reason", default="", help="提前移交理由（工作结束前移交必填）")
    p.add_argument("--nature", default="移交", help="交接性质：移交、寄存、征购或捐赠")
    add_json_flag(p)
    p.set_defaults(handler=plan)

    p = commands.add_parser(
        "build",
        help="对移交批次进行四性检测并生成移交包（BagIt）",
        description="有受阻档案或检测不通过时拒绝并列出原因；中断后可重新运行。",
    )
    p.add_argument("batch", metavar="批次", help="移交批次号或编号")
    add_json_flag(p)
    p.set_defaults(handler=build)

    p = commands.add_parser(
        "receive",
        help="在档案馆的系统中接收另一系统生成的移交包（BagIt 目录或 .tar/.tar.gz/.zip）",
        description="逐字节核验数据包（SHA-256 与 SM3）、进行接收环节四性检测，"
        "全部通过后把文件连同电子文件接收进馆，保留原档号、原全宗和原单位；"
        "任何一项不通过则拒收，不留下任何数据。",
    )
    p.add_argument("package", metavar="数据包", help="移交包的路径")
    p.add_argument("--archives", type=int, help="接收的综合档案馆（单位编号；只有一个时可省）")
    p.add_argument("--leader", required=True, help="接收单位负责人")
    p.add_argument("--name", required=True, help="接收人")
    p.add_argument("--opinion", default="", help="接收意见")
    add_json_flag(p)
    p.set_defaults(handler=receive)

    p = commands.add_parser("list", help="列出移交批次")
    p.add_argument("--status", default="", help="只列出该状态：planned/built/sent/accepted/…")
    p.add_argument("--unit", type=int, help="只列出该移交单位的批次")
    add_json_flag(p)
    p.set_defaults(handler=list_batches)


def _years(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    found = re.fullmatch(r"(\d{4})(?:\s*[-—~至]\s*(\d{4}))?", text.strip())
    if not found:
        raise CommandFailed(f"年度“{text}”的格式不对，应为 2016 或 2016-2020。")
    first = int(found.group(1))
    return first, int(found.group(2) or first)


def _batch_id(text: str) -> int:
    from fupin.transfer.models import Batch

    found = Batch.objects.filter(number=text).values_list("pk", flat=True).first()
    if found is None and text.isdigit():
        found = Batch.objects.filter(pk=int(text)).values_list("pk", flat=True).first()
    if found is None:
        raise CommandFailed(f"找不到移交批次“{text}”。")
    return int(found)


def _rows_text(data: dict) -> list[str]:
    lines = []
    for row in data["records"]:
        mark = "；".join(row["blockers"]) if row["blockers"] else "可以移交"
        lines.append(f"  {row['kind']} {row['code']} {row['title'][:30]}：{mark}")
    return lines


def plan(args: argparse.Namespace) -> int:
    from fupin.transfer.api import batch_detail_out
    from fupin.transfer.services import batch_plan

    batch = batch_plan(
        actor=None, unit_id=args.unit, years=_years(args.years), categories=args.category,
        retentions=args.retention, class_codes=args.class_code,
        households=not args.no_households, early_reason=args.early_reason, nature=args.nature,
    )  # fmt: skip
    data = batch_detail_out(None, batch)
    blocked = sum(1 for r in data["records"] if r["blockers"])
    lines = [
        f"已制定移交计划 {batch.number}：{batch.unit.name} → {batch.archives.name}，"
        f"{data['items']} 件、{data['volumes']} 卷，其中受阻 {blocked} 件（卷）",
        *_rows_text(data),
    ]
    emit(args, {"ok": True, "batch": data}, "\n".join(lines))
    return 0


def build(args: argparse.Namespace) -> int:
    from fupin.transfer.api import batch_out
    from fupin.transfer.services import batch_build

    batch = batch_build(actor=None, batch_id=_batch_id(args.batch))
    data = batch_out(batch)
    lines = [
        f"已生成移交包 {batch.package_name}：{batch.package_bytes} 字节，"
        f"摘要算法 {batch.digest_algorithms}",
        f"移交包摘要（SHA-256）：{batch.package_sha256}",
        *(f"  {c['property']}·{c['label']}：{c['outcome']}" for c in batch.checks),
    ]
    emit(args, {"ok": True, "batch": data}, "\n".join(lines))
    return 0


def receive(args: argparse.Namespace) -> int:
    from fupin.transfer.api import batch_out
    from fupin.transfer.receive import package_receive

    done = package_receive(
        actor=None, path=args.package, leader=args.leader, name=args.name,
        opinion=args.opinion, archives_id=args.archives,
    )  # fmt: skip
    batch = done.batch
    data = {"ok": True, "batch": batch_out(batch), "records": done.records, "files": done.files}
    lines = [
        f"已接收移交包 {batch.number}（{batch.sender_name}）：{done.records} 件文件、"
        f"{done.files} 个电子文件进馆，接收检测记录 #{done.run.pk}",
        f"移交包摘要（SHA-256）：{batch.package_sha256}",
    ]
    emit(args, data, "\n".join(lines))
    return 0


def list_batches(args: argparse.Namespace) -> int:
    from fupin.transfer.api import batch_out
    from fupin.transfer.models import Batch

    found = Batch.objects.select_related("unit", "archives")
    if args.status:
        found = found.filter(status=args.status)
    if args.unit:
        found = found.filter(unit_id=args.unit)
    data = [batch_out(b) for b in found[:1000]]
    lines = [
        f"{b['number']}  {b['unit']} → {b['archives']}  {b['status_label']}  "
        f"{b['items']} 件 {b['volumes']} 卷"
        for b in data
    ] or ["没有移交批次。"]
    emit(args, {"ok": True, "batches": data}, "\n".join(lines))
    return 0
