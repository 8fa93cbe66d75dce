"""`fupin households import|changes|show`: the registry in batch — import the registration
sheet, list a batch's changes, show a household."""

import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit


def register_registry_commands(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("import", help="导入建档立卡表（.xlsx 或 .csv，每人一行，户主行在前）")
    p.add_argument("file", type=Path, metavar="文件")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="跳过有错误的户，导入其余各户（默认有错误则全部不导入）",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="只预览：列出各村将新识别、返贫、脱贫、清退（逐户列名）及成员、属性变动，不写入",
    )
    p.add_argument(
        "--year",
        type=int,
        metavar="数据年度",
        help="表中数据所属年度（默认今年）：新识别、脱贫按此年度记；表中无“识别年度”列时，"
        "首次导入的户以此年度记为登记年度",
    )
    add_json_flag(p)
    p.set_defaults(handler=import_sheet)
    p = commands.add_parser("changes", help="列出一次导入带来的变动")
    p.add_argument("--batch", type=int, required=True, metavar="批次号")
    add_json_flag(p)
    p.set_defaults(handler=changes)
    p = commands.add_parser("show", help="显示一户及其成员（证件号码默认遮蔽）")
    p.add_argument("household_no", metavar="户编号")
    p.add_argument("--reveal", action="store_true", help="显示完整证件号码与电话（记入审计日志）")
    add_json_flag(p)
    p.set_defaults(handler=show)


def import_sheet(args: argparse.Namespace) -> int:
    from fupin.households.registry.services import households_import

    if not args.file.is_file():
        raise CommandFailed(f"找不到文件 {args.file}")
    report = households_import(
        actor=None,
        path=args.file,
        skip_invalid=args.skip_invalid,
        dry_run=args.dry_run,
        data_year=args.year,
    )
    lines = [f"{report.file}：{report.rows} 行，{report.households} 户。"]
    if report.dry_run and report.digest:
        lines.append(
            "预览，未写入：" + ("各村变动如下。" if report.plan else "与登记数据相同，无变动。")
        )
    elif report.applied and not report.changes:
        lines.append("与登记数据相同：无变动，未写入任何内容。")
    elif report.applied:
        lines.append(
            f"已导入 {report.imported_households} 户 {report.people} 人（批次 {report.batch_id}），"
            f"{report.unchanged_households} 户无变动。"
        )
        counted = "，".join(f"{k} {n} 项" for k, n in report.changes.items())
        lines.append(f"变动：{counted}")
    lines += plan_lines(report.plan)
    if report.error_rows:
        verb = "已跳过" if report.digest else "全部未导入；有错误的"
        lines.append(f"{report.error_rows} 行有错误，{verb} {report.skipped_households} 户。")
        lines += [f"  第 {e['row']} 行：{e['message']}" for e in report.errors[:20]]
        lines.append(f"错误清单（原表加“错误”列）：{report.error_workbook}")
    lines += [f"  提示：第 {w['row']} 行 {w['message']}" for w in report.warnings[:20]]
    emit(args, report.as_dict(), "\n".join(lines))
    return 2 if report.error_rows else 0


def plan_lines(plan: list[dict]) -> list[str]:
    """Each village's figures, then the households it would 清退, by name."""
    from fupin.households.registry.services import PLAN_LABELS

    lines = []
    for village in plan:
        counted = "，".join(
            f"{label} {village[key]}" for key, label in PLAN_LABELS.items() if village[key]
        )
        lines.append(f"  {village['village_name'] or village['village']}：{counted}")
        lines += [
            f"    清退：{h['head_name']}户（{h['household_no']}）"
            for h in village["removed_households"]
        ]
    return lines


def changes(args: argparse.Namespace) -> int:
    from fupin.households.registry.selectors import access_batch, shown_change_value

    batch, found, totals = access_batch(None, args.batch)
    items = [
        {
            "household_no": c.household.household_no,
            "kind": c.get_kind_display(),
            "field": c.field,
            "person_no": c.person_no,
            "person_name": c.person_name,
            "before": shown_change_value(c, c.before),
            "after": shown_change_value(c, c.after),
        }
        for c in found
    ]
    lines = [
        f"批次 {batch.pk}：{batch.file_name}，{batch.at:%Y-%m-%d %H:%M}，共 {len(items)} 项变动。"
    ]
    for i in items:
        who = f" {i['person_name']}（{i['person_no']}）" if i["person_no"] else ""
        what = f" {i['field']}：{i['before']} → {i['after']}" if i["field"] else ""
        lines.append(f"  户 {i['household_no']} {i['kind']}{who}{what}")
    emit(args, {"batch": batch.pk, "summary": totals, "changes": items}, "\n".join(lines))
    return 0


def show(args: argparse.Namespace) -> int:
    from fupin.households.models import Household
    from fupin.households.registry.selectors import household_members, shown_id, shown_phone
    from fupin.households.registry.services import household_reveal

    household = Household.objects.filter(household_no=args.household_no).first()
    if household is None:
        raise CommandFailed(f"没有户编号为 {args.household_no} 的户。")
    if args.reveal:
        household_reveal(actor=None, household=household)
    members = [
        {
            "person_no": p.person_no,
            "name": p.name,
            "relation": p.relation,
            "id_number": shown_id(p.id_number, args.reveal),
        }
        for p in household_members(household)
    ]
    data = {
        "household_no": household.household_no,
        "village": household.village_id,
        "head_name": household.head_name,
        "status": household.get_status_display(),
        "phone": shown_phone(household.phone, args.reveal),
        "members": members,
    }
    lines = [
        f"户 {household.household_no}（{household.village_id}）户主 {household.head_name}，"
        f"{data['status']}，电话 {data['phone'] or '无'}"
    ]
    lines += [f"  {m['person_no']} {m['name']} {m['relation']} {m['id_number']}" for m in members]
    emit(args, data, "\n".join(lines))
    return 0
