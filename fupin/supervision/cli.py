import argparse
import json
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    reports = groups.add_parser("reports", help="季报：生成、导出与导入签名数据包")
    commands = reports.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("build", help="按数据生成一个区划（或单位）的季报")
    p.add_argument("--quarter", required=True, help="季度，如 2016Q3")
    p.add_argument("--region", help="区划代码")
    p.add_argument("--unit", type=int, help="单位编号")
    p.add_argument("--tree", action="store_true", help="连同以下各级区划一起生成（草稿）")
    add_json_flag(p)
    p.set_defaults(handler=build)
    p = commands.add_parser("export", help="把已报送的区划季报导出为签名数据包")
    p.add_argument("--quarter", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--out", type=Path, required=True, help="数据包文件（.json）")
    add_json_flag(p)
    p.set_defaults(handler=export)
    p = commands.add_parser("import", help="导入下级系统报送的签名数据包")
    p.add_argument("package", type=Path)
    add_json_flag(p)
    p.set_defaults(handler=import_package)


def _as_data(report) -> dict:
    from fupin.supervision.reports.present import report_lines

    return {
        "id": report.pk,
        "quarter": report.quarter,
        "region": report.region_id,
        "unit": report.unit_id,
        "subject": report.subject_name,
        "status": report.status,
        "figures": report.figures,
        "lines": [vars(line) | {"delta": line.delta} for line in report_lines(report)],
    }


def build(args: argparse.Namespace) -> int:
    from fupin.supervision.reports.services import report_build, reports_build_tree

    if args.tree:
        if not args.region:
            raise CommandFailed("--tree 需要同时指定 --region。")
        counts = reports_build_tree(actor=None, quarter=args.quarter, region_code=args.region)
        form = (
            "新建 {created} 份，更新 {updated} 份，未变 {unchanged} 份，已报送的 {frozen} 份未动。"
        )
        done = form.format(**counts)
        emit(args, counts, done)
        return 0
    report = report_build(
        actor=None, quarter=args.quarter, region_code=args.region, unit_id=args.unit
    )
    data = _as_data(report)
    text = "\n".join(f"{x['label']}：{x['value']}{x['measure']}" for x in data["lines"])
    emit(args, data, f"{report.subject_name} {report.quarter} 季报（草稿）\n{text}")
    return 0


def export(args: argparse.Namespace) -> int:
    from fupin.supervision.federation.services import report_export
    from fupin.supervision.models import QuarterReport
    from fupin.supervision.reports.quarters import Quarter

    quarter = str(Quarter.parse(args.quarter))
    report = QuarterReport.objects.filter(quarter=quarter, region_id=args.region).first()
    if report is None:
        raise CommandFailed(f"没有 {args.region} 的 {quarter} 季报。")
    package = report_export(actor=None, report_id=report.pk)
    args.out.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    emit(args, {"file": str(args.out), "digest": package["digest"]}, f"已导出到 {args.out}")
    return 0


def import_package(args: argparse.Namespace) -> int:
    from fupin.supervision.federation.services import report_import

    if not args.package.is_file():
        raise CommandFailed(f"文件 {args.package} 不存在。")
    report = report_import(actor=None, package=args.package.read_bytes())
    emit(args, _as_data(report), f"已导入 {report.subject_name} {report.quarter} 季报，待审核。")
    return 0
