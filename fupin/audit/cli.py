import argparse

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    audit = groups.add_parser("audit", help="审计日志").add_subparsers(dest="cmd", required=True)
    p = audit.add_parser("verify", help="校验审计日志的密钥校验链并与库外锚点比对，指出第一处断裂")
    p.add_argument(
        "--anchors",
        action="append",
        default=[],
        metavar="目录",
        help="另外比对此目录中的锚点（如备份文件夹），可重复",
    )
    add_json_flag(p)
    p.set_defaults(handler=verify)
    p = audit.add_parser("anchor", help="把审计日志链尾（序号与校验码）写成库外锚点")
    p.add_argument(
        "--dir", action="append", default=[], metavar="目录", help="另外写入此目录，可重复"
    )
    p.add_argument("--reason", default="手工锚点", help="写入锚点的原因（默认：手工锚点）")
    add_json_flag(p)
    p.set_defaults(handler=anchor)
    p = audit.add_parser(
        "grant-app-role",
        help="PostgreSQL：以表所有者身份运行，授予应用角色读写权限，但不能改删审计记录（每次升级后运行）",
    )
    p.add_argument("role", help="应用连接数据库所用的角色（非超级用户、非表所有者）")
    add_json_flag(p)
    p.set_defaults(handler=grant_app_role)


def grant_app_role(args: argparse.Namespace) -> int:
    from django.db import connection, transaction

    from fupin.audit.guards import app_role_grants, app_role_problem

    if connection.vendor != "postgresql":
        raise CommandFailed("此命令只用于 PostgreSQL（SQLite 没有数据库角色）。")
    problem = app_role_problem(args.role)
    if problem:
        raise CommandFailed(problem)
    statements = app_role_grants(args.role)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    emit(
        args,
        {"ok": True, "role": args.role, "statements": statements},
        f"已授予角色 {args.role} 应用所需的权限（审计记录只能追加）。",
    )
    return 0


def verify(args: argparse.Namespace) -> int:
    from fupin.audit.services import audit_verify

    report = audit_verify(anchor_dirs=args.anchors)
    if report.ok:
        text = f"审计日志完整：共校验 {report.checked} 条记录，校验链无断裂。"
        if report.unkeyed:
            text += f"其中 {report.unkeyed} 条为启用密钥校验前的记录（由其后第一条密钥记录担保）。"
    elif report.first_broken_seq is None:
        text = f"审计日志被篡改：{report.reason}。"
    else:
        text = f"审计日志被篡改：第一处断裂在序号 {report.first_broken_seq}，{report.reason}。"
    text = "\n".join([text, *report.notes])
    emit(args, report.as_dict(), text)
    return 0 if report.ok else 1


def anchor(args: argparse.Namespace) -> int:
    from fupin.audit.anchors import AnchorError, anchor_publish

    try:
        done = anchor_publish(reason=args.reason, extra_dirs=args.dir)
    except AnchorError as exc:
        raise CommandFailed(str(exc)) from exc
    emit(args, {"ok": True, **done.as_dict()}, f"已写出{done.line()}")
    return 0
