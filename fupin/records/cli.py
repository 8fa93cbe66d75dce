import argparse

from fupin.cli import add_json_flag, emit


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
