"""Capture of scans: SHA-256 and SM3 in one pass, content-addressed, duplicates not stored twice."""

import hashlib
import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.cli import main
from fupin.objects.models import CaptureEvent, Digest, StoredObject
from fupin.objects.services import new_sm3, object_capture
from fupin.records.services import items_arrange
from tests import objects_samples as samples
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def item(world):
    unit = world.units["office_a"]
    classes = set_up_fonds(unit)
    return file_item(unit, classes["BGS"])


def upload(world, item, name, content, persona="unit_a"):
    return world.client(persona).post(
        f"/records/items/{item.pk}/files/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_sm3_is_the_standard_algorithm():
    digest = new_sm3()
    digest.update(b"abc")
    assert digest.hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_upload_records_both_digests_with_their_algorithms(world, item, media_root):
    content = samples.pdf(pages=2)
    page = upload(world, item, "通知.pdf", content).content.decode()
    assert "已上传 通知.pdf" in page
    stored = StoredObject.objects.get()
    digests = dict(Digest.objects.filter(object=stored).values_list("algorithm", "value"))
    sm3 = new_sm3()
    sm3.update(content)
    assert digests == {"SHA-256": hashlib.sha256(content).hexdigest(), "SM3": sm3.hexdigest()}
    assert (stored.size, stored.format) == (len(content), "pdf")
    on_disk = media_root / stored.storage_name
    assert on_disk.read_bytes() == content and stored.storage_name.endswith(stored.sha256)
    assert item.files.get().pages == 2


def test_page_count_is_checked_against_the_description(world, item):
    page = upload(world, item, "三页.pdf", samples.pdf(pages=3)).content.decode()
    assert "扫描页数合计 3 页，与著录页数 2 页不一致" in page


def test_same_content_is_stored_once_and_reported(world, item, media_root):
    content = samples.pdf()
    object_capture(actor=None, stream=io.BytesIO(content), filename="a.pdf", category="WS")
    again = object_capture(actor=None, stream=io.BytesIO(content), filename="b.pdf", category="WS")
    assert again.duplicate and "内容相同" in again.notes[0]
    assert StoredObject.objects.count() == 1
    assert len(list((media_root / "objects").rglob("*"))) == 3  # two folder levels + one file
    assert CaptureEvent.objects.count() == 2


class LazyZeros(io.RawIOBase):
    """A stream of `size` bytes that never exists in memory at once."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"\0" * n


def test_capture_streams_without_holding_the_file(world):
    tracemalloc.start()
    result = object_capture(
        actor=None, stream=LazyZeros(64 * 1024 * 1024), filename="data.txt", category="SJ"
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.object.size == 64 * 1024 * 1024
    assert peak < 8 * 1024 * 1024


def test_fixity_check_finds_a_changed_file(world, item, media_root, capsys):
    upload(world, item, "a.pdf", samples.pdf())
    assert main(["objects", "verify", "--json"]) == 0
    stored = StoredObject.objects.get()
    (media_root / stored.storage_name).write_bytes(samples.pdf(text="tampered"))
    capsys.readouterr()
    assert main(["objects", "verify", "--json"]) == 1
    assert stored.sha256 in capsys.readouterr().out


def test_other_village_cannot_upload_or_download(world, item):
    upload(world, item, "a.pdf", samples.pdf())
    attached = item.files.get()
    other = world.client("village_b")
    assert other.get(f"/records/items/{item.pk}/files/{attached.pk}/").status_code == 404
    response = upload(world, item, "b.pdf", samples.pdf(text="x"), persona="county_b")
    assert response.status_code == 404
    assert item.files.count() == 1


def test_stamped_download_carries_the_archive_stamp(world, item):
    upload(world, item, "a.pdf", samples.pdf())
    items_arrange(actor=None, unit_id=item.unit_id, year=2016)
    attached = item.files.get()
    response = world.client("unit_a").get(f"/records/items/{item.pk}/files/{attached.pk}/?stamp=1")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "F001" in text and "永久" in "".join(text.split())


def test_api_upload_returns_digest_and_notes(world, item):
    content = samples.pdf(pages=2)
    response = world.client("unit_a").post(
        f"/api/v1/records/items/{item.pk}/files",
        {"file": SimpleUploadedFile("通知.pdf", content)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["format"], body["pages"], body["outcome"]) == ("pdf", 2, "stored")
