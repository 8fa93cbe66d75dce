"""档案证明: one A4 page with the statement, the issuer and date, and the verification QR code;
a certified copy carries the record's pages after it. Every page is watermarked."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Frame

from fupin.printing.fonts import cjk_font
from fupin.printing.pdf import centred, chinese_date, new_canvas, para
from fupin.printing.watermark import IMAGE_FORMATS, PDF_FORMATS, watermark_pdf

_QR_SIDE = 32 * mm


@dataclass(frozen=True)
class CertificateSheet:
    heading: str
    number: str
    statement: str
    issuer: str
    issued_on: date
    verify_url: str
    # The record's files for a certified copy: (format, bytes), in page order.
    pages: Sequence[tuple[str, bytes]] = ()


def _front(sheet: CertificateSheet) -> bytes:
    buffer = BytesIO()
    canvas = new_canvas(buffer, A4, f"{sheet.heading} {sheet.number}")
    width, height = A4
    canvas.setFont(cjk_font(), 10)
    canvas.drawRightString(width - 20 * mm, height - 20 * mm, f"编号：{sheet.number}")
    story = [centred(sheet.heading, 24)]
    frame = Frame(20 * mm, height - 50 * mm, width - 40 * mm, 24 * mm, showBoundary=0)
    frame.addFromList(story, canvas)
    body = [para(line, 14) for line in sheet.statement.split("\n") if line.strip()]
    frame = Frame(25 * mm, 110 * mm, width - 50 * mm, height - 170 * mm, showBoundary=0)
    frame.addFromList(body, canvas)
    canvas.setFont(cjk_font(), 14)
    canvas.drawRightString(width - 30 * mm, 95 * mm, f"出具单位：{sheet.issuer}（盖章）")
    canvas.drawRightString(width - 30 * mm, 85 * mm, chinese_date(sheet.issued_on))
    qr = QrCodeWidget(sheet.verify_url, barBorder=0, barWidth=_QR_SIDE, barHeight=_QR_SIDE)
    drawing = Drawing(_QR_SIDE, _QR_SIDE)
    drawing.add(qr)
    renderPDF.draw(drawing, canvas, 25 * mm, 40 * mm)
    canvas.setFont(cjk_font(), 9)
    canvas.drawString(62 * mm, 66 * mm, "扫描二维码核验本证明真伪：")
    canvas.drawString(62 * mm, 60 * mm, "核验页面只显示是否有效、编号、出具单位和日期，")
    canvas.drawString(62 * mm, 54 * mm, "不显示任何个人信息。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _image_page(data: bytes) -> bytes:
    buffer = BytesIO()
    canvas = new_canvas(buffer, A4, "复制件")
    width, height = A4
    with Image.open(BytesIO(data)) as image:
        ratio = min((width - 20 * mm) / image.width, (height - 20 * mm) / image.height)
        w, h = image.width * ratio, image.height * ratio
        canvas.drawImage(ImageReader(image.convert("RGB")), (width - w) / 2, (height - h) / 2, w, h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_pdf(sheet: CertificateSheet, mark: str) -> tuple[bytes, list[str]]:
    """The certificate, and notes on pages that could not be copied (unreadable, other
    formats: those are named, never silently left out)."""
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(_front(sheet))))
    notes = []
    for n, (fmt, data) in enumerate(sheet.pages, start=1):
        try:
            if fmt in PDF_FORMATS:
                writer.append(PdfReader(BytesIO(data)))
            elif fmt in IMAGE_FORMATS:
                writer.append(PdfReader(BytesIO(_image_page(data))))
            else:
                notes.append(f"第 {n} 个电子文件为 {fmt.upper()} 格式，不能附于复制件证明")
        except (PyPdfError, UnidentifiedImageError, OSError, ValueError):
            notes.append(f"第 {n} 个电子文件已损坏，未能附上")
    out = BytesIO()
    writer.write(out)
    return watermark_pdf(out.getvalue(), mark), notes
