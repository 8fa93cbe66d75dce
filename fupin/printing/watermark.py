"""Watermarks on files handed out under a grant (利用授权): who took them, and when.

PDFs get a faint diagonal line repeated over every page plus a plain footer line, drawn in
the embedded CJK font so the text can also be searched and copied out of the file; images
get the same text drawn into their pixels and written into their metadata. Other formats
cannot carry a mark that travels with their content, so they are not handed out this way.
"""

from functools import cache
from io import BytesIO
from math import cos, radians, sin

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from fupin.printing.errors import PrintingError
from fupin.printing.fonts import CJK_SUBFONT, cjk_font, cjk_font_bytes
from fupin.printing.pdf import new_canvas

PDF_FORMATS = frozenset({"pdf", "pdfa"})
IMAGE_FORMATS = frozenset({"jpeg", "png", "tiff"})
WATERMARKABLE = PDF_FORMATS | IMAGE_FORMATS
_ANGLE = 30
_PDF_SIZE = 14.0
_FOOTER_SIZE = 7.0


@cache
def _pdf_overlay(width: float, height: float, text: str) -> PdfReader:
    buffer = BytesIO()
    canvas = new_canvas(buffer, (width, height), "水印")
    canvas.saveState()
    canvas.setFillColor(Color(0.6, 0.1, 0.1, alpha=0.18))
    canvas.setFont(cjk_font(), _PDF_SIZE)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(_ANGLE)
    reach = int((width + height) / (_PDF_SIZE * 6)) + 1
    # Long enough that the turned rows cross the whole page, corners included.
    line = "　　".join(
        [text] * (int((width + height) / stringWidth(text, cjk_font(), _PDF_SIZE)) + 1)
    )
    for row in range(-reach, reach + 1):
        canvas.drawCentredString(0, row * _PDF_SIZE * 6, line)
    canvas.restoreState()
    canvas.setFillColor(Color(0.4, 0.4, 0.4))
    canvas.setFont(cjk_font(), _FOOTER_SIZE)
    canvas.drawString(_FOOTER_SIZE, _FOOTER_SIZE / 2, text)
    canvas.showPage()
    canvas.save()
    return PdfReader(BytesIO(buffer.getvalue()))


def watermark_pdf(pdf_bytes: bytes, text: str) -> bytes:
    """Every page of the PDF with the watermark on top; the text also goes in /Keywords."""
    try:
        reader = PdfReader(BytesIO(pdf_bytes))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PrintingError("这个 PDF 文件设有打开密码，无法加水印，不能依授权下载。")
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            page.transfer_rotation_to_content()
            box = page.cropbox
            left, bottom = float(box.left), float(box.bottom)
            overlay = _pdf_overlay(float(box.width), float(box.height), text).pages[0]
            page.merge_transformed_page(overlay, Transformation().translate(left, bottom))
        writer.add_metadata({"/Keywords": text})
        out = BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError) as exc:
        if isinstance(exc, PrintingError):
            raise
        raise PrintingError("这个 PDF 文件已损坏，无法加水印。") from exc
    return out.getvalue()


def _mark_layer(size: tuple[int, int], text: str) -> Image.Image:
    width, height = size
    points = max(12, min(width, height) // 24)
    font = ImageFont.truetype(BytesIO(cjk_font_bytes()), points, index=CJK_SUBFONT)
    # Draw the rows on a square large enough that, turned, it still covers the image.
    side = int(abs(width * cos(radians(_ANGLE))) + abs(height * sin(radians(_ANGLE)))) + width
    tiles = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tiles)
    for y in range(0, side, points * 5):
        draw.text(
            (points * (y // (points * 5) % 3), y),
            (text + "　") * 4,
            font=font,
            fill=(160, 20, 20, 70),
        )
    turned = tiles.rotate(_ANGLE, resample=Image.Resampling.BICUBIC)
    left, top = (side - width) // 2, (side - height) // 2
    layer = turned.crop((left, top, left + width, top + height))
    footer = ImageDraw.Draw(layer)
    small = ImageFont.truetype(BytesIO(cjk_font_bytes()), max(10, points // 2), index=CJK_SUBFONT)
    footer.text((4, height - max(10, points // 2) - 6), text, font=small, fill=(90, 90, 90, 255))
    return layer


def watermark_image(data: bytes, text: str) -> bytes:
    """The image with the watermark in its pixels and the text in its metadata, same format."""
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format or ""
            exif = image.info.get("exif")
            marked = Image.alpha_composite(image.convert("RGBA"), _mark_layer(image.size, text))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PrintingError("这个图像文件已损坏，无法加水印。") from exc
    out = BytesIO()
    if kind == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("Comment", text)
        marked.save(out, "PNG", pnginfo=info)
    elif kind == "TIFF":
        marked.convert("RGB").save(out, "TIFF", tiffinfo={270: text}, compression="tiff_lzw")
    else:
        extra = {"exif": exif} if exif else {}
        marked.convert("RGB").save(out, "JPEG", quality=90, comment=text.encode(), **extra)
    return out.getvalue()


def watermark(data: bytes, file_format: str, text: str) -> bytes:
    if file_format in PDF_FORMATS:
        return watermark_pdf(data, text)
    if file_format in IMAGE_FORMATS:
        return watermark_image(data, text)
    raise PrintingError(
        f"{file_format.upper() or '该'} 格式的文件无法加水印，依利用授权只能下载 PDF 和图像"
        "（JPEG、PNG、TIFF）文件；如需查阅原件，请向保管单位申请借阅或到馆查阅。"
    )
