"""案卷封面 (GB/T 11822-2008), A4 portrait: the volume's title block as filed on the shelf."""

from io import BytesIO

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from fupin.printing.forms import VolumeCover
from fupin.printing.pdf import CREATOR, centred, para, table_style

_MARGIN = 25 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_SIZE = 14


def volume_cover_pdf(cover: VolumeCover) -> bytes:
    label_width = 32 * mm
    lines = [
        ("全宗名称", cover.fonds_name),
        ("档号", cover.reference_code),
        ("案卷题名", cover.title),
        ("立卷单位", cover.arranging_unit),
        ("起止日期", cover.date_range),
        ("保管期限", cover.retention_label),
        ("密级", cover.secrecy_label),
        ("件数 / 页数", f"{cover.items} 件 / {cover.pages} 页"),
    ]
    body = Table(
        [[para(label, _SIZE), para(value, _SIZE)] for label, value in lines],
        colWidths=[label_width, _WIDTH - label_width],
        rowHeights=[18 * mm] * len(lines),
    )
    body.setStyle(
        table_style(
            ("LINEBELOW", (1, 0), (1, -1), 0.6, black),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        )
    )
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=f"案卷封面 {cover.reference_code}",
        creator=CREATOR,
    )
    doc.build([Spacer(1, 30 * mm), centred(cover.heading, 26), Spacer(1, 25 * mm), body])
    return buffer.getvalue()
