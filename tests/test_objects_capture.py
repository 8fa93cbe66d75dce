"""Scans uploaded to a record item go through capture: both digests, page check, scope."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.objects.digests import new_sm3
from fupin.objects.models import Digest, StoredObject
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


def test_upload_records_both_digests_with_their_algorithms(world, item, media_root):
    content = samples.pdf(pages=2)
    page = upload(world, item, "通知.pdf", content).content.decode()
    assert "已上传 通知.pdf" in page
    # The original; its pages' thumbnails are objects of their own (derivatives).
    stored = StoredObject.objects.get(derived_from__isnull=True)
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
