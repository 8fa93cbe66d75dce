"""`fupin demo`: load the demo county, or generate synthetic villages and household sheets."""

import argparse
import os
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from fupin.cli import CommandFailed, add_json_flag, emit

if TYPE_CHECKING:
    from fupin.demo.generate import HouseholdSheet, IdAllocator, Village

DEFAULT_SEED = 2016
ENCODINGS = ("utf-8", "utf-8-sig", "gbk")


def register(groups: argparse._SubParsersAction) -> None:
    demo = groups.add_parser(
        "demo", help="示范县：不带子命令时载入示范数据并打印示范账号；generate 生成模拟数据"
    )
    add_json_flag(demo)
    demo.set_defaults(handler=load)
    commands = demo.add_subparsers(dest="demo_command", metavar="子命令")
    generate = commands.add_parser("generate", help="生成模拟数据文件")
    kinds = generate.add_subparsers(dest="kind", metavar="数据", required=True)

    p = kinds.add_parser("villages", help="生成村级区划表（官方 CSV 格式，含贫困村标记）")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--township", nargs="+", metavar="代码", help="9 位乡镇代码，可多个")
    where.add_argument("--county", metavar="代码", help="6 位县级代码：为库中该县每个乡镇生成")
    p.add_argument(
        "--per-township", type=_count_range, default=(8, 15), metavar="N 或 N-M",
        help="每个乡镇的村数（默认 8-15）",
    )  # fmt: skip
    _add_output_options(p)
    p.set_defaults(handler=villages)

    p = kinds.add_parser("households", help="生成建档立卡农户表（全国系统导出格式，每人一行）")
    p.add_argument("--county", metavar="代码", help="6 位县级代码：用库中该县的村")
    p.add_argument("--township", metavar="代码", help="9 位乡镇代码：用库中该乡镇的村")
    p.add_argument("--villages", type=Path, metavar="文件", help="村级区划表 CSV（代替库中的村）")
    p.add_argument("--households", type=int, required=True, metavar="N", help="户数")
    p.add_argument(
        "--next-year",
        action="store_true",
        help="生成同一种子的表的下一年度版本：含脱贫、返贫、清退、新识别、成员增减和收入变化",
    )
    p.add_argument("--dirty", action="store_true", help="注入常见数据缺陷，并列出注入了什么")
    _add_output_options(p)
    p.set_defaults(handler=households)


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, metavar="文件", help=".csv 或 .xlsx")
    p.add_argument("--encoding", choices=ENCODINGS, default="utf-8", help="CSV 编码")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子：同一种子输出相同")
    add_json_flag(p)


def _count_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"应为 N 或 N-M，而不是“{text}”") from exc


def load(args: argparse.Namespace) -> int:
    from fupin.demo.services import demo_load

    report = demo_load(actor=None)
    url = f"http://{os.environ.get('FUPIN_BIND', '127.0.0.1:8000')}/"
    lines = [
        f"示范县已就绪：{report.county}，区划 {report.regions} 个（其中村 {report.villages} 个、"
        f"贫困村 {report.poor_villages} 个），立档单位 {report.units} 个；"
        f"本次新建单位 {report.created_units} 个、账号 {report.created_users} 个。",
        f"网址：{url}（用 ./dev/demo 或 fupin serve 启动网页）",
        f"示范账号（密码均为 {report.password}；示范模式外首次登录须修改密码）：",
        f"  {'用户名':<14}{'姓名':<6}{'角色':<12}范围",
    ]
    lines += [f"  {x.username:<14}{x.full_name:<6}{x.role:<12}{x.scope}" for x in report.logins]
    emit(args, {"ok": True, "url": url, **report.as_dict()}, "\n".join(lines))
    return 0


def villages(args: argparse.Namespace) -> int:
    from fupin.accounts.access import visible_regions
    from fupin.core.tabular import write_table
    from fupin.demo.generate import VILLAGE_HEADER, generate_villages
    from fupin.regions.models import Level

    started = time.perf_counter()
    townships = args.township
    if args.county:
        found = visible_regions(None).filter(level=Level.TOWNSHIP, code__startswith=args.county)
        townships = list(found.values_list("code", flat=True))
        if not townships:
            raise CommandFailed(f"库中没有县 {args.county} 的乡镇，请先导入区划或改用 --township。")
    try:
        made = generate_villages(townships, args.per_township, args.seed)
        count = write_table(
            args.out, VILLAGE_HEADER, (v.row() for v in made), encoding=args.encoding
        )
    except ValueError as exc:
        raise CommandFailed(str(exc)) from exc
    seconds = time.perf_counter() - started
    data = {"ok": True, "out": str(args.out), "townships": len(townships), "villages": count}
    data["seconds"] = round(seconds, 3)
    emit(
        args,
        data,
        f"已写入 {args.out}：{len(townships)} 个乡镇，{count} 个村，用时 {seconds:.1f} 秒。",
    )
    return 0


def households(args: argparse.Namespace) -> int:
    from fupin.core.tabular import write_table
    from fupin.demo.evolve import evolve
    from fupin.demo.generate import HouseholdSheet
    from fupin.households.registry import sheet

    if args.households < 1:
        raise CommandFailed("户数应为正整数。")
    started = time.perf_counter()
    villages, names = _villages(args), _region_names(args)
    made = HouseholdSheet(villages, args.households, args.seed, names, dirty=args.dirty)
    made.ids.avoid = _registered_elsewhere(villages)
    changes: Counter = Counter()
    produced = made.rows()
    if args.next_year:
        produced = evolve(produced, args.seed, _new_people_ids(made), changes)
    try:
        rows = write_table(args.out, sheet.HEADER, produced, encoding=args.encoding)
    except ValueError as exc:
        raise CommandFailed(str(exc)) from exc
    seconds = time.perf_counter() - started
    data = {
        "ok": True,
        "out": str(args.out),
        "households": args.households,
        "people": made.people,
        "rows": rows,
        "seconds": round(seconds, 3),
        "injected": [asdict(i) for i in made.injected],
        "changes": dict(changes),
    }
    lines = [
        f"已写入 {args.out}：{args.households} 户，{made.people} 人，"
        f"用时 {seconds:.1f} 秒（{rows / max(seconds, 1e-9):,.0f} 行/秒）。"
    ]
    if args.next_year:
        counted = "，".join(f"{k} {n} 项" for k, n in changes.items())
        lines.append(f"下一年度变动（即导入本表时将记录的变动）：{counted}")
    if args.dirty:
        lines.append(f"注入的数据缺陷（{len(made.injected)} 处）：")
        lines += [
            f"  第 {i.row} 行（户 {i.household}）：{i.label}“{i.value}”" for i in made.injected
        ]
    emit(args, data, "\n".join(lines))
    return 0


def _registered_elsewhere(villages: list["Village"]) -> set[str]:
    """ID numbers registered in the sheet's counties outside its villages: the sheet's people
    never take them (the generated numbers depend on birth date and sex only, so two sheets
    of one county would share numbers); people registered in the sheet's own villages may be
    the very people it regenerates."""
    from fupin.households.models import Person

    codes = {v.code for v in villages}
    found: set[str] = set()
    for county in sorted({code[:6] for code in codes}):
        registered = Person.objects.filter(id_number__startswith=county).exclude(
            household__village_id__in=codes
        )
        found.update(registered.values_list("id_number", flat=True).iterator())
    return found


def _new_people_ids(made: "HouseholdSheet") -> "IdAllocator":
    """The ID numbers for next year's new people: after every number this year's sheet hands
    out (it is read once through first, so this year's people keep their numbers however the
    two interleave), and none that is registered already."""
    from fupin.demo.generate import HouseholdSheet
    from fupin.households.models import Person

    warm = HouseholdSheet(made.villages, made.households, made.seed, made.region_names)
    warm.ids.avoid = set(made.ids.avoid)
    for _ in warm.rows():
        pass
    for county in sorted({v.code[:6] for v in made.villages}):
        registered = Person.objects.filter(id_number__startswith=county)
        warm.ids.avoid.update(registered.values_list("id_number", flat=True).iterator())
    return warm.ids


def _villages(args: argparse.Namespace) -> list["Village"]:
    from fupin.accounts.access import visible_regions
    from fupin.demo.files import read_villages
    from fupin.demo.generate import Village
    from fupin.regions.models import Level

    prefix = args.township or args.county or ""
    if args.villages:
        try:
            found = [v for v in read_villages(args.villages) if v.code.startswith(prefix)]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandFailed(f"无法读取村级区划表 {args.villages}：{exc}") from exc
    elif prefix:
        rows = visible_regions(None).filter(level=Level.VILLAGE, code__startswith=prefix)
        found = [Village(r.code, r.name, r.is_poor, r.exit_year) for r in rows]
    else:
        raise CommandFailed(
            "请用 --county 或 --township 指定范围，或用 --villages 指定村级区划表。"
        )
    if not found:
        where = f"{prefix} " if prefix else ""
        raise CommandFailed(f"没有找到{where}的村：请先生成或导入村级区划。")
    return found


def _region_names(args: argparse.Namespace) -> dict[str, str]:
    """County and township names for the sheet's first columns; a code stands in if unknown."""
    from fupin.accounts.access import visible_regions
    from fupin.regions.models import Level

    regions = visible_regions(None).filter(level__in=[Level.COUNTY, Level.TOWNSHIP])
    if args.county or args.township:
        regions = regions.filter(code__startswith=(args.county or args.township)[:6])
    return dict(regions.values_list("code", "name"))
