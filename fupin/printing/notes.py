"""备考表 (DA/T 22-2015) and 卷内备考表 (GB/T 11822-2008), A4 portrait."""

from io import BytesIO

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from fupin.printing.forms import BoxNote, VolumeNote
from fupin.printing.pdf import CREATOR, centred, chinese_date, numbered_canvas, para, table_style

_MARGIN = 20 * mm
_WIDTH = A4[0] - 2 * _MARGIN
# The description box is drawn this tall even when empty, to be written in by hand.
_MIN_DESCRIPTION_HEIGHT = 150 * mm
_SIZE = 12
_PADDING = 6


def _note_pdf(
    heading: str,
    description_label: str,
    arranger_label: str,
    date_label: str,
    note: BoxNote | VolumeNote,
) -> bytes:
    description = para(note.description, _SIZE)
    _, needed = description.wrap(_WIDTH - 2 * _PADDING, A4[1])
    # The spacer keeps the box tall enough to write in by hand; a long description grows it.
    blank = Spacer(1, max(0.0, _MIN_DESCRIPTION_HEIGHT - needed))
    # One column, no spans: reportlab can split such a row when the description outgrows a page.
    description_box = Table(
        [[para(description_label, _SIZE)], [[description, blank]]],
        colWidths=[_WIDTH],
        splitInRow=1,
    )
    description_box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 0.8, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
            ("TOPPADDING", (0, 0), (-1, 0), _PADDING * 1.5),
        )
    )
    label_width = 28 * mm
    value_width = (_WIDTH - 2 * label_width) / 2
    sign_off = Table(
        [
            [
                para(arranger_label, _SIZE),
                para(note.arranger, _SIZE),
                para(date_label, _SIZE),
                para(chinese_date(note.arranged_on), _SIZE),
            ],
            [
                para("检查人", _SIZE),
                para(note.checker, _SIZE),
                para("检查日期", _SIZE),
                para(chinese_date(note.checked_on), _SIZE),
            ],
        ],
        colWidths=[label_width, value_width, label_width, value_width],
        rowHeights=14 * mm,
    )
    sign_off.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 0.8, black),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
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
        title=heading,
        creator=CREATOR,
    )
    doc.build(
        [centred(heading, 22), Spacer(1, 10 * mm), description_box, sign_off],
        canvasmaker=numbered_canvas(0),
    )
    return buffer.getvalue()


def box_note_pdf(note: BoxNote) -> bytes:
    """备考表, printed for the back of the box: 盒内文件情况说明, 整理人 and 检查人 with dates."""
    return _note_pdf("备考表", "盒内文件情况说明", "整理人", "整理日期", note)


def volume_note_pdf(note: VolumeNote) -> bytes:
    """卷内备考表: 本卷情况说明, 立卷人 and 检查人 with dates."""
    return _note_pdf("卷内备考表", "本卷情况说明", "立卷人", "立卷日期", note)
