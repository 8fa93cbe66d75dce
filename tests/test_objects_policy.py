"""The format policy per 门类 is data: formats outside it are flagged or refused as it says."""

import io

import pytest
from django.core.exceptions import ValidationError

from fupin.objects.models import CaptureEvent, FormatPolicy, StoredObject
from fupin.objects.services import object_capture
from tests import objects_samples as samples


def capture(content: bytes, name: str, category: str):
    return object_capture(actor=None, stream=io.BytesIO(content), filename=name, category=category)


def test_defaults_follow_gb_t_18894(db):
    policy = dict(FormatPolicy.objects.values_list("category", "allowed"))
    assert set(policy) == {"WS", "KJ", "ZY", "ZP", "LY", "LX", "SJ"}
    assert {"ofd", "pdfa", "pdf", "docx", "rtf", "wps"} <= set(policy["WS"])
    assert policy["ZP"] == ["jpeg", "tiff"] and set(policy["LY"]) == {"wav", "mp3"}


def test_png_photo_is_kept_but_flagged(world):
    done = capture(samples.image("PNG"), "合影.png", "ZP")
    assert done.outcome == "flagged"
    assert done.notes == ["PNG 图像不在“照片”门类的长期保存格式之列，请尽快转换。"]


def test_jpeg_photo_is_accepted_without_remark(world):
    assert capture(samples.image("JPEG"), "合影.jpg", "ZP").outcome == "stored"


def test_unknown_content_in_documents_is_flagged(world):
    done = capture(b"\x00\x01\x02binary", "x.dat", "WS")
    assert done.outcome == "flagged" and "无法识别的格式不在" in done.notes[0]


def test_refusing_category_rejects_and_records_it(world, media_root):
    FormatPolicy.objects.filter(category="LY").update(on_other="reject")
    with pytest.raises(ValidationError) as caught:
        capture(samples.image("JPEG"), "录音.jpg", "LY")
    assert caught.value.messages == [
        "JPEG 图像不在“录音”门类的长期保存格式之列，拒收。请转换为WAV 音频、MP3 音频。"
    ]
    assert StoredObject.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    event = CaptureEvent.objects.get()
    assert (event.outcome, event.object, event.filename) == ("rejected", None, "录音.jpg")


def test_administrator_changes_take_effect_without_code(world):
    FormatPolicy.objects.filter(category="ZP").update(allowed=["jpeg", "tiff", "png"])
    assert capture(samples.image("PNG"), "合影.png", "ZP").outcome == "stored"


def test_unknown_category_is_refused(world):
    with pytest.raises(ValidationError, match="未知的门类代码“XX”"):
        capture(samples.pdf(), "a.pdf", "XX")
