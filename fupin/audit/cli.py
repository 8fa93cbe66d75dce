import argparse

from fupin.cli import add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    audit = groups.add_parser("audit", help="审计日志").add_subparsers(dest="cmd", required=True)
    p = audit.add_parser("verify", help="校验审计日志哈希链，指出第一处断裂")
    add_json_flag(p)
    p.set_defaults(handler=verify)


def verify(args: argparse.Namespace) -> int:
    from fupin.audit.services import audit_verify

    report = audit_verify()
    if report.ok:
        text = f"审计日志完整：共校验 {report.checked} 条记录，哈希链无断裂。"
        if report.unkeyed:
            text += f"其中 {report.unkeyed} 条为启用密钥校验前的记录（由其后第一条密钥记录担保）。"
    else:
        text = f"审计日志被篡改：第一处断裂在序号 {report.first_broken_seq}，{report.reason}。"
    emit(args, report.as_dict(), text)
    return 0 if report.ok else 1
