import argparse

from fupin.cli import add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    schedule = groups.add_parser("schedule", help="归档范围和保管期限表")
    commands = schedule.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("load", help="载入省级归档范围和保管期限表（已载入则不变）")
    add_json_flag(p)
    p.set_defaults(handler=load)
    p = commands.add_parser("list", help="列出条目")
    p.add_argument("--level", choices=["county", "township", "village"], default="")
    p.add_argument("--category", default="", help="门类：文书、科技、专业、声像、电子")
    p.add_argument("--q", default="", help="按归档范围或责任单位中的文字筛选")
    add_json_flag(p)
    p.set_defaults(handler=list_rows)
    p = commands.add_parser("refinements", help="列出各地各单位的细化方案及备案状态")
    add_json_flag(p)
    p.set_defaults(handler=refinements)
    p = commands.add_parser("suggest", help="按文件题名推荐所属条目及保管期限")
    p.add_argument("title", help="文件题名")
    p.add_argument("--level", choices=["county", "township", "village"], default="county")
    p.add_argument("--limit", type=int, default=3)
    add_json_flag(p)
    p.set_defaults(handler=suggest_rows)


def load(args: argparse.Namespace) -> int:
    from fupin.schedule.services import schedule_load_annex

    version = schedule_load_annex(actor=None)
    count = version.rows.count()
    emit(
        args,
        {"version": version.pk, "title": version.title, "rows": count},
        f"已载入：{version.title}，共 {count} 条。",
    )
    return 0


def list_rows(args: argparse.Namespace) -> int:
    from fupin.schedule.selectors import base_version, filter_rows, rows_in_force

    rows = filter_rows(
        rows_in_force(base_version()), level=args.level, category=args.category, q=args.q
    )
    data = [
        {
            "level": r.level,
            "level_label": r.get_level_display(),
            "category": r.get_category_display(),
            "number": r.number,
            "scope": r.scope_text,
            "retention": r.retention_text,
            "options": r.retention_options,
            "responsible": r.responsible_units,
        }
        for r in rows
    ]
    lines = [
        f"{d['level_label']} {d['category']} {d['number']:>3} {d['retention']:<8} {d['scope']}"
        for d in data
    ]
    emit(args, data, "\n".join(lines) or "没有符合条件的条目。")
    return 0


def refinements(args: argparse.Namespace) -> int:
    from fupin.schedule.selectors import visible_refinements

    data = [
        {
            "id": v.pk,
            "title": v.title,
            "owner": v.owner_label,
            "status": v.status,
            "status_label": v.get_status_display(),
            "effective_from": v.effective_from,
        }
        for v in visible_refinements(None)
    ]
    emit(
        args,
        data,
        "\n".join(f"{d['id']:>4} {d['status_label']} {d['owner']} {d['title']}" for d in data)
        or "没有细化方案。",
    )
    return 0


def suggest_rows(args: argparse.Namespace) -> int:
    from fupin.cli import CommandFailed
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.suggest import suggest

    version = base_version()
    if version is None:
        raise CommandFailed("归档范围表尚未载入，请先运行 fupin schedule load。")
    found = suggest(args.title, level=args.level, rows=rows_in_force(version), limit=args.limit)
    data = [
        {
            "level": s.level,
            "level_label": s.level_label,
            "category": s.category,
            "number": s.number,
            "scope": s.scope,
            "retention": s.retention,
            "options": s.options,
            "score": s.score,
            "confidence": s.confidence,
        }
        for s in found
    ]
    lines = [
        f"{d['confidence']}（{d['score']:.2f}） {d['level_label']} {d['category']} "
        f"{d['number']:>3} {d['retention']:<8} {d['scope']}"
        for d in data
    ]
    emit(args, data, "\n".join(lines) or "没有找到相符的条目，请换个说法或查阅归档范围表。")
    return 0
