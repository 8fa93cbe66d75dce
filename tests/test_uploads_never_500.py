"""Every upload point — pages and API — answers a file that breaks a parser (an image
decompression bomb, a binary file named .csv/.xlsx, a broken PDF or TIFF…) with a Chinese
refusal, never a server error, and keeps nothing of it."""

import io
import re

import pytest

from fupin.objects.models import StoredObject
from tests import upload_probes as probes
from tests.household_file_samples import import_households
from tests.households_samples import household
from tests.scans_samples import scan_item
from tests.test_photos_capture import make_group

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def named(name: str, body: bytes) -> io.BytesIO:
    handle = io.BytesIO(body)
    handle.name = name
    return handle


def client_of(world, persona: str):
    client = world.client(persona)
    client.raise_request_exception = False
    return client


def refused_on_page(response) -> str:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    errors = re.findall(r'<li class="error">(.*?)</li>', text)
    errors += re.findall(r'class="[^"]*(?:errorlist|badge bad|bad)[^"]*"[^>]*>(.*?)<', text)
    assert errors and any(CHINESE.search(e) for e in errors), text[:3000]
    return "".join(errors)


def refused_by_api(response) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    detail = str(response.json().get("detail"))
    assert CHINESE.search(detail), detail
    return detail


@pytest.mark.parametrize("name", sorted(probes.IMAGES))
def test_item_files(world, name):
    item = scan_item(world)
    body = probes.IMAGES[name]
    client = client_of(world, "village_a")
    page = client.post(f"/records/items/{item.pk}/files/", {"file": named(name, body)}, follow=True)
    refused_on_page(page)
    api = client.post(f"/api/v1/records/items/{item.pk}/files", {"file": named(name, body)})
    refused_by_api(api)
    assert not StoredObject.objects.exists()


@pytest.mark.parametrize("name", sorted(probes.IMAGES))
def test_scans(world, name):
    item = scan_item(world)
    body = probes.IMAGES[name]
    client = client_of(world, "village_a")
    page = client.post(f"/scans/items/{item.pk}/", {"file": named(name, body)}, follow=True)
    refused_on_page(page)
    api = client.post(f"/api/v1/scans/items/{item.pk}/files", {"file": named(name, body)})
    refused_by_api(api)
    assert not StoredObject.objects.exists()


@pytest.mark.parametrize("name", sorted(probes.IMAGES))
def test_photos(world, name):
    group = make_group(world)
    client = client_of(world, "unit_a")
    api = client.post(
        f"/api/v1/photos/groups/{group['id']}/photos",
        {"file": named(name, probes.IMAGES[name]), "title": "入住仪式"},
    )
    refused_by_api(api)
    page = client.post(
        f"/photos/groups/{group['id']}/",
        {"file": named(name, probes.IMAGES[name]), "title": "入住仪式"},
        follow=True,
    )
    refused_on_page(page)
    assert not StoredObject.objects.exists()


@pytest.mark.parametrize("name", sorted(probes.SHEETS))
def test_household_sheets(world, name):
    client = client_of(world, "township_a")
    body = probes.SHEETS[name]
    page = client.post("/households/import/", {"file": named(name, body)}, follow=True)
    refused_on_page(page)
    refused_by_api(client.post("/api/v1/households/import", {"file": named(name, body)}))
    # The preview is a job: it answers with the job, failed, and the reason.
    job = client.post("/api/v1/households/import/preview", {"file": named(name, body)})
    assert job.status_code == 200 and job.json()["state"] == "failed", job.content[:300]
    assert CHINESE.search(job.json()["error"])


@pytest.mark.parametrize("name", sorted(probes.IMAGES))
def test_household_documents(world, tmp_path, capsys, name):
    h = import_households(world, tmp_path, capsys, household("420322100201", 1))[
        "42032210020100001"
    ]
    client = client_of(world, "village_a")
    body = probes.IMAGES[name]
    data = {"number": 1, "date": "2016-03-01", "pages": 1}
    page = client.post(
        f"/households/{h.pk}/documents/", data | {"file": named(name, body)}, follow=True
    )
    refused_on_page(page)
    api = client.post(
        f"/api/v1/household-files/{h.pk}/documents", data | {"file": named(name, body)}
    )
    refused_by_api(api)


@pytest.mark.parametrize("name", sorted(probes.ODD))
def test_odd_bytes_never_500(world, name):
    item = scan_item(world)
    client = client_of(world, "village_a")
    for url in (f"/records/items/{item.pk}/files/", f"/api/v1/records/items/{item.pk}/files"):
        assert client.post(url, {"file": named(name, probes.ODD[name])}).status_code < 500
