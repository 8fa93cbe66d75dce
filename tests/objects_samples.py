"""Small real files of each format, made here, for the electronic-file tests."""

import io
import zipfile

from PIL import Image
from reportlab.pdfgen import canvas


def pdf(pages: int = 1, text: str = "scan") -> bytes:
    out = io.BytesIO()
    doc = canvas.Canvas(out)
    for n in range(pages):
        doc.drawString(72, 720, f"{text} {n + 1}")
        doc.showPage()
    doc.save()
    return out.getvalue()


def image(fmt: str = "JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", size, (200, 40, 40))
    if exif is not None:
        picture.save(out, fmt, exif=exif)
    else:
        picture.save(out, fmt)
    return out.getvalue()


def zipped(entry: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(entry, "<x/>")
    return out.getvalue()
