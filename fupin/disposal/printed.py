"""The appraisal form, the destruction register and the destruction certificate, from the
records: the models mapped onto the printing package's plain forms."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from fupin.disposal.models import Appraisal, Certificate, CertificateKind, Register, RegisterStatus
from fupin.objects.selectors import object_open
from fupin.printing.certificates import CertificateSheet, certificate_pdf
from fupin.printing.forms import AppraisalRow, DestroyedFileRow, RegisterCover, RegisterRow
from fupin.printing.lists import appraisal_pdf, destruction_certificate_pdf, register_pdf
from fupin.printing.xlsx import appraisal_xlsx, register_xlsx
from fupin.records.models import ItemFile, kept_retention
from fupin.schedule import retention


def _appraisal_rows(appraisal: Appraisal) -> list[AppraisalRow]:
    entries = (
        appraisal.entries.select_related("item")
        .annotate(kept=kept_retention("item__"))
        .order_by("item__year", "item__reference_code")
    )
    rows = []
    for seq, e in enumerate(entries, start=1):
        # A concluded batch's kept records carry their new retention; the form shows the old.
        was = e.item.retention if e.decision == "keep" else e.kept
        ends = retention.ends_on(e.item.year, was)
        rows.append(
            AppraisalRow(
                seq=seq,
                reference_code=e.item.reference_code or "",
                title=e.item.display_title,
                year=e.item.year,
                retention_label=retention.label(was),
                ends_on=f"{ends:%Y-%m-%d}" if ends else "—",
                decision=e.get_decision_display() if e.decision else "",
                new_retention_label=retention.label(e.new_retention) if e.new_retention else "",
                reason=e.reason,
            )
        )
    return rows


def _appraisal_head(appraisal: Appraisal) -> str:
    group = "、".join(f"{m['name']}（{m['role']}，{m['post']}）" for m in appraisal.members)
    unit = appraisal.unit
    fonds = f"{unit.fonds_code} {unit.fonds_name}"
    return f"鉴定编号：{appraisal.number}　全宗号：{fonds}　鉴定小组：{group}"


def appraisal_form(appraisal: Appraisal, fmt: str) -> bytes:
    rows = _appraisal_rows(appraisal)
    if fmt == "xlsx":
        return appraisal_xlsx(_appraisal_head(appraisal), rows)
    return appraisal_pdf(_appraisal_head(appraisal), rows)


def _register_parts(register: Register) -> tuple[RegisterCover, list[RegisterRow]]:
    entries = list(register.entries.all())
    cover = RegisterCover(
        number=register.number,
        fonds_code=register.unit.fonds_code,
        fonds_name=register.unit.fonds_name,
        quantity=len(entries),
        pages=sum(e.pages for e in entries),
        approver=register.approver_name or register.unit.leader,
        approved_on=register.approved_on,
        supervisors=(register.supervisor_1, register.supervisor_2),
        destroyed_on=register.destroyed_on,
    )
    rows = [
        RegisterRow(
            seq=e.seq,
            title=e.title,
            year=e.year,
            reference_code=e.reference_code,
            retention_label=retention.label(e.retention),
            kept_years=e.kept_years,
            pages=e.pages,
            notes=e.notes,
        )
        for e in entries
    ]
    return cover, rows


def register_form(register: Register, fmt: str) -> bytes:
    cover, rows = _register_parts(register)
    return register_xlsx(cover, rows) if fmt == "xlsx" else register_pdf(cover, rows)


def destruction_certificate(register: Register) -> bytes:
    """Printed once the destruction is complete: every file is then confirmed deleted."""
    if register.status != RegisterStatus.DESTROYED:
        raise ValidationError(f"{register}尚未销毁完成，不能出具销毁证明。")
    files = register.files.select_related("item").order_by("item__reference_code", "pk")
    rows = [
        DestroyedFileRow(
            seq=seq,
            reference_code=f.item.reference_code or "",
            filename=f.filename,
            size=f.size,
            sha256=f.sha256,
            sm3=f.sm3,
            deleted_at=f"{timezone.localtime(f.deleted_at):%Y-%m-%d %H:%M:%S}"
            if f.deleted_at
            else "",
            notes="与在存档案共用，仅解除关联" if f.shared else "已从全部存储删除",
        )
        for seq, f in enumerate(files, start=1)
    ]
    finished = timezone.localtime(register.finished_at) if register.finished_at else None
    fields = [
        ("销毁清册", register.number),
        ("全宗", f"{register.unit.fonds_code} {register.unit.fonds_name}"),
        ("纸质档案", f"{register.entries.count()} 件，{register.method}销毁，监销人确认"),
        ("监销人", f"{register.supervisor_1}、{register.supervisor_2}"),
        ("批准人", register.approver_name),
        ("销毁日期", f"{register.destroyed_on:%Y年%m月%d日}" if register.destroyed_on else ""),
        ("电子文件", f"{len(rows)} 个（含缩略图等派生文件）"),
        ("完成时间", f"{finished:%Y-%m-%d %H:%M:%S}" if finished else ""),
    ]
    if not rows:
        rows = [DestroyedFileRow(1, "—", "（无电子文件）", 0, "", "", "", "")]
    return destruction_certificate_pdf(fields, rows)


def certificate_document(certificate: Certificate, verify_url: str) -> tuple[bytes, list[str]]:
    """The certificate as printed (PDF), and notes on any page of a copy left out."""
    pages: list[tuple[str, bytes]] = []
    if certificate.item_id is not None:
        for item_file in ItemFile.objects.filter(item_id=certificate.item_id).select_related(
            "object"
        ):
            with object_open(item_file.object) as handle:
                pages.append((item_file.object.format, handle.read()))
    sheet = CertificateSheet(
        heading="档案证明" if certificate.kind == CertificateKind.HOUSEHOLD else "档案复制件证明",
        number=certificate.number,
        statement=certificate.statement,
        issuer=certificate.issuer,
        issued_on=certificate.issued_on,
        verify_url=verify_url,
        pages=pages,
    )
    mark = f"{certificate.issuer} 档案证明 {certificate.number}"
    if certificate.revoked_at is not None:
        mark = f"已撤销 {mark}"
    return certificate_pdf(sheet, mark)
