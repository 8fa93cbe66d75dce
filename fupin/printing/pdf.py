"""What every PDF form shares: the embedded CJK font, paragraph styles and page numbers."""

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, TableStyle

from fupin.printing.fonts import cjk_font

CREATOR = "精准扶贫档案管理系统"


def new_canvas(buffer: BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    # Starting in the CJK font keeps reportlab's default Helvetica, which is never
    # embedded, out of the page resources.
    canvas = Canvas(buffer, pagesize=pagesize, initialFontName=cjk_font())
    canvas.setTitle(title)
    canvas.setCreator(CREATOR)
    return canvas


def _style(size: float, align: int) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"cjk-{size}-{align}",
        fontName=cjk_font(),
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
        # Chinese has no spaces: break between any two characters, keeping punctuation rules.
        wordWrap="CJK",
    )


def para(text: str, size: float, *, align: int = TA_LEFT) -> Paragraph:
    # Paragraph text is markup; titles may contain & or < of their own.
    return Paragraph(escape(text).replace("\n", "<br/>"), _style(size, align))


def centred(text: str, size: float) -> Paragraph:
    return para(text, size, align=TA_CENTER)


# Paragraphs collapse ordinary and ideographic spaces alike; no-break spaces keep their width.
GAP = "\xa0" * 6


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    # A table sets its cell font even where every cell is a Paragraph; left at the default it
    # would pull an unembedded Helvetica into the page.
    return TableStyle([("FONT", (0, 0), (-1, -1), cjk_font(), 10), *commands])


def chinese_date(value: date | None) -> str:
    # A blank date keeps its 年 月 日 so it can be filled in by hand.
    if value is None:
        return f"{GAP * 2}年{GAP}月{GAP}日"
    return f"{value.year}年{value.month}月{value.day}日"


def numbered_canvas(unnumbered: int) -> type[Canvas]:
    """A canvas class printing 第 n 页 共 m 页 on every page after the first ``unnumbered``.

    A form of a single page is left unnumbered.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = cjk_font()
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        # The total is known only at the end, so pages are held back until save().
        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held) - unnumbered
            for index, state in enumerate(self._held):
                self.__dict__.update(state)
                number = index + 1 - unnumbered
                if number >= 1 and total > 1:
                    self.setFont(cjk_font(), 9)
                    width = self._pagesize[0]
                    self.drawCentredString(width / 2, 8 * mm, f"第 {number} 页　共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas
