"""Refuse files that claim a format but are damaged: a truncated scan must not be archived."""

from typing import IO

from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError

IMAGES = {"jpeg", "png", "tiff", "gif"}


def check_integrity(file: IO[bytes], kind: str) -> None:
    file.seek(0)
    try:
        if kind in IMAGES:
            _check_image(file)
        elif kind in ("pdf", "pdfa"):
            _check_pdf(file)
    finally:
        file.seek(0)


def _check_image(file: IO[bytes]) -> None:
    try:
        with Image.open(file) as image:
            image.load()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "图像的像素数超出可处理的范围（可能是恶意构造的文件），已拒绝。"
        ) from exc
    except Exception as exc:  # an untrusted file: whatever breaks the parser means "damaged"
        raise ValidationError("图像文件已损坏或不完整（可能上传中断），请重新扫描或上传。") from exc


def _check_pdf(file: IO[bytes]) -> None:
    file.seek(-2048, 2) if _size(file) > 2048 else file.seek(0)
    if b"%%EOF" not in file.read():
        raise ValidationError("PDF 文件不完整（缺少文件结尾），可能上传中断，请重新上传。")
    file.seek(0)
    try:
        pages = len(PdfReader(file).pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ValidationError("PDF 文件已损坏，无法读取。") from exc
    except Exception as exc:  # pypdf on a crafted file: recursion, type and index errors
        raise ValidationError("PDF 文件已损坏，无法读取。") from exc
    if pages == 0:
        raise ValidationError("PDF 文件没有页面。")


def _size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    return file.tell()
