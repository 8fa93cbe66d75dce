"""归档文件目录 and 卷内目录 as PDF: a ruled table whose header repeats on every page."""

from collections.abc import Sequence
from io import BytesIO

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

from fupin.printing.columns import (
    APPRAISAL_FORM,
    CATALOGUE,
    DESTRUCTION_CERTIFICATE,
    DESTRUCTION_REGISTER,
    HANDOVER_COUNTS,
    TRANSFER_LIST,
    VOLUME_LIST,
    Entry,
    ListForm,
)
from fupin.printing.errors import PrintingError
from fupin.printing.fonts import cjk_font
from fupin.printing.forms import (
    AppraisalRow,
    CatalogueCover,
    CatalogueEntry,
    DestroyedFileRow,
    HandoverCount,
    RegisterCover,
    RegisterRow,
    TransferRow,
    VolumeEntry,
)
from fupin.printing.pdf import (
    CREATOR,
    GAP,
    centred,
    chinese_date,
    numbered_canvas,
    para,
    table_style,
)

_ALIGN = {"LEFT": TA_LEFT, "CENTER": TA_CENTER}
_BODY_SIZE = 9
_HEADER_SIZE = 10
# Room above the table for the running heading, and below it for the page number.
_TOP = 30 * mm
_BOTTOM = 16 * mm


def _table(form: ListForm[Entry], entries: Sequence[Entry]) -> Table:
    header = [centred(column.header, _HEADER_SIZE) for column in form.columns]
    body = [
        [
            para("" if value is None else str(value), _BODY_SIZE, align=_ALIGN[column.align])
            for column, value in zip(form.columns, row, strict=True)
        ]
        for row in form.rows(entries)
    ]
    table = Table(
        [header, *body],
        colWidths=[column.width_mm * mm for column in form.columns],
        repeatRows=1,
    )
    table.setStyle(
        table_style(
            ("GRID", (0, 0), (-1, -1), 0.5, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 1), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
        )
    )
    return table


def _render(
    form: ListForm[Entry],
    entries: Sequence[Entry],
    *,
    running_head: str,
    cover: list[Flowable],
) -> bytes:
    if not entries:
        raise PrintingError(f"{form.heading}没有条目，无需打印。")
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=form.page_size,
        leftMargin=form.margin_mm * mm,
        rightMargin=form.margin_mm * mm,
        topMargin=_TOP,
        bottomMargin=_BOTTOM,
        title=form.heading,
        creator=CREATOR,
    )

    def head(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = form.page_size
        canvas.saveState()
        canvas.setFont(cjk_font(), 18)
        canvas.drawCentredString(width / 2, height - 16 * mm, form.heading)
        line = para(running_head, 10)
        line.wrapOn(canvas, form.text_width, 12 * mm)
        line.drawOn(canvas, form.margin_mm * mm, height - _TOP + 3 * mm)
        canvas.restoreState()

    def bare(canvas: Canvas, doc: BaseDocTemplate) -> None:
        return None

    # The cover page carries neither the running head nor a page number.
    story = [*cover, PageBreak()] if cover else []
    story.append(_table(form, entries))
    doc.build(
        story,
        onFirstPage=bare if cover else head,
        onLaterPages=head,
        canvasmaker=numbered_canvas(unnumbered=1 if cover else 0),
    )
    return buffer.getvalue()


def _catalogue_cover(cover: CatalogueCover) -> list[Flowable]:
    fields = [
        ("全宗号", cover.fonds_code),
        ("全宗名称", cover.fonds_name),
        ("年度", str(cover.year)),
        ("保管期限", cover.retention_label),
        ("机构（问题）", cover.department_or_subject),
    ]
    table = Table(
        [[para(label, 16), para(value, 16)] for label, value in fields],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(
        table_style(
            ("LINEBELOW", (1, 0), (1, -1), 0.6, black),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
        )
    )
    return [Spacer(1, 15 * mm), centred(CATALOGUE.heading, 36), Spacer(1, 25 * mm), table]


def catalogue_pdf(cover: CatalogueCover, entries: Sequence[CatalogueEntry]) -> bytes:
    """归档文件目录 (DA/T 22-2015), A4 landscape: a cover page, then the numbered table pages."""
    running_head = (
        f"全宗号：{cover.fonds_code}{GAP}年度：{cover.year}{GAP}保管期限：{cover.retention_label}"
        f"{GAP}机构（问题）：{cover.department_or_subject}"
    )
    return _render(CATALOGUE, entries, running_head=running_head, cover=_catalogue_cover(cover))


def volume_list_pdf(title: str, entries: Sequence[VolumeEntry]) -> bytes:
    """卷内目录 (GB/T 11822-2008) of the volume titled ``title``, A4 portrait."""
    return _render(VOLUME_LIST, entries, running_head=f"案卷题名：{title}", cover=[])


def appraisal_pdf(running_head: str, rows: Sequence[AppraisalRow]) -> bytes:
    """到期档案鉴定表: the records reviewed and the appraisal group's decision on each."""
    return _render(APPRAISAL_FORM, rows, running_head=running_head, cover=[])


def _fields_table(fields: list[tuple[str, str]]) -> Table:
    table = Table(
        [[para(label, 14), para(value, 14)] for label, value in fields],
        colWidths=[50 * mm, 150 * mm],
    )
    table.setStyle(
        table_style(
            ("LINEBELOW", (1, 0), (1, -1), 0.6, black),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 9),
        )
    )
    return table


def register_pdf(cover: RegisterCover, rows: Sequence[RegisterRow]) -> bytes:
    """档案销毁清册: a cover (全宗号, quantity, approver, the two supervisors, with room to sign)
    and the numbered list."""
    fields = [
        ("清册编号", cover.number),
        ("全宗号", cover.fonds_code),
        ("全宗名称", cover.fonds_name),
        ("数量", f"{cover.quantity} 件　{cover.pages} 页"),
        ("批准人（分管领导）", f"{cover.approver}{GAP}签字：{GAP * 3}"),
        ("批准日期", chinese_date(cover.approved_on)),
        ("监销人", f"{cover.supervisors[0]}{GAP}签字：{GAP * 3}"),
        ("监销人", f"{cover.supervisors[1]}{GAP}签字：{GAP * 3}"),
        ("销毁日期", chinese_date(cover.destroyed_on)),
    ]
    front = [Spacer(1, 10 * mm), centred(DESTRUCTION_REGISTER.heading, 30), Spacer(1, 15 * mm)]
    head = f"清册编号：{cover.number}{GAP}全宗号：{cover.fonds_code}{GAP}{cover.fonds_name}"
    return _render(
        DESTRUCTION_REGISTER, rows, running_head=head, cover=[*front, _fields_table(fields)]
    )


def destruction_certificate_pdf(
    fields: list[tuple[str, str]], rows: Sequence[DestroyedFileRow]
) -> bytes:
    """电子档案销毁证明: what was destroyed under which register, and every file with its
    digests and the time it was deleted from storage."""
    front = [Spacer(1, 10 * mm), centred(DESTRUCTION_CERTIFICATE.heading, 26), Spacer(1, 12 * mm)]
    head = "　".join(f"{label}：{value}" for label, value in fields[:2])
    return _render(
        DESTRUCTION_CERTIFICATE, rows, running_head=head, cover=[*front, _fields_table(fields)]
    )


def transfer_list_pdf(running_head: str, rows: Sequence[TransferRow]) -> bytes:
    """档案移交清单: every item and volume of a transfer batch."""
    return _render(TRANSFER_LIST, rows, running_head=running_head, cover=[])


def handover_pdf(fields: list[tuple[str, str]], counts: Sequence[HandoverCount]) -> bytes:
    """档案交接文据 (DA/T 9): the parties, their signatures and opinions, the digest algorithm
    and each check's result on the first page; the quantities by 门类 and retention after."""
    front = [Spacer(1, 6 * mm), centred(HANDOVER_COUNTS.heading, 24), Spacer(1, 8 * mm)]
    head = "　".join(f"{label}：{value}" for label, value in fields[:2])
    return _render(
        HANDOVER_COUNTS, counts, running_head=head, cover=[*front, _fields_table(fields)]
    )
