"""`fupin households attach|completeness|todo|exit-accept|refresh`: the household file in batch."""

import argparse
import datetime
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit


def register_file_commands(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("attach", help="把一份材料挂接到一户的档案（可附扫描件）")
    p.add_argument("household_no", metavar="户编号")
    p.add_argument("--type", type=int, required=True, dest="number", help="材料类型 1–15")
    p.add_argument("--date", required=True, help="文件日期 YYYY-MM-DD")
    p.add_argument("--pages", type=int, required=True, help="页数")
    p.add_argument("--title", default="", help="题名（默认“户主+材料类型”）")
    p.add_argument("--file", type=Path, help="扫描件")
    add_json_flag(p)
    p.set_defaults(handler=attach)
    p = commands.add_parser("completeness", help="一户一档完整率：本级合计与各下级")
    p.add_argument("--region", required=True, metavar="区划代码")
    add_json_flag(p)
    p.set_defaults(handler=completeness)
    p = commands.add_parser("todo", help="导出缺项清单（XLSX），交给各村补齐")
    p.add_argument("--region", required=True, metavar="区划代码")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="文件.xlsx")
    add_json_flag(p)
    p.set_defaults(handler=todo)
    p = commands.add_parser("exit-accept", help="脱贫验收（脱贫材料不全时拒绝）")
    p.add_argument("household_no", metavar="户编号")
    add_json_flag(p)
    p.set_defaults(handler=exit_accept)
    p = commands.add_parser(
        "refresh", help="重新计算一户一档完整情况（每年初运行：逐年材料多了一年）"
    )
    p.add_argument("--region", default="", metavar="区划代码")
    add_json_flag(p)
    p.set_defaults(handler=refresh)


def _household(number: str):
    from fupin.households.models import Household

    found = Household.objects.filter(household_no=number).first()
    if found is None:
        raise CommandFailed(f"没有户编号为 {number} 的户。")
    return found


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandFailed(f"日期 {text} 无效，应为 YYYY-MM-DD。") from None


def attach(args: argparse.Namespace) -> int:
    from fupin.households.files.dossier import household_document_add

    household = _household(args.household_no)
    if args.file and not args.file.is_file():
        raise CommandFailed(f"找不到文件 {args.file}")
    stream = args.file.open("rb") if args.file else None
    try:
        document = household_document_add(
            actor=None,
            household_id=household.pk,
            number=args.number,
            date=_date(args.date),
            pages=args.pages,
            title=args.title,
            stream=stream,
            filename=args.file.name if args.file else "",
        )
    finally:
        if stream:
            stream.close()
    household.refresh_from_db()
    data = {
        "household_no": household.household_no,
        "document": document.pk,
        "item": document.item_id,
        "docs_missing": household.docs_missing,
        "complete": household.file_complete,
    }
    text = f"已挂接到 {household.head_name}户档案；尚缺 {household.docs_missing} 项。"
    emit(args, data, text)
    return 0


def completeness(args: argparse.Namespace) -> int:
    from fupin.households.files.rollup import completeness_rollup

    region, total, rows = completeness_rollup(None, args.region)

    def row(t) -> dict:
        return {
            "code": t.code,
            "name": t.name,
            "households": t.households,
            "complete": t.complete,
            "rate": round(t.rate, 4),
            "missing_by_type": t.missing_by_type,
        }

    lines = [
        f"{region.name}：应建档 {total.households} 户，"
        f"齐全 {total.complete} 户（{total.rate_label}）"
    ]
    lines += [f"  {t.code} {t.name}：{t.complete}/{t.households}（{t.rate_label}）" for t in rows]
    emit(args, {"total": row(total), "children": [row(t) for t in rows]}, "\n".join(lines))
    return 0


def todo(args: argparse.Namespace) -> int:
    from fupin import printing
    from fupin.households.files.rollup import (
        completeness_rollup,
        households_by_missing,
        todo_entries,
    )

    region, total, _ = completeness_rollup(None, args.region)
    entries = todo_entries(households_by_missing(None, region.code))
    subtitle = (
        f"{region.name}（{region.code}）　应建档 {total.households} 户，齐全 {total.complete} 户"
    )
    args.output.write_bytes(printing.household_todo_xlsx(subtitle, entries))
    data = {"region": region.code, "households": len(entries), "file": str(args.output)}
    emit(args, data, f"缺项清单已写入 {args.output}（{len(entries)} 户）。")
    return 0


def exit_accept(args: argparse.Namespace) -> int:
    from fupin.households.files.dossier import household_exit_accept

    household = _household(args.household_no)
    file = household_exit_accept(actor=None, household_id=household.pk)
    data = {"household_no": household.household_no, "exit_accepted_year": file.exit_accepted_year}
    emit(args, data, f"{household.head_name}户通过脱贫验收（{file.exit_accepted_year}年）。")
    return 0


def refresh(args: argparse.Namespace) -> int:
    from fupin.households.files.completeness import files_refresh
    from fupin.households.models import Household

    inside = Household.objects.filter(village__code__startswith=args.region)
    count = files_refresh(inside.values_list("pk", flat=True).iterator())
    emit(args, {"households": count}, f"已重新计算 {count} 户的档案完整情况。")
    return 0
