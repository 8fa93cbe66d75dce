import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit

IMPORT_COLUMNS = """目录（第一个工作表，表头为含“题名”的一行）按列名识别，列名中的括号、空格不论：
  序号、档号、文号、备注          可选；档号或文号用于匹配电子文件，档号与系统编号不同时提示
  责任者、题名、日期、页数        必填；[题名] 表示自拟题名；日期可写 2016.3.18、2016-03-18、
                                  2016/3/18、20160318，或 Excel 日期
  密级                            可选：空、内部、秘密、机密
  年度                            可选，缺省为日期的年份
  保管期限（保管期限代码）        必填：永久、30年、10年，或 Y、D30、D10
  机构（问题）                    必填：本全宗类别的代码或名称
  门类                            可选：WS/文书 等，缺省为文书
  归档范围                        必填：本单位层级的归档范围条目序号，如 3、文书3、专业1
  事由                            可选
电子文件以档号或文号命名，同一行的多个文件在其后加 -1、-2（或 _1、_2）。
先检查全部行和文件：有任何错误则不写入任何内容，生成错误清单（原表加“错误”列，另有“文件错误”表）。"""


def register(groups: argparse._SubParsersAction) -> None:
    records = groups.add_parser("records", help="文件整理与归档")
    commands = records.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("arrange", help="按年度整理编号一个全宗的文件")
    p.add_argument("--unit", type=int, required=True, help="立档单位编号")
    p.add_argument("--year", type=int, required=True)
    add_json_flag(p)
    p.set_defaults(handler=arrange)
    p = commands.add_parser("lock", help="归档一个全宗一个年度全部已编号的文件（锁定档号）")
    p.add_argument("--unit", type=int, required=True)
    p.add_argument("--year", type=int, required=True)
    add_json_flag(p)
    p.set_defaults(handler=lock)
    p = commands.add_parser(
        "import",
        help="导入归档文件目录（Excel）及扫描件，全部无误才写入",
        description="导入归档文件目录及扫描件。",
        epilog=IMPORT_COLUMNS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("catalogue", type=Path, metavar="目录.xlsx")
    p.add_argument("--unit", type=int, required=True, help="立档单位编号")
    p.add_argument("--files", type=Path, metavar="DIR", help="扫描件所在目录")
    p.add_argument(
        "--errors",
        type=Path,
        metavar="PATH",
        help="错误清单的保存位置（缺省为 <目录名>-错误.xlsx）",
    )
    add_json_flag(p)
    p.set_defaults(handler=import_catalogue)
    p = commands.add_parser("box", help="把一个年度已编号未装盒的文件按类别装盒，每盒至多 N 件")
    p.add_argument("--unit", type=int, required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--per-box", type=int, default=50)
    add_json_flag(p)
    p.set_defaults(handler=box)
    p = commands.add_parser("print", help="打印一个年度的归档文件目录（每个类别一份）和归档章")
    p.add_argument("--unit", type=int, required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
    add_json_flag(p)
    p.set_defaults(handler=print_forms)


def arrange(args: argparse.Namespace) -> int:
    from fupin.records.services import items_arrange

    report = items_arrange(actor=None, unit_id=args.unit, year=args.year)
    done = f"整理编号完成：{report.classes} 个类别，{report.numbered} 件编号"
    emit(
        args,
        report.as_dict(),
        f"{done}，{report.kept} 件已归档未变。",
    )
    return 0


def lock(args: argparse.Namespace) -> int:
    from fupin.records.models import ItemStatus, RecordItem
    from fupin.records.services import items_lock

    ids = list(
        RecordItem.objects.filter(
            unit_id=args.unit, year=args.year, status=ItemStatus.ARRANGED
        ).values_list("pk", flat=True)
    )
    count = items_lock(actor=None, unit_id=args.unit, item_ids=ids)
    emit(args, {"locked": count}, f"已归档 {count} 件。")
    return 0


def import_catalogue(args: argparse.Namespace) -> int:
    from django.http import Http404

    from fupin.records.importing import catalogue_import

    try:
        report = catalogue_import(
            actor=None,
            unit_id=args.unit,
            catalogue=args.catalogue,
            files=args.files,
            errors_path=args.errors,
        )
    except Http404 as exc:
        raise CommandFailed(str(exc)) from exc
    if report.ok:
        years = "、".join(str(y) for y in report.years)
        lines = [
            f"导入完成：目录 {report.rows} 行，著录 {report.items} 件，"
            f"挂接电子文件 {report.files} 个；已整理编号 {years} 年度。"
        ]
        lines += [
            f"第 {d['row']} 行：目录中的档号 {d['given']} 与系统编号 {d['assigned']} 不同。"
            for d in report.code_differences
        ]
    else:
        bad_rows = {e["row"] for e in report.errors} - {None}
        lines = [
            f"导入未完成，未写入任何内容：{len(bad_rows)} 行有错误，"
            f"{len(report.file_errors)} 个文件有错误。错误清单：{report.error_workbook}"
        ]
        lines += [
            f"第 {e['row']} 行：{e['reason']}" if e["row"] else e["reason"] for e in report.errors
        ]
        lines += [f"文件 {e['file']}：{e['reason']}" for e in report.file_errors]
    lines += [f"提示（第 {n['row']} 行 {n['file']}）：{n['note']}" for n in report.notes]
    emit(args, report.as_dict(), "\n".join(lines))
    return 0 if report.ok else 2


def _classes(unit_id: int, year: int) -> dict[tuple, list]:
    from fupin.records.models import RecordItem

    found: dict[tuple, list] = {}
    items = (
        RecordItem.objects.filter(unit_id=unit_id, year=year, item_number__isnull=False)
        .select_related("class_code", "unit")
        .order_by("category", "retention", "class_code__code", "item_number")
    )
    for item in items:
        found.setdefault((item.category, item.retention, item.class_code), []).append(item)
    return found


def box(args: argparse.Namespace) -> int:
    from fupin.records.services import items_box

    made = []
    for members in _classes(args.unit, args.year).values():
        loose = [i.pk for i in members if i.box_id is None]
        for start in range(0, len(loose), args.per_box):
            made.append(
                str(
                    items_box(
                        actor=None, unit_id=args.unit, item_ids=loose[start : start + args.per_box]
                    )
                )
            )
    emit(args, {"boxes": made}, "\n".join(made) or "没有需要装盒的文件。")
    return 0


def print_forms(args: argparse.Namespace) -> int:
    from fupin import printing
    from fupin.records import printed

    classes = _classes(args.unit, args.year)
    if not classes:
        raise CommandFailed("该年度没有已编号的文件。")
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    render = printing.catalogue_pdf if args.format == "pdf" else printing.catalogue_xlsx
    for (category, retention, klass), items in classes.items():
        unit = items[0].unit
        cover, entries = printed.catalogue(unit, args.year, retention, klass, items)
        name = f"{unit.fonds_code}-{category}-{args.year}-{retention}-{klass.code}"
        path = args.out / f"归档文件目录-{name}.{args.format}"
        path.write_bytes(render(cover, entries))
        written.append(str(path))
    stamps = args.out / f"归档章-{args.year}.pdf"
    stamps.write_bytes(
        printing.archive_stamp_sheet(
            [printed.stamp(i) for members in classes.values() for i in members]
        )
    )
    written.append(str(stamps))
    emit(args, {"files": written}, "\n".join(written))
    return 0
