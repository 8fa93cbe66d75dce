"""Scans made at test time: Chinese text rendered with the WenQuanYi font the printing package
uses, as a multi-page PDF (image pages, like a scanner's), a multi-page TIFF, a JPEG."""

import io
from importlib import resources

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from fupin.records.services import UNIT_SCHEDULE_LEVEL
from tests.records_fixtures import file_item, set_up_fonds

SIZE = (900, 300)


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = resources.files("paperang_p2_fonts_cjk").joinpath("fonts/wqy-microhei.ttc")
    with resources.as_file(font) as path:
        return ImageFont.truetype(str(path), size)


def page(text: str) -> Image.Image:
    """A white page with one line of black Chinese text, as a 150 dpi scan of a short note."""
    image = Image.new("RGB", SIZE, "white")
    ImageDraw.Draw(image).text((50, 110), text, font=_font(44), fill="black")
    return image


def pdf(*texts: str) -> bytes:
    """A scanner's PDF: each page is an image, there is no text layer to read."""
    out = io.BytesIO()
    doc = canvas.Canvas(out)
    for text in texts:
        # 150 dpi: the page is as big in points as the pixels say.
        width, height = SIZE[0] * 72 / 150, SIZE[1] * 72 / 150
        doc.setPageSize((width, height))
        buffer = io.BytesIO()
        page(text).save(buffer, "PNG")
        buffer.seek(0)
        doc.drawImage(ImageReader(buffer), 0, 0, width, height)
        doc.showPage()
    doc.save()
    return out.getvalue()


def tiff(*texts: str) -> bytes:
    out = io.BytesIO()
    first, *rest = [page(t) for t in texts]
    first.save(out, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate")
    return out.getvalue()


def jpeg(text: str) -> bytes:
    out = io.BytesIO()
    page(text).save(out, "JPEG", quality=90)
    return out.getvalue()


def scan_item(world, unit: str = "committee_a", pages: int = 2, title: str = "贫困户申请书"):
    """A described item of the unit's fonds, `pages` pages long, without any file."""
    target = world.units[unit]
    classes = set_up_fonds(target)
    level = UNIT_SCHEDULE_LEVEL[target.region.level]
    item = file_item(target, classes["BGS"], level=level, title=title)
    if pages != item.pages:
        type(item).objects.filter(pk=item.pk).update(pages=pages)
        item.refresh_from_db()
    return item
