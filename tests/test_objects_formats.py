"""Formats are identified from content, never from the name; a misleading name is flagged."""

import io
import struct
import wave
import zipfile

import pytest

from fupin.objects.formats import identify
from fupin.objects.services import object_capture
from tests import objects_samples as samples


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(struct.pack("<100h", *range(100)))
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("名册.csv", "户主,人口\n")
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
AVI = b"RIFF\x00\x01\x00\x00AVI LIST" + b"\0" * 32
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\0" * 32
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\0" * 32

TABLE = [
    (samples.pdf(), "pdf"),
    (samples.pdfa(), "pdfa"),
    (samples.image("JPEG"), "jpeg"),
    (samples.image("PNG"), "png"),
    (samples.image("TIFF"), "tiff"),
    (samples.image("GIF"), "gif"),
    (samples.zipped("OFD.xml"), "ofd"),
    (samples.zipped("word/document.xml"), "docx"),
    (samples.zipped("xl/workbook.xml"), "xlsx"),
    (plain_zip(), "zip"),
    (OLE2, "wps"),
    (b"{\\rtf1\\ansi notice}", "rtf"),
    (wav(), "wav"),
    (MP3, "mp3"),
    (MP4, "mp4"),
    (AVI, "avi"),
    ('<?xml version="1.0" encoding="UTF-8"?><档案/>'.encode(), "xml"),
    ("户主,人口\n张三,4\n".encode(), "txt"),
    ("户主,人口\n张三,4\n".encode("gbk"), "txt"),
    (b"\x00\x01\x02\x03\xff\xfe", "unknown"),
]


@pytest.mark.parametrize(("content", "kind"), TABLE, ids=[k for _, k in TABLE])
def test_formats_are_identified_by_content(content, kind):
    assert identify(io.BytesIO(content)) == kind


def test_wrong_extension_is_flagged_and_stored_as_what_it_is(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.image("PNG")), filename="scan.jpg", category="WS"
    )
    assert done.object.format == "png" and done.outcome == "flagged"
    assert done.notes[0] == "扩展名 .jpg 与实际格式（PNG 图像）不符，已按实际格式保存。"
    assert done.event.extension == "jpg" and done.event.message == done.notes[0]


def test_a_name_without_extension_is_flagged(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.pdf()), filename="通知", category="WS"
    )
    assert "扩展名 .（无） 与实际格式（PDF）不符" in done.notes[0]


def test_matching_extension_in_any_case_is_not_flagged(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.pdfa()), filename="通知.PDF", category="WS"
    )
    assert (done.object.format, done.outcome, done.notes) == ("pdfa", "stored", [])
