"""Files that break parsers, for the upload tests: each is refused with a Chinese message at
every upload point, never a 500."""

import io
import random
import struct
import zipfile
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(side: int = 60000) -> bytes:
    """A PNG of side × side pixels in a few hundred bytes: opening it must not try to
    decompress 3.6 billion pixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side // 8 + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def noise(size: int = 4096, seed: int = 14) -> bytes:
    return random.Random(seed).randbytes(size)


def zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    return out.getvalue()


def broken_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + noise(2000) + b"\n%%EOF\n"


def broken_tiff() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + b"\xff\xff" + noise(500)


def ole_garbage() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(3000)


# name → bytes
IMAGES = {
    "bomb.png": png_bomb(),
    "bomb.jpg": png_bomb(),  # a PNG bomb under a JPEG name
    "broken.tif": broken_tiff(),
    "broken.pdf": broken_pdf(),
}
# Bytes that match no format under an image's name: refused or kept as an unknown format,
# as the format policy decides — but never a server error.
ODD = {"noise.jpg": noise()}
SHEETS = {
    "binary.csv": noise(),
    "binary.xlsx": noise(),
    "zip.xlsx": zip_not_xlsx(),
    "ole.xls": ole_garbage(),
    "bomb.xlsx": png_bomb(),
    "utf16.csv": "户编号,姓名\n".encode("utf-16") + noise(100),
}
