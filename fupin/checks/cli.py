"""`fupin checks run|show`: the four-property checks from the server's command line."""

import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit

STAGES = ("archive", "transfer", "receipt", "keeping")


def register(groups: argparse._SubParsersAction) -> None:
    checks = groups.add_parser("checks", help="四性检测（DA/T 70-2018）")
    commands = checks.add_subparsers(dest="cmd", metavar="命令", required=True)
    p = commands.add_parser(
        "run",
        help="对一批档案进行四性检测，生成逐项报告",
        description="归档环节检测已编号、待归档的文件；移交、接收、长期保存环节检测已归档的文件。",
    )
    p.add_argument(
        "--stage", required=True, choices=STAGES, help="检测环节：归档/移交/接收/长期保存"
    )
    p.add_argument("--unit", type=int, help="只检测该立档单位（单位编号）")
    p.add_argument("--fonds", default="", help="只检测该全宗号")
    p.add_argument("--year", type=int, help="只检测该年度")
    p.add_argument(
        "--package", type=Path, help="同时检测该数据包（BagIt 目录或其 .tar/.tar.gz/.zip）"
    )
    p.add_argument("--pdf", type=Path, help="把检测报告保存为该 PDF 文件")
    add_json_flag(p)
    p.set_defaults(handler=run)

    p = commands.add_parser("show", help="显示一次检测的逐项报告")
    p.add_argument("run", type=int, metavar="检测编号")
    p.add_argument("--pdf", type=Path, help="把检测报告保存为该 PDF 文件")
    add_json_flag(p)
    p.set_defaults(handler=show)


def _print(args: argparse.Namespace, run_id: int) -> int:
    from fupin.checks.printed import run_pdf
    from fupin.checks.selectors import access_run, run_as_dict

    found = access_run(None, run_id)
    data = {"ok": True, "run": run_as_dict(found)}
    if args.pdf:
        args.pdf.write_bytes(run_pdf(found))
        data["pdf"] = str(args.pdf)
    lines = [
        f"{found.get_stage_display()}环节四性检测 #{found.pk}：{found.scope_label}",
        f"  {found.records} 件文件，{found.files} 个电子文件，{found.bytes} 字节",
    ]
    for result in data["run"]["results"]:
        lines.append(
            f"  [{result['outcome_label']}] {result['property']}·{result['title']}"
            f"（检测 {result['checked']}，不通过 {len(result['failures'])}）"
            + (f" {result['note']}" if result["note"] else "")
        )
        lines += [f"      {f['record']}：{f['reason']}" for f in result["failures"][:20]]
        if len(result["failures"]) > 20:
            lines.append(f"      ……另有 {len(result['failures']) - 20} 处")
    lines.append("结论：" + ("全部通过" if found.passed else "不通过"))
    if args.pdf:
        lines.append(f"报告已保存：{args.pdf}")
    emit(args, data, "\n".join(lines))
    return 0 if found.passed else 1


def run(args: argparse.Namespace) -> int:
    from fupin.checks.selectors import stage_items
    from fupin.checks.services import checks_run

    items = stage_items(stage=args.stage, unit_id=args.unit, fonds=args.fonds, year=args.year)
    if args.package is not None and not (args.unit or args.fonds or args.year):
        # A package alone (e.g. from another installation): only what it carries is checked.
        items = items.none()
    if not items.exists() and args.package is None:
        raise CommandFailed(
            "没有符合条件的文件可检测（归档环节检测待归档文件，其他环节检测已归档文件）。"
        )
    found = checks_run(
        actor=None, stage=args.stage, items=items.values_list("pk", flat=True), package=args.package
    )
    return _print(args, found.pk)


def show(args: argparse.Namespace) -> int:
    return _print(args, args.run)
