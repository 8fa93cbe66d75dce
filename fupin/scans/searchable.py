"""A searchable PDF of an item's scan: each page image with the OCR text laid over it,
invisible (text render mode 3) but selectable and found by a viewer's search."""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from fupin.printing.fonts import cjk_font
from fupin.scans.pages import RENDER_DPI

INVISIBLE = 3


@dataclass
class PdfPage:
    image: Image.Image
    # [x0, y0, x1, y1, text] in pixels of `image`.
    lines: list[list[Any]] = field(default_factory=list)


def searchable_pdf(pages: Iterable[PdfPage], title: str) -> bytes:
    font = cjk_font()
    out = io.BytesIO()
    doc = canvas.Canvas(out, pageCompression=1)
    doc.setTitle(title)
    for page in pages:
        scale = 72 / RENDER_DPI
        width, height = page.image.width * scale, page.image.height * scale
        doc.setPageSize((width, height))
        buffer = io.BytesIO()
        page.image.convert("RGB").save(buffer, "JPEG", quality=70)
        buffer.seek(0)
        doc.drawImage(ImageReader(buffer), 0, 0, width, height)
        for x0, y0, x1, y1, text in page.lines:
            size = max((y1 - y0) * scale * 0.85, 1)
            natural = stringWidth(text, font, size) or 1
            words = doc.beginText()
            words.setTextRenderMode(INVISIBLE)
            words.setFont(font, size)
            # Stretched to the box, so a selection covers the words seen on the image.
            words.setHorizScale(100 * (x1 - x0) * scale / natural)
            words.setTextOrigin(x0 * scale, height - y1 * scale + size * 0.15)
            words.textOut(text)
            doc.drawText(words)
        doc.showPage()
    doc.save()
    return out.getvalue()
