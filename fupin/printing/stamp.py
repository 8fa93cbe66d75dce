"""归档章 (DA/T 22-2015): a label sheet to print, and the stamp put on a scanned first page."""

from collections.abc import Sequence
from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from reportlab.lib.colors import Color, black, grey, red
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from fupin.printing.errors import PrintingError
from fupin.printing.fonts import cjk_font
from fupin.printing.forms import StampFields, item_code
from fupin.printing.pdf import new_canvas

STAMP_WIDTH = 45 * mm
STAMP_HEIGHT = 16 * mm
_CELL_WIDTH = STAMP_WIDTH / 3
_CELL_HEIGHT = STAMP_HEIGHT / 2
_PADDING = 1.2
_MAX_SIZE = 9.0
_MIN_SIZE = 5.0
_LINE_WIDTH = 0.6
_LEADING = 1.15
# Room around the stamp on its overlay page so the border line is not clipped.
_BLEED = _LINE_WIDTH

# Label sheet: 4 × 12 stamps on A4 with 5 mm and 6 mm gutters to cut along.
SHEET_COLUMNS = 4
SHEET_ROWS = 12
_GUTTER_X = 5 * mm
_GUTTER_Y = 6 * mm
_SHEET_MARGIN_X = (A4[0] - SHEET_COLUMNS * STAMP_WIDTH - (SHEET_COLUMNS - 1) * _GUTTER_X) / 2
_SHEET_MARGIN_Y = (A4[1] - SHEET_ROWS * STAMP_HEIGHT - (SHEET_ROWS - 1) * _GUTTER_Y) / 2


def _cells(stamp: StampFields) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    pages = "" if stamp.pages is None else str(stamp.pages)
    return (
        (stamp.fonds_code, str(stamp.year), item_code(stamp.item_number)),
        (stamp.department_or_subject, stamp.retention_label, pages),
    )


def _largest_size(lines: list[str]) -> float | None:
    font = cjk_font()
    room = _CELL_WIDTH - 2 * _PADDING
    size = _MAX_SIZE
    while size >= _MIN_SIZE:
        fits_height = len(lines) * size * _LEADING <= _CELL_HEIGHT - 2 * _PADDING
        if fits_height and all(stringWidth(line, font, size) <= room for line in lines):
            return size
        size -= 0.5
    return None


def _fit(text: str) -> tuple[float, list[str]]:
    """The font size and lines that print ``text`` largest in one cell."""
    half = (len(text) + 1) // 2
    # A long name reads better as two halves than squeezed small on one line.
    candidates = [(_largest_size(lines), lines) for lines in ([text], [text[:half], text[half:]])]
    fitting = [(size, lines) for size, lines in candidates if size is not None]
    if not fitting:
        raise PrintingError(f"“{text}”太长，归档章的格子里放不下，请改用简称。")
    # max() keeps the first of equals: one line wins a tie.
    return max(fitting, key=lambda candidate: candidate[0])


def _check_fits(stamp: StampFields) -> None:
    # Before anything is drawn, so a stamp that cannot be printed fails the whole job.
    for texts in _cells(stamp):
        for text in texts:
            _fit(text)


def _draw_stamp(canvas: Canvas, x: float, y: float, stamp: StampFields, colour: Color) -> None:
    """Draw the stamp with its lower left corner at (x, y)."""
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setFillColor(colour)
    canvas.setLineWidth(_LINE_WIDTH)
    canvas.rect(x, y, STAMP_WIDTH, STAMP_HEIGHT)
    canvas.line(x, y + _CELL_HEIGHT, x + STAMP_WIDTH, y + _CELL_HEIGHT)
    for column in (1, 2):
        canvas.line(x + column * _CELL_WIDTH, y, x + column * _CELL_WIDTH, y + STAMP_HEIGHT)
    for row, texts in enumerate(_cells(stamp)):
        cell_top = y + STAMP_HEIGHT - row * _CELL_HEIGHT
        for column, text in enumerate(texts):
            size, lines = _fit(text)
            leading = size * _LEADING
            centre_x = x + (column + 0.5) * _CELL_WIDTH
            # Centre the block of lines in the cell; 0.35 em sits CJK glyphs on the optical middle.
            first_baseline = (
                cell_top - _CELL_HEIGHT / 2 + (len(lines) - 1) * leading / 2 - 0.35 * size
            )
            canvas.setFont(cjk_font(), size)
            for index, line in enumerate(lines):
                canvas.drawCentredString(centre_x, first_baseline - index * leading, line)
    canvas.restoreState()


def archive_stamp_sheet(stamps: Sequence[StampFields]) -> bytes:
    """A4 sheets of 45 × 16 mm archive stamps with cut lines, SHEET_COLUMNS × SHEET_ROWS a page."""
    if not stamps:
        raise PrintingError("没有要打印的归档章。")
    for stamp in stamps:
        _check_fits(stamp)
    buffer = BytesIO()
    canvas = new_canvas(buffer, A4, "归档章")
    per_page = SHEET_COLUMNS * SHEET_ROWS
    for start in range(0, len(stamps), per_page):
        _cut_lines(canvas)
        for offset, stamp in enumerate(stamps[start : start + per_page]):
            row, column = divmod(offset, SHEET_COLUMNS)
            x = _SHEET_MARGIN_X + column * (STAMP_WIDTH + _GUTTER_X)
            y = A4[1] - _SHEET_MARGIN_Y - STAMP_HEIGHT - row * (STAMP_HEIGHT + _GUTTER_Y)
            _draw_stamp(canvas, x, y, stamp, black)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cut_lines(canvas: Canvas) -> None:
    # Dashed lines through the middle of every gutter and along the outer edges.
    canvas.saveState()
    canvas.setStrokeColor(grey)
    canvas.setLineWidth(0.25)
    canvas.setDash(2, 2)
    for column in range(SHEET_COLUMNS + 1):
        x = _SHEET_MARGIN_X + column * (STAMP_WIDTH + _GUTTER_X) - _GUTTER_X / 2
        canvas.line(x, 0, x, A4[1])
    for row in range(SHEET_ROWS + 1):
        y = A4[1] - _SHEET_MARGIN_Y - row * (STAMP_HEIGHT + _GUTTER_Y) + _GUTTER_Y / 2
        canvas.line(0, y, A4[0], y)
    canvas.restoreState()


def _stamp_overlay(stamp: StampFields) -> PdfReader:
    buffer = BytesIO()
    canvas = new_canvas(buffer, (STAMP_WIDTH + 2 * _BLEED, STAMP_HEIGHT + 2 * _BLEED), "归档章")
    # Archive stamps are traditionally red, and red stands apart from a black-and-white scan.
    _draw_stamp(canvas, _BLEED, _BLEED, stamp, red)
    canvas.showPage()
    canvas.save()
    return PdfReader(BytesIO(buffer.getvalue()))


def stamp_first_page(pdf_bytes: bytes, stamp: StampFields, margin_mm: float = 10.0) -> bytes:
    """Put the archive stamp ``margin_mm`` from the top right corner of the first page.

    The other pages are copied untouched.
    """
    _check_fits(stamp)
    overlay = _stamp_overlay(stamp).pages[0]
    try:
        reader = PdfReader(BytesIO(pdf_bytes))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PrintingError("这个 PDF 文件设有打开密码，无法加盖归档章。请提供未加密的文件。")
        writer = PdfWriter(clone_from=reader)
        page = writer.pages[0]
        # Work in the page as it is seen: a scan saved sideways carries /Rotate.
        page.transfer_rotation_to_content()
        box = page.cropbox
        left, bottom = float(box.left), float(box.bottom)
        right, top = float(box.right), float(box.top)
        if right - left < STAMP_WIDTH or top - bottom < STAMP_HEIGHT:
            raise PrintingError(
                f"第一页只有 {(right - left) / mm:.0f}×{(top - bottom) / mm:.0f} 毫米，"
                "放不下 45×16 毫米的归档章。"
            )
        # On a page barely larger than the stamp the margin shrinks rather than push it off.
        margin_x = min(margin_mm * mm, right - left - STAMP_WIDTH)
        margin_y = min(margin_mm * mm, top - bottom - STAMP_HEIGHT)
        corner_x = right - margin_x - STAMP_WIDTH - _BLEED
        corner_y = top - margin_y - STAMP_HEIGHT - _BLEED
        page.merge_transformed_page(overlay, Transformation().translate(corner_x, corner_y))
        out = BytesIO()
        writer.write(out)
    except PrintingError:
        raise
    # pypdf reads lazily and a damaged file can fail anywhere, with any of these.
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise PrintingError(
            "无法读取这个 PDF 文件：文件已损坏或不是 PDF，无法加盖归档章。"
        ) from exc
    return out.getvalue()
