"""Pages of a scan as images: PDF pages rendered by PDFium, TIFF frames and single images read
by Pillow. Every failure to read becomes one Chinese message naming the page."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, ImageSequence

SCAN_FORMATS = frozenset({"pdf", "pdfa", "tiff", "jpeg", "png"})
# Scanning for archives is done at 200-300 dpi; 200 keeps OCR fast and CJK strokes legible.
RENDER_DPI = 200
# Larger images are scaled down before reading: the detector works on at most this side.
MAX_SIDE = 2400
THUMBNAIL_PX = 320


class UnreadablePage(ValidationError):
    pass


def _unreadable(page: int | None, exc: BaseException) -> UnreadablePage:
    where = f"第{page}页" if page else "文件"
    return UnreadablePage(
        f"{where}无法读取，文件可能已损坏或不是扫描件（{type(exc).__name__}）。"
        "请重新扫描或导出后再上传。"
    )


@contextmanager
def _pdf(file: IO[bytes]) -> Iterator[pdfium.PdfDocument]:
    file.seek(0)
    try:
        document = pdfium.PdfDocument(file.read())
    except pdfium.PdfiumError as exc:
        raise _unreadable(None, exc) from exc
    try:
        yield document
    finally:
        document.close()


def _pdf_page(document: pdfium.PdfDocument, index: int, dpi: int) -> Image.Image:
    page = document[index]
    try:
        return page.render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        page.close()


def _fit(image: Image.Image, side: int) -> Image.Image:
    image = ImageOps.exif_transpose(image).convert("RGB")
    if max(image.size) > side:
        image.thumbnail((side, side))
    return image


def page_images(file: IO[bytes], fmt: str, dpi: int = RENDER_DPI) -> Iterator[Image.Image]:
    """Each page in order, as an RGB image of at most MAX_SIDE pixels on the long side."""
    if fmt not in SCAN_FORMATS:
        raise ValidationError("不是扫描件：只接受 PDF、TIFF、JPEG、PNG 格式。")
    if fmt in ("pdf", "pdfa"):
        with _pdf(file) as document:
            for index in range(len(document)):
                try:
                    image = _pdf_page(document, index, dpi)
                except pdfium.PdfiumError as exc:
                    raise _unreadable(index + 1, exc) from exc
                yield _fit(image, MAX_SIDE)
        return
    file.seek(0)
    done = 0
    try:
        with Image.open(file) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
                yield _fit(frame.copy(), MAX_SIDE)
                done += 1
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable(done + 1 if done else None, exc) from exc


def thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def thumbnails(file: IO[bytes], fmt: str) -> list[bytes]:
    """A thumbnail of every page; reading them all is also the check that every page reads.
    PDF pages are rendered small directly, which is much cheaper than at reading resolution."""
    return [thumbnail(image) for image in page_images(file, fmt, dpi=40)]
