"""`fupin search "检索词" [--as USER] [--json]`; `fupin search rebuild|sync` maintain the index."""

import argparse

from fupin.cli import CommandFailed, add_json_flag, emit

MAINTENANCE = {"rebuild", "sync"}


def register(groups: argparse._SubParsersAction) -> None:
    p = groups.add_parser(
        "search",
        help="全文检索；“fupin search rebuild” 重建索引，“fupin search sync” 补入待处理改动",
    )
    p.add_argument("text", nargs="+", help="检索词（或 rebuild / sync）")
    p.add_argument("--as", dest="username", default="", help="以该用户的辖区与涉密级别检索")
    from fupin.search.filters import FILTERS

    for f in FILTERS:
        flag = "--" + f.name.replace("_", "-")
        if f.shape == "number":
            p.add_argument(flag, type=int, help=f.label)
        elif f.shape == "flag":
            p.add_argument(flag, choices=["1", "0"], default="", help=f"{f.label}（1 是，0 否）")
        else:
            p.add_argument(flag, default="", help=f.label)
    p.add_argument("--sort", default="relevance")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--per-page", type=int, default=20)
    add_json_flag(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if len(args.text) == 1 and args.text[0] in MAINTENANCE:
        return rebuild(args) if args.text[0] == "rebuild" else sync(args)
    return query(args)


def _actor(username: str):
    from fupin.accounts.models import User

    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandFailed(f"用户 {username} 不存在。")
    return user


def query(args: argparse.Namespace) -> int:
    from fupin.search.api import result_data, run_search
    from fupin.search.filters import FILTERS

    params = {name: getattr(args, name) for name in (*(f.name for f in FILTERS), "sort", "page")}
    params["q"] = " ".join(args.text)
    data = result_data(run_search(_actor(args.username), params, args.per_page))
    more = "超过 " if not data["count_exact"] else ""
    lines = [f"共找到{more} {data['count']} 条（第 {data['page']}/{data['pages']} 页）。"]
    if data["notice"]:
        lines.insert(0, data["notice"])
    if data["relaxed"] and data["exact"] < data["count"]:
        lines.append(f"其中 {data['exact']} 条完全符合；其余只差一个字，排在后面，标“部分符合”。")
    for item in data["items"]:
        partial = "" if item["exact"] else "  （部分符合）"
        lines.append(f"[{'文件' if item['kind'] == 'item' else '农户'} {item['id']}] "
                     f"{item['title']}  {item['code']}  {item['place']}{partial}")  # fmt: skip
    emit(args, data, "\n".join(lines))
    return 0


def rebuild(args: argparse.Namespace) -> int:
    from fupin.search.services import search_rebuild

    done = search_rebuild(actor=None)
    emit(
        args,
        {"ok": True, **done},
        f"索引已重建：{done['documents']} 条，用时 {done['seconds']} 秒。",
    )
    return 0


def sync(args: argparse.Namespace) -> int:
    from fupin.search.services import search_sync

    applied = search_sync(actor=None)
    emit(args, {"ok": True, "applied": applied}, f"已补入 {applied} 处改动。")
    return 0
