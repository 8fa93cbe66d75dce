"""`fupin disposal …`: expiring records, appraisal, destruction registers, destruction; and
`fupin oai` for the public OAI-PMH side."""

import argparse
import sys
from pathlib import Path
from typing import Any

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    disposal = groups.add_parser("disposal", help="到期鉴定、销毁清册与销毁")
    commands = disposal.add_subparsers(dest="cmd", metavar="命令", required=True)
    p = commands.add_parser("expiring", help="列出已到期或即将到期的档案（按全宗、年度、类别）")
    p.add_argument("--unit", type=int, help="只看该立档单位")
    p.add_argument("--months", type=int, default=3, help="多少个月内到期（0 = 只看已到期）")
    p.add_argument("--items", action="store_true", help="逐件列出")
    add_json_flag(p)
    p.set_defaults(handler=expiring)

    p = commands.add_parser(
        "appraise",
        help="鉴定一批到期档案：继续保存（定更长期限）或建议销毁，并完成鉴定",
        description="例：fupin disposal appraise --unit 3 --keep 档号=D30:理由 --destroy 档号:理由",
    )
    p.add_argument("--unit", type=int, required=True, help="立档单位编号")
    p.add_argument("--keep", action="append", default=[], metavar="档号=期限:理由")
    p.add_argument("--destroy", action="append", default=[], metavar="档号:理由")
    p.add_argument("--opinion", default="", help="鉴定小组意见")
    add_json_flag(p)
    p.set_defaults(handler=appraise)

    p = commands.add_parser("register", help="编制、审批、备案、打印销毁清册")
    p.add_argument("action", choices=["create", "approve", "refuse", "file", "return", "print"])
    p.add_argument("target", type=int, metavar="编号", help="create 时为鉴定编号，其余为清册编号")
    p.add_argument("--supervisors", nargs=2, metavar=("监销人", "监销人"))
    p.add_argument("--leader", default="", help="批准人（须为单位登记的分管领导）")
    p.add_argument("--opinion", default="")
    p.add_argument("--out", type=Path, help="print：保存目录")
    add_json_flag(p)
    p.set_defaults(handler=register_cmd)

    p = commands.add_parser(
        "destroy", help="实施销毁（监销人确认），或继续完成中断的销毁；完成后出具销毁证明"
    )
    p.add_argument("register", type=int, metavar="清册编号")
    p.add_argument("--supervisors", nargs=2, default=[], metavar=("监销人", "监销人"))
    p.add_argument("--method", default="粉碎")
    p.add_argument("--place", default="")
    p.add_argument("--paper-destroyed", action="store_true", help="监销人确认纸质档案已销毁")
    p.add_argument("--certificate", type=Path, help="销毁证明 PDF 的保存位置")
    add_json_flag(p)
    p.set_defaults(handler=destroy)

    certificates = groups.add_parser("certificates", help="档案证明：出具、核验、撤销")
    commands = certificates.add_subparsers(dest="cmd", metavar="命令", required=True)
    p = commands.add_parser(
        "issue",
        help="出具档案证明（建档立卡信息证明或档案复制件证明），并保存带水印和核验二维码的 PDF",
        description="例：fupin certificates issue --unit 12 --kind household --household 户编号",
    )
    p.add_argument("--unit", type=int, required=True, help="出具单位编号")
    p.add_argument(
        "--kind", required=True, choices=["household", "copy"],
        help="household：建档立卡信息证明；copy：档案复制件证明",
    )  # fmt: skip
    p.add_argument("--household", default="", help="户编号（household 时必填）")
    p.add_argument("--code", default="", help="档号（copy 时必填）")
    p.add_argument("--walk-in", type=int, help="对应的查档登记编号")
    p.add_argument("--out", type=Path, help="证明 PDF 的保存位置")
    p.add_argument("--base", default="http://127.0.0.1:8000", help="二维码指向的网站地址")
    add_json_flag(p)
    p.set_defaults(handler=certificate_issue)
    p = commands.add_parser(
        "verify", help="核验证明：只显示是否有效、编号、出具单位和日期（有效返回 0，已撤销返回 1）"
    )
    p.add_argument("code", metavar="核验码", help="二维码中的核验码，或二维码的完整网址")
    add_json_flag(p)
    p.set_defaults(handler=certificate_verify)
    p = commands.add_parser("revoke", help="撤销档案证明（须写明理由）")
    p.add_argument("number", metavar="证明编号")
    p.add_argument("--reason", required=True, help="撤销理由")
    add_json_flag(p)
    p.set_defaults(handler=certificate_revoke)

    p = groups.add_parser("oai", help="查看本系统 OAI-PMH 开放目录的地址与记录数")
    p.add_argument("--base", default="http://127.0.0.1:8000", help="网站地址")
    add_json_flag(p)
    p.set_defaults(handler=oai)


def expiring(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from fupin.disposal.selectors import expiring_items, expiry_groups

    today = timezone.localdate()
    items = expiring_items(None, months=args.months, today=today)
    if args.unit:
        items = items.filter(unit_id=args.unit)
    groups = expiry_groups(items)
    data: dict[str, Any] = {
        "ok": True,
        "today": today,
        "months": args.months,
        "total": sum(g.count for g in groups),
        "groups": [g.__dict__ for g in groups],
    }
    lines = [
        f"{g.fonds_code} {g.unit_name} {g.year}年 {g.class_name} 保管期限{g.retention}："
        f"{g.count} 件，{g.ends_on:%Y-%m-%d} 到期"
        for g in groups
    ]
    if args.items:
        data["items"] = [
            {"id": i.pk, "code": i.reference_code, "title": i.title, "retention": i.kept}
            for i in items
        ]
        lines += [f"  {i.reference_code} {i.title}" for i in items]
    emit(args, data, "\n".join([*lines, f"共 {data['total']} 件。"]))
    return 0


def _split(text: str, sep: str) -> tuple[str, str]:
    head, found, tail = text.partition(sep)
    if not found or not head.strip() or not tail.strip():
        raise CommandFailed(f"“{text}”格式不对：应为 档号{sep}…")
    return head.strip(), tail.strip()


def appraise(args: argparse.Namespace) -> int:
    from fupin.disposal import services
    from fupin.records.models import RecordItem

    wanted: dict[str, dict[str, str]] = {}
    for text in args.keep:
        code, rest = _split(text, "=")
        term, reason = _split(rest, ":")
        wanted[code] = {"decision": "keep", "new_retention": term, "reason": reason}
    for text in args.destroy:
        code, reason = _split(text, ":")
        wanted[code] = {"decision": "destroy", "reason": reason}
    found = dict(
        RecordItem.objects.filter(unit_id=args.unit, reference_code__in=wanted).values_list(
            "reference_code", "pk"
        )
    )
    if missing := [c for c in wanted if c not in found]:
        raise CommandFailed(f"本单位没有这些档号：{'、'.join(missing)}。")
    appraisal = services.appraisal_create(
        actor=None, unit_id=args.unit, item_ids=list(found.values())
    )
    decisions = [{"item_id": found[c], **d} for c, d in wanted.items()]
    services.appraisal_decide(actor=None, appraisal_id=appraisal.pk, decisions=decisions)
    services.appraisal_conclude(actor=None, appraisal_id=appraisal.pk, opinion=args.opinion)
    data = {"ok": True, "appraisal": appraisal.pk, "number": appraisal.number}
    kept = sum(1 for d in wanted.values() if d["decision"] == "keep")
    emit(
        args,
        data,
        f"鉴定 {appraisal.number}（编号 {appraisal.pk}）完成："
        f"继续保存 {kept} 件，建议销毁 {len(wanted) - kept} 件。",
    )
    return 0


def register_cmd(args: argparse.Namespace) -> int:
    from fupin.disposal import services
    from fupin.disposal.models import Register
    from fupin.disposal.printed import register_form

    if args.action == "create":
        if not args.supervisors:
            raise CommandFailed("请用 --supervisors 写明两位监销人。")
        made = services.register_create(
            actor=None,
            appraisal_id=args.target,
            supervisor_1=args.supervisors[0],
            supervisor_2=args.supervisors[1],
        )
    elif args.action in ("approve", "refuse"):
        made = services.register_approve(
            actor=None,
            register_id=args.target,
            approved=args.action == "approve",
            approver_name=args.leader,
            opinion=args.opinion,
        )
    elif args.action in ("file", "return"):
        made = services.register_file(
            actor=None,
            register_id=args.target,
            accepted=args.action == "file",
            opinion=args.opinion,
        )
    else:
        made = Register.objects.select_related("unit").filter(pk=args.target).first()
        if made is None:
            raise CommandFailed(f"没有编号为 {args.target} 的销毁清册。")
        out = args.out or Path(".")
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for fmt in ("pdf", "xlsx"):
            path = out / f"销毁清册-{made.number}.{fmt}"
            path.write_bytes(register_form(made, fmt))
            paths.append(str(path))
        emit(args, {"ok": True, "files": paths}, "\n".join(paths))
        return 0
    data = {"ok": True, "register": made.pk, "number": made.number, "status": made.status}
    emit(args, data, f"{made}（编号 {made.pk}）：{made.get_status_display()}")
    return 0


def destroy(args: argparse.Namespace) -> int:
    from fupin.disposal import services
    from fupin.disposal.printed import destruction_certificate

    def progress(done: int, total: int) -> None:
        if not args.json:
            print(f"删除电子文件 {done}/{total}", file=sys.stderr, flush=True)

    register = services.register_destroy(
        actor=None,
        register_id=args.register,
        supervisors=args.supervisors,
        method=args.method,
        place=args.place,
        paper_destroyed=args.paper_destroyed,
        progress=progress,
    )
    data: dict[str, Any] = {
        "ok": True,
        "register": register.pk,
        "number": register.number,
        "status": register.status,
        "files": [
            {"sha256": f.sha256, "sm3": f.sm3, "deleted_at": f.deleted_at, "shared": f.shared}
            for f in register.files.all()
        ],
    }
    if args.certificate:
        args.certificate.write_bytes(destruction_certificate(register))
        data["certificate"] = str(args.certificate)
    emit(
        args,
        data,
        f"{register}：{register.get_status_display()}，电子文件 {len(data['files'])} 个。",
    )
    return 0


def oai(args: argparse.Namespace) -> int:
    from django.urls import reverse

    from fupin.disposal.models import PublicRecord

    url = args.base.rstrip("/") + reverse("public:oai")
    records = PublicRecord.objects.filter(withdrawn=False).count()
    data = {"ok": True, "base_url": url, "records": records}
    emit(args, data, f"OAI-PMH 地址：{url}（开放档案 {records} 件，元数据格式 oai_dc）")
    return 0


def certificate_issue(args: argparse.Namespace) -> int:
    from django.urls import reverse

    from fupin.disposal.api import CertificateIn, certificate_data, issue_from
    from fupin.disposal.printed import certificate_document

    payload = CertificateIn(
        unit_id=args.unit, kind=args.kind, household_no=args.household, item_code=args.code,
        walk_in_id=args.walk_in,
    )  # fmt: skip
    made = issue_from(None, payload)
    data: dict[str, Any] = {"ok": True, **certificate_data(made)}
    url = args.base.rstrip("/") + reverse("public:verify", args=[made.code])
    data["verify_url"] = url
    if args.out:
        body, notes = certificate_document(made, url)
        args.out.write_bytes(body)
        data["file"], data["notes"] = str(args.out), notes
    lines = [f"已出具{made.get_kind_display()} {made.number}（{made.issuer}）", made.statement]
    lines += [f"核验地址：{url}"] + ([f"已保存：{args.out}"] if args.out else [])
    emit(args, data, "\n".join(lines))
    return 0


def certificate_verify(args: argparse.Namespace) -> int:
    from fupin.disposal.verify import certificate_verdict

    code = args.code.rstrip("/").rsplit("/", 1)[-1]
    verdict = certificate_verdict(code)
    if verdict is None:
        raise CommandFailed("未找到该证明：核验码不正确，或证明不是本系统出具的。")
    data = {"ok": True, **verdict.as_dict()}
    text = (
        f"{verdict.label}：{verdict.number}，{verdict.issuer}，{verdict.issued_on:%Y年%m月%d日}出具"
    )
    if verdict.revoked_on:
        text += f"，{verdict.revoked_on:%Y年%m月%d日}撤销"
    emit(args, data, text)
    return 1 if verdict.revoked else 0


def certificate_revoke(args: argparse.Namespace) -> int:
    from fupin.disposal import services
    from fupin.disposal.api import certificate_data
    from fupin.disposal.models import Certificate

    found = Certificate.objects.filter(number=args.number.strip()).first()
    if found is None:
        raise CommandFailed(f"没有编号为 {args.number} 的档案证明。")
    done = services.certificate_revoke(actor=None, certificate_id=found.pk, reason=args.reason)
    emit(args, {"ok": True, **certificate_data(done)}, f"已撤销{done}：{done.revoke_reason}")
    return 0
