"""Bad files get a clear Chinese error and leave nothing behind: no object, no digest, no
stored bytes, no temporary file; only the refusal is recorded."""

import io

import pytest
from django.core.exceptions import ValidationError

from fupin.objects.models import CaptureEvent, Digest, StoredObject
from fupin.objects.services import object_capture, safe_filename
from tests import objects_samples as samples


def refused(media_root, content: bytes, name: str = "x.pdf", **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        object_capture(
            actor=None, stream=io.BytesIO(content), filename=name, category="WS", **kwargs
        )
    assert StoredObject.objects.count() == 0 and Digest.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    message = "；".join(caught.value.messages)
    event = CaptureEvent.objects.get()
    assert (event.outcome, event.object, event.message) == ("rejected", None, message)
    return message


def cut(content: bytes) -> bytes:
    return content[: len(content) // 2]


def test_zero_byte_file(world, media_root):
    assert refused(media_root, b"") == "文件是空的（0 字节），请检查后重新上传。"


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("TIFF", "a.tif")])
def test_truncated_image(world, media_root, fmt, name):
    whole = samples.image(fmt, size=(400, 300))
    message = refused(media_root, cut(whole), name)
    assert message == "图像文件已损坏或不完整（可能上传中断），请重新扫描或上传。"


def test_truncated_pdf(world, media_root):
    whole = samples.pdf(pages=3)
    message = refused(media_root, whole[: len(whole) - 200])
    assert message == "PDF 文件不完整（缺少文件结尾），可能上传中断，请重新上传。"


def test_garbage_claiming_to_be_a_pdf(world, media_root):
    assert refused(media_root, b"%PDF-1.4\n garbage \n%%EOF") == "PDF 文件已损坏，无法读取。"


def test_oversize_upload_is_stopped_while_streaming(world, media_root):
    assert "大小上限（4 KB）" in refused(media_root, b"x" * 5000, "big.txt", max_bytes=4096)


@pytest.mark.parametrize("name", ["../", "a/..", "C:\\", "  ", "\x00\x01"])
def test_name_that_is_only_a_path_is_refused(world, media_root, name):
    assert refused(media_root, samples.pdf(), name) == "文件名无效：去掉路径后文件名为空。"


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/x.pdf", "x.pdf"), ("a/b/c.pdf", "c.pdf"), ("C:\\扫描\\通知.pdf", "通知.pdf")],
)
def test_path_components_are_dropped(world, given, kept):
    assert safe_filename(given) == kept
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.pdf()), filename=given, category="WS"
    )
    assert done.filename == kept and done.event.filename == kept


def test_oversize_web_upload_is_stopped_before_it_is_spooled(world, settings, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.records_fixtures import file_item, set_up_fonds

    unit = world.units["office_a"]
    item = file_item(unit, set_up_fonds(unit)["BGS"])
    settings.FUPIN_MAX_UPLOAD_BYTES = 64 * 1024
    big = SimpleUploadedFile("巨大的扫描件.pdf", samples.pdf() + b"\0" * (128 * 1024))
    page = (
        world.client("unit_a")
        .post(f"/records/items/{item.pk}/files/", {"file": big}, follow=True)
        .content.decode()
    )
    assert "超过允许的大小上限" in page
    assert StoredObject.objects.count() == 0 and item.files.count() == 0
