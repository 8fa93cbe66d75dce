"""Bad files get a clear Chinese error and leave nothing behind: no row, no stored bytes."""

import io

import pytest
from django.core.exceptions import ValidationError

from fupin.objects.formats import identify
from fupin.objects.models import StoredObject
from fupin.objects.services import object_capture, safe_filename
from tests import objects_samples as samples


def refused(media_root, content: bytes, name: str = "x.pdf", **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        object_capture(
            actor=None, stream=io.BytesIO(content), filename=name, category="WS", **kwargs
        )
    assert StoredObject.objects.count() == 0
    leftovers = [p for p in media_root.rglob("*") if p.is_file()]
    assert leftovers == []
    return "；".join(caught.value.messages)


def test_zero_byte_file(world, media_root):
    assert "0 字节" in refused(media_root, b"")


def test_truncated_jpeg(world, media_root):
    whole = samples.image("JPEG", size=(400, 300))
    assert "图像文件已损坏或不完整" in refused(media_root, whole[: len(whole) // 2], "a.jpg")


def test_truncated_pdf(world, media_root):
    whole = samples.pdf(pages=3)
    assert "PDF 文件不完整" in refused(media_root, whole[: len(whole) - 200])


def test_garbage_claiming_to_be_a_pdf(world, media_root):
    assert "PDF" in refused(media_root, b"%PDF-1.4\n garbage \n%%EOF")


def test_oversize_upload_is_stopped_while_streaming(world, media_root):
    assert "大小上限" in refused(media_root, b"x" * 5000, "big.txt", max_bytes=4096)


def test_format_refused_by_policy(world, media_root):
    from fupin.objects.models import FormatPolicy

    FormatPolicy.objects.filter(category="WS").update(on_other="reject")
    assert "拒收" in refused(media_root, samples.image("GIF"), "a.gif")


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/x.pdf", "x.pdf"), ("a/b/c.pdf", "c.pdf"), ("C:\\扫描\\通知.pdf", "通知.pdf")],
)
def test_path_components_are_dropped(given, kept):
    assert safe_filename(given) == kept


def test_name_that_is_only_a_path_is_refused():
    with pytest.raises(ValidationError, match="文件名无效"):
        safe_filename("../")


def test_wrong_extension_is_flagged_and_stored_as_what_it_is(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.image("PNG")), filename="scan.jpg", category="WS"
    )
    assert done.object.format == "png" and done.outcome == "flagged"
    assert "与实际格式（PNG 图像）不符" in done.notes[0]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (samples.pdf(), "pdf"),
        (samples.image("JPEG"), "jpeg"),
        (samples.image("PNG"), "png"),
        (samples.image("TIFF"), "tiff"),
        (samples.zipped("OFD.xml"), "ofd"),
        (samples.zipped("word/document.xml"), "docx"),
        (samples.zipped("xl/workbook.xml"), "xlsx"),
        (b"RIFF\0\0\0\0WAVEfmt ", "wav"),
        ("纯文本文件".encode(), "txt"),
        (b"\x00\x01\x02\x03\xff\xfe", "unknown"),
    ],
)
def test_formats_are_identified_by_content(content, kind):
    assert identify(io.BytesIO(content)) == kind


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
