"""`fupin custody …`: storage rooms, shelving, conditions and inventory checks at the server."""

import argparse

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    custody = groups.add_parser("custody", help="库房管理：库房、上架与移动、温湿度、盘点")
    commands = custody.add_subparsers(dest="cmd", required=True, metavar="操作")
    p = commands.add_parser("rooms", help="列出库房及最近一次温湿度记录")
    p.add_argument("--unit", type=int, help="只列出该单位的库房")
    add_json_flag(p)
    p.set_defaults(handler=rooms)
    p = commands.add_parser("room-add", help="新建库房")
    p.add_argument("--unit", type=int, required=True, help="所属单位编号")
    p.add_argument("--name", required=True, help="库房名称")
    p.add_argument("--location", default="", help="位置")
    add_json_flag(p)
    p.set_defaults(handler=room_add)
    p = commands.add_parser("shelf-add", help="在库房中新增架（柜），自动生成各层各格位置")
    p.add_argument("--room", type=int, required=True, help="库房编号")
    p.add_argument("--code", required=True, help="架（柜）编号，例如 A")
    p.add_argument("--levels", type=int, required=True, help="层数")
    p.add_argument("--columns", type=int, required=True, help="每层格数")
    p.add_argument("--cabinet", action="store_true", help="是柜（默认是架）")
    add_json_flag(p)
    p.set_defaults(handler=shelf_add)
    p = commands.add_parser("show", help="一个库房：各架各格在架的档案盒、案卷")
    p.add_argument("room", type=int, help="库房编号")
    add_json_flag(p)
    p.set_defaults(handler=show)
    p = commands.add_parser("place", help="上架或移动档案盒（盒标签）或案卷（档号）")
    p.add_argument("code", help="盒标签（如 BOX-00000012）或案卷档号")
    p.add_argument("--room", type=int, required=True, help="库房编号")
    p.add_argument("--at", required=True, help="位置：架号-层-格，例如 A-2-3")
    p.add_argument("--reason", required=True, help="原因，例如 新盒上架、调整库位")
    add_json_flag(p)
    p.set_defaults(handler=place)
    p = commands.add_parser("unplace", help="下架（移交、销毁、修复等）")
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    add_json_flag(p)
    p.set_defaults(handler=unplace)
    p = commands.add_parser("where", help="档案盒、案卷的存放位置与移动、借阅记录")
    p.add_argument("code")
    add_json_flag(p)
    p.set_defaults(handler=where)
    p = commands.add_parser("reading", help="记录库房温湿度与八防检查")
    p.add_argument("--room", type=int, required=True)
    p.add_argument("--temperature", required=True, help="温度（℃）")
    p.add_argument("--humidity", required=True, help="相对湿度（%%）")
    p.add_argument(
        "--failed",
        default="",
        help="不合格的八防检查项，逗号分隔：fire,theft,damp,light,pests,rodents,dust,heat",
    )
    p.add_argument("--note", default="")
    add_json_flag(p)
    p.set_defaults(handler=reading)
    p = commands.add_parser("readings", help="库房的温湿度与八防记录")
    p.add_argument("--room", type=int, required=True)
    p.add_argument("--limit", type=int, default=20)
    add_json_flag(p)
    p.set_defaults(handler=readings)
    p = commands.add_parser("limits", help="查看或设置某区划及其下级库房的温湿度阈值")
    p.add_argument("--region", required=True, help="区划代码")
    p.add_argument("--temperature", help="温度范围，例如 14-24")
    p.add_argument("--humidity", help="相对湿度范围，例如 45-60")
    add_json_flag(p)
    p.set_defaults(handler=limits)
    p = commands.add_parser(
        "check", help="盘点：plan 计划、found 登记、all 整格确认、finish 完成、show 结果"
    )
    p.add_argument("action", choices=["plan", "found", "all", "finish", "show"])
    p.add_argument("target", type=int, help="plan：库房编号；其他：盘点编号")
    p.add_argument("code", nargs="?", default="", help="found：盒标签或案卷档号")
    p.add_argument("--at", default="", help="found / all：位置 架号-层-格")
    p.add_argument("--shelf", default="", help="plan：只盘点这个架（柜）")
    p.add_argument("--hand", action="store_true", help="found：手工登记（默认扫码）")
    add_json_flag(p)
    p.set_defaults(handler=check)


def _room_lines(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        reading = r["latest_reading"]
        state = (
            "尚无温湿度记录"
            if reading is None
            else f"{reading['temperature']}℃ / {reading['humidity']}%"
            + (f"，异常：{'；'.join(reading['alerts'])}" if reading["alerts"] else "，正常")
        )
        lines.append(f"#{r['id']} {r['unit_name']} {r['name']}：{state}")
    return "\n".join(lines) or "没有库房。"


def rooms(args: argparse.Namespace) -> int:
    from fupin.custody.api import room_out
    from fupin.custody.selectors import latest_readings, visible_rooms

    found = visible_rooms(None)
    if args.unit:
        found = found.filter(unit_id=args.unit)
    found = list(found)
    latest = latest_readings(found)
    rows = [room_out(r, latest.get(r.pk)) for r in found]
    emit(args, {"ok": True, "rooms": rows}, _room_lines(rows))
    return 0


def room_add(args: argparse.Namespace) -> int:
    from fupin.custody.services import room_create

    room = room_create(actor=None, unit_id=args.unit, name=args.name, location=args.location)
    emit(
        args,
        {"ok": True, "room": {"id": room.pk, "name": room.name}},
        f"已新建库房 #{room.pk} {room}。",
    )
    return 0


def shelf_add(args: argparse.Namespace) -> int:
    from fupin.custody.services import shelf_create

    shelf = shelf_create(
        actor=None,
        room_id=args.room,
        code=args.code,
        levels=args.levels,
        columns=args.columns,
        kind="cabinet" if args.cabinet else "shelf",
    )
    emit(
        args,
        {"ok": True, "shelf": {"id": shelf.pk, "code": shelf.code}},
        f"已新增{shelf}：{shelf.levels} 层 × {shelf.columns} 格。",
    )
    return 0


def show(args: argparse.Namespace) -> int:
    from fupin.custody.api import room_detail_out
    from fupin.custody.selectors import access_room

    data = room_detail_out(access_room(None, args.room))
    lines = [f"{data['unit_name']} {data['name']}"]
    for shelf in data["shelves"]:
        for position in shelf["positions"]:
            things = "、".join(
                t["code"] + (f"（借出 {t['lent']}）" if t["lent"] else "")
                for t in position["things"]
            )
            lines.append(f"  {position['code']}：{things or '空'}")
    emit(args, {"ok": True, "room": data}, "\n".join(lines))
    return 0


def _position_id(room_id: int, code: str) -> int:
    from fupin.custody.selectors import access_room, find_position

    return find_position(access_room(None, room_id), code).pk


def place(args: argparse.Namespace) -> int:
    from fupin.custody.api import place_out
    from fupin.custody.services import thing_place

    position = _position_id(args.room, args.at)
    thing_place(actor=None, code=args.code, position_id=position, reason=args.reason)
    data = place_out(None, args.code)
    emit(args, {"ok": True, "place": data}, f"{data['label']} 已放在 {data['where']}。")
    return 0


def unplace(args: argparse.Namespace) -> int:
    from fupin.custody.api import place_out
    from fupin.custody.services import thing_unplace

    thing_unplace(actor=None, code=args.code, reason=args.reason)
    data = place_out(None, args.code)
    emit(args, {"ok": True, "place": data}, f"{data['label']} 已下架。")
    return 0


def where(args: argparse.Namespace) -> int:
    from fupin.custody.api import place_out

    data = place_out(None, args.code)
    lines = [f"{data['label']}：{data['where'] or '尚未上架'}"]
    lines += [
        f"  {h['at']:%Y-%m-%d %H:%M} {h['what']} {h['reason']}（{h['who']}）"
        for h in data["history"]
    ]
    emit(args, {"ok": True, "place": data}, "\n".join(lines))
    return 0


def reading(args: argparse.Namespace) -> int:
    from fupin.custody.api import reading_out
    from fupin.custody.services import reading_record

    failed = [k.strip() for k in args.failed.split(",") if k.strip()]
    found = reading_record(
        actor=None,
        room_id=args.room,
        temperature=args.temperature,
        humidity=args.humidity,
        failed_checks=failed,
        note=args.note,
    )
    data = reading_out(found)
    text = "已记录，" + ("异常：" + "；".join(data["alerts"]) if data["alerts"] else "各项正常。")
    emit(args, {"ok": True, "reading": data}, text)
    return 0


def readings(args: argparse.Namespace) -> int:
    from fupin.custody.api import reading_out
    from fupin.custody.selectors import access_room

    room = access_room(None, args.room)
    rows = [reading_out(r) for r in room.readings.all()[: args.limit]]
    lines = [
        f"{r['taken_at']:%Y-%m-%d %H:%M} {r['temperature']}℃ {r['humidity']}%"
        + (f" 异常：{'；'.join(r['alerts'])}" if r["alerts"] else "")
        for r in rows
    ]
    emit(args, {"ok": True, "readings": rows}, "\n".join(lines) or "尚无记录。")
    return 0


def _range(text: str, label: str) -> tuple[str, str]:
    low, sep, high = text.partition("-")
    if not sep or not low.strip() or not high.strip():
        raise CommandFailed(f"{label}范围应写作 下限-上限，例如 14-24，收到“{text}”。")
    return low.strip(), high.strip()


def limits(args: argparse.Namespace) -> int:
    from fupin.custody.selectors import thresholds_for
    from fupin.custody.services import limits_set

    if args.temperature or args.humidity:
        if not (args.temperature and args.humidity):
            raise CommandFailed("请同时给出 --temperature 和 --humidity。")
        t_min, t_max = _range(args.temperature, "温度")
        h_min, h_max = _range(args.humidity, "相对湿度")
        limits_set(
            actor=None,
            region_code=args.region,
            temperature_min=t_min,
            temperature_max=t_max,
            humidity_min=h_min,
            humidity_max=h_max,
        )
    found = thresholds_for(args.region)
    data = {
        "temperature_min": str(found.temperature_min),
        "temperature_max": str(found.temperature_max),
        "humidity_min": str(found.humidity_min),
        "humidity_max": str(found.humidity_max),
        "source": found.source,
    }
    text = (
        f"温度 {data['temperature_min']}–{data['temperature_max']}℃，相对湿度 "
        f"{data['humidity_min']}–{data['humidity_max']}%（来自 {found.source}）"
    )
    emit(args, {"ok": True, "limits": data}, text)
    return 0


COUNT_WORDS = (
    ("expected", "应在架"),
    ("found", "已找到"),
    ("missing", "缺失"),
    ("misplaced", "错位"),
    ("unexpected", "多出"),
    ("lent", "借出"),
)


def _check_text(data: dict) -> str:
    counts = "，".join(f"{label} {data['counts'][key]}" for key, label in COUNT_WORDS)
    lines = [f"盘点 #{data['id']} {data['room']}{data['shelf']} {data['status_label']}：{counts}"]
    for key, label in COUNT_WORDS[2:]:
        lines += [
            f"  {label}：{r['code']} {r['label']} "
            f"应在 {r['expected_at'] or '—'}，见于 {r['found_at'] or '—'}"
            for r in data[key]
        ]
    return "\n".join(lines)


def check(args: argparse.Namespace) -> int:
    from fupin.custody import services
    from fupin.custody.api import check_out
    from fupin.custody.selectors import access_check, access_room, find_position

    if args.action == "plan":
        room = access_room(None, args.target)
        shelf_id = None
        if args.shelf:
            shelf = room.shelves.filter(code__iexact=args.shelf).first()
            if shelf is None:
                raise CommandFailed(f"{room}没有编号为 {args.shelf} 的架（柜）。")
            shelf_id = shelf.pk
        check_id = services.check_plan(actor=None, room_id=room.pk, shelf_id=shelf_id).pk
    else:
        check_id = args.target
        found = access_check(None, check_id)
        if args.action in ("found", "all"):
            if not args.at:
                raise CommandFailed("请用 --at 给出位置（架号-层-格）。")
            position = find_position(found.room, args.at).pk
        if args.action == "found":
            by = "hand" if args.hand else "scan"
            services.check_found(
                actor=None, check_id=check_id, code=args.code, position_id=position, by=by
            )
        elif args.action == "all":
            services.check_found_all_at(actor=None, check_id=check_id, position_id=position)
        elif args.action == "finish":
            services.check_finish(actor=None, check_id=check_id)
    data = check_out(access_check(None, check_id))
    emit(args, {"ok": True, "check": data}, _check_text(data))
    return 0
