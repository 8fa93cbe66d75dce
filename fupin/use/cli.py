import argparse
import datetime

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    use = groups.add_parser("use", help="档案利用申请与纸质原件借阅")
    commands = use.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("requests", help="列出利用申请")
    p.add_argument("--status", choices=["pending", "approved", "refused"])
    p.add_argument("--region", default="", help="只列出该区划代码下保管单位的申请")
    add_json_flag(p)
    p.set_defaults(handler=requests)
    p = commands.add_parser("overdue", help="列出逾期未还的借阅")
    p.add_argument("--region", default="", help="只列出该区划代码下保管单位的借阅")
    add_json_flag(p)
    p.set_defaults(handler=overdue)
    p = commands.add_parser("lookups", help="统计利用人次（批准的申请与借出之和）")
    p.add_argument("--region", required=True, help="区划代码（含下级）")
    p.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD（含）")
    p.add_argument("--to", dest="end", required=True, help="截止日期 YYYY-MM-DD（含）")
    add_json_flag(p)
    p.set_defaults(handler=lookups)


def requests(args: argparse.Namespace) -> int:
    from fupin.use.api import request_out
    from fupin.use.selectors import requests_to_decide

    found = requests_to_decide(None).filter(unit__region__code__startswith=args.region)
    if args.status:
        found = found.filter(status=args.status)
    rows = [request_out(r, None) for r in found]
    lines = [
        f"第{r['id']}号 {r['status_label']} {r['requester']} → {r['unit_name']}："
        f"{len(r['items'])} 件，{r['purpose']}"
        for r in rows
    ]
    emit(args, {"ok": True, "requests": rows}, "\n".join([*lines, f"共 {len(rows)} 件申请。"]))
    return 0


def overdue(args: argparse.Namespace) -> int:
    from fupin.use.api import loan_out
    from fupin.use.selectors import overdue_loans

    found = overdue_loans(None).filter(unit__region__code__startswith=args.region)
    rows = [loan_out(loan) for loan in found]
    lines = [
        f"第{r['id']}号 {r['unit_name']} 借阅人 {r['borrower_name']}：{'、'.join(r['codes'])}，"
        f"应还 {r['due_on']:%Y-%m-%d}"
        for r in rows
    ]
    emit(args, {"ok": True, "loans": rows}, "\n".join([*lines, f"逾期未还 {len(rows)} 笔。"]))
    return 0


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandFailed(f"日期“{text}”格式不对，应为 YYYY-MM-DD。") from exc


def lookups(args: argparse.Namespace) -> int:
    from fupin.use.selectors import use_lookups_served

    start, end = _date(args.start), _date(args.end)
    if end < start:
        raise CommandFailed("截止日期不能早于起始日期。")
    count = use_lookups_served(args.region, start, end)
    data = {"ok": True, "region": args.region, "start": start, "end": end, "lookups_served": count}
    emit(args, data, f"{args.region} {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 利用 {count} 人次。")
    return 0
