import argparse
from datetime import date
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit

LEVEL_NAMES = ("province", "city", "county", "township", "village")


def register(groups: argparse._SubParsersAction) -> None:
    regions = groups.add_parser("regions", help="行政区划").add_subparsers(
        dest="cmd", required=True
    )
    p = regions.add_parser("import", help="导入统计用区划代码 CSV（任意顺序，全部通过才写入）")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_json_flag(p)
    p.set_defaults(handler=import_files)
    p = regions.add_parser("flag", help="标记贫困县/贫困村及摘帽/出列年度")
    p.add_argument("code")
    poor = p.add_mutually_exclusive_group(required=True)
    poor.add_argument("--poor", dest="is_poor", action="store_true", help="标记为贫困县/贫困村")
    poor.add_argument("--not-poor", dest="is_poor", action="store_false", help="取消贫困标记")
    p.add_argument("--exit-year", type=int, help="摘帽/出列年度，如 2019")
    add_json_flag(p)
    p.set_defaults(handler=flag)
    p = regions.add_parser(
        "campaign-end", help="设定精准扶贫工作结束日期与移交进馆期限（省、市、县，下级随上级）"
    )
    p.add_argument("code")
    p.add_argument("--ended", type=_day, metavar="YYYY-MM-DD", help="结束日期；不填则清除")
    p.add_argument("--due", type=_day, metavar="YYYY-MM-DD", help="移交进馆期限")
    add_json_flag(p)
    p.set_defaults(handler=campaign_end)
    p = regions.add_parser("list", help="列出区划")
    p.add_argument("--under", metavar="CODE", help="只列出该区划之下（含自身）")
    p.add_argument("--level", choices=LEVEL_NAMES)
    add_json_flag(p)
    p.set_defaults(handler=list_regions)


def import_files(args: argparse.Namespace) -> int:
    from fupin.regions.models import Level
    from fupin.regions.services import regions_import

    report = regions_import(actor=None, paths=args.files)
    if report.ok:
        lines = [f"导入完成（{'、'.join(report.files)}）："]
        for level, c in report.counts.items():
            lines.append(
                f"  {Level(level).label}：新增 {c['added']}，更名 {c['renamed']}，"
                f"贫困标记变更 {c['flagged']}，未变 {c['unchanged']}"
            )
        lines += [f"  更名 {r['code']}：{r['old']} → {r['new']}" for r in report.renames]
    else:
        lines = [f"导入失败，未写入任何数据。共 {len(report.errors)} 处错误："]
        lines += [f"  {e}" for e in report.errors]
    emit(args, report.as_dict(), "\n".join(lines))
    return 0 if report.ok else 2


def flag(args: argparse.Namespace) -> int:
    from django.http import Http404

    from fupin.regions.services import region_set_poverty

    try:
        region = region_set_poverty(
            actor=None, code=args.code, is_poor=args.is_poor, exit_year=args.exit_year
        )
    except Http404 as exc:
        raise CommandFailed(f"区划 {args.code} 不存在。") from exc
    data = {"code": region.code, "is_poor": region.is_poor, "exit_year": region.exit_year}
    emit(args, data, f"{region}：{region.poverty_label or '非贫困'}")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2020-12-31") from exc


def campaign_end(args: argparse.Namespace) -> int:
    from django.http import Http404

    from fupin.regions.selectors import campaign_end as applying
    from fupin.regions.services import region_campaign_end_set

    try:
        region = region_campaign_end_set(
            actor=None, code=args.code, ended_on=args.ended, transfer_due_on=args.due
        )
    except Http404 as exc:
        raise CommandFailed(f"区划 {args.code} 不存在。") from exc
    end = applying(region.code)
    data = {
        "code": region.code,
        "ended_on": end.ended_on.isoformat() if end else None,
        "transfer_due_on": end.transfer_due_on.isoformat() if end and end.transfer_due_on else None,
        "set_on": end.set_on if end else None,
    }
    if end is None:
        text = f"{region}：未设定精准扶贫工作结束日期。"
    else:
        due = f"，{end.transfer_due_on:%Y-%m-%d} 前移交进馆" if end.transfer_due_on else ""
        text = f"{region}：精准扶贫工作 {end.ended_on:%Y-%m-%d} 结束{due}（设定于 {end.set_on}）。"
    emit(args, data, text)
    return 0


def list_regions(args: argparse.Namespace) -> int:
    from fupin.regions.models import Region

    regions = Region.objects.all()
    if args.under:
        if not Region.objects.filter(code=args.under).exists():
            raise CommandFailed(f"区划 {args.under} 不存在。")
        regions = regions.filter(code__startswith=args.under)
    if args.level:
        regions = regions.filter(level=args.level)
    found = list(regions)
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "is_poor": r.is_poor,
            "exit_year": r.exit_year,
        }
        for r in found
    ]
    lines = [f"{r.code:<12} {r.name} {r.poverty_label}".rstrip() for r in found]
    emit(args, rows, "\n".join([*lines, f"共 {len(rows)} 个区划。"]))
    return 0
