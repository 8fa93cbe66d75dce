"""盒脊 (DA/T 22-2015): spine strips for archive boxes, as wide as the box is thick."""

import re
from collections.abc import Sequence
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from fupin.printing.errors import PrintingError
from fupin.printing.fonts import cjk_font
from fupin.printing.forms import BoxSpine, item_code
from fupin.printing.pdf import new_canvas

# The box is 310 mm tall but A4 is 297 mm: the strip is shorter and glued centred on the spine.
SPINE_LENGTH = 260 * mm
_GAP = 6 * mm
_MARGIN = 10 * mm
_LABEL_SIZE = 8
_MAX_VALUE_SIZE = 18
_MIN_VALUE_SIZE = 7
# The label area at the foot of the strip: a QR code as wide as the strip allows, the label
# in text, and a Code128 barcode running along the spine (1D scanners read only that).
_BAR_WIDTH = 0.25 * mm
_LABEL_TEXT_SIZE = 6
_QR_MAX = 20 * mm
# Runs of Latin letters, digits and code punctuation stay upright on one line; CJK stacks.
_TOKEN = re.compile(r"[0-9A-Za-z·\-_.]+|\S")


def _sections(spine: BoxSpine) -> list[tuple[str, str, float]]:
    """(label, value, share of the strip's length) from top to bottom."""
    sections = [
        ("全宗号", spine.fonds_code, 1.0),
        ("年度", str(spine.year), 1.0),
        ("保管期限", spine.retention_label, 1.5),
        ("起止件号", f"{item_code(spine.first_item)}至{item_code(spine.last_item)}", 1.8),
        ("盒号", str(spine.box_number), 1.2),
    ]
    if spine.department:
        sections.append(("机构", spine.department, 2.5))
    return sections


def _draw_vertical(
    canvas: Canvas, centre_x: float, top: float, bottom: float, width: float, text: str
) -> None:
    """Stack ``text`` one character (or code run) per line, centred in the box given."""
    font = cjk_font()
    tokens = _TOKEN.findall(text)
    size = float(_MAX_VALUE_SIZE)
    while size > _MIN_VALUE_SIZE and (
        max(stringWidth(token, font, size) for token in tokens) > width
        or len(tokens) * size * 1.15 > top - bottom
    ):
        size -= 0.5
    if max(stringWidth(token, font, size) for token in tokens) > width:
        raise PrintingError(f"盒脊上的“{text}”太宽，请选更厚的档案盒或缩短内容。")
    if len(tokens) * size * 1.15 > top - bottom:
        raise PrintingError(f"盒脊上的“{text}”太长，放不下，请缩短内容。")
    leading = size * 1.15
    first_baseline = (top + bottom) / 2 + (len(tokens) * leading) / 2 - size * 0.9
    canvas.setFont(font, size)
    for index, token in enumerate(tokens):
        canvas.drawCentredString(centre_x, first_baseline - index * leading, token)


def _draw_label(canvas: Canvas, x: float, y: float, width: float, label: str) -> None:
    """QR code at the top of the label area, the text under it, then the barcode turned to
    run along the spine, bottom to top."""
    side = _qr_side(width)
    top = y + _label_height_for(width, label)
    qr = QrCodeWidget(label, barBorder=0, barWidth=side, barHeight=side)
    drawing = Drawing(side, side)
    drawing.add(qr)
    renderPDF.draw(drawing, canvas, x + (width - side) / 2, top - 2 * mm - side)
    canvas.setFont(cjk_font(), _LABEL_TEXT_SIZE)
    text_y = top - 3 * mm - side - _LABEL_TEXT_SIZE
    canvas.drawCentredString(x + width / 2, text_y, label)
    bars = Code128(label, barWidth=_BAR_WIDTH, barHeight=width - 6 * mm)
    canvas.saveState()
    canvas.translate(x + width - 3 * mm, y + 2 * mm)
    canvas.rotate(90)
    bars.drawOn(canvas, 0, 0)
    canvas.restoreState()


def _qr_side(width: float) -> float:
    return min(width - 4 * mm, _QR_MAX)


def _label_height_for(width: float, label: str) -> float:
    bars = Code128(label, barWidth=_BAR_WIDTH)
    return _qr_side(width) + bars.width + _LABEL_TEXT_SIZE + 8 * mm


def _draw_spine(canvas: Canvas, x: float, y: float, spine: BoxSpine) -> None:
    width = spine.thickness_mm * mm
    canvas.saveState()
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, width, SPINE_LENGTH)
    sections = _sections(spine)
    label_height = _label_height_for(width, spine.label) if spine.label else 0.0
    if label_height:
        canvas.line(x, y + label_height, x + width, y + label_height)
        _draw_label(canvas, x, y, width, spine.label)
    unit = (SPINE_LENGTH - label_height) / sum(share for _, _, share in sections)
    top = y + SPINE_LENGTH
    centre_x = x + width / 2
    for index, (label, value, share) in enumerate(sections):
        bottom = top - share * unit
        if index:
            canvas.line(x, top, x + width, top)
        canvas.setFont(cjk_font(), _LABEL_SIZE)
        label_baseline = top - 2 * mm - _LABEL_SIZE
        canvas.drawCentredString(centre_x, label_baseline, label)
        _draw_vertical(
            canvas, centre_x, label_baseline - 2 * mm, bottom + 2 * mm, width - 3 * mm, value
        )
        top = bottom
    canvas.restoreState()


def box_spine_pdf(spines: Sequence[BoxSpine]) -> bytes:
    """Spine strips side by side on A4 portrait, as many a page as their widths allow."""
    if not spines:
        raise PrintingError("没有要打印的盒脊。")
    buffer = BytesIO()
    canvas = new_canvas(buffer, A4, "盒脊")
    y = (A4[1] - SPINE_LENGTH) / 2
    x = _MARGIN
    for spine in spines:
        width = spine.thickness_mm * mm
        if x > _MARGIN and x + width > A4[0] - _MARGIN:
            canvas.showPage()
            x = _MARGIN
        _draw_spine(canvas, x, y, spine)
        x += width + _GAP
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
