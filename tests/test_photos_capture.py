"""Photos after DA/T 50 through the API and pages: EXIF read, original kept byte for byte,
numbered within the group with the DA/T 50 reference code, thumbnail made."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from fupin.objects.models import StoredObject
from fupin.records.models import FondsSettings
from tests import objects_samples as samples
from tests.records_fixtures import set_up_fonds

GROUPS = "/api/v1/photos/groups"


def dms(degrees: int, minutes: int, hundredth_seconds: int) -> tuple:
    return (IFDRational(degrees), IFDRational(minutes), IFDRational(hundredth_seconds, 100))


# 东岭村, 32°49'30"N 110°25'E.
DONGLING = ("N", dms(32, 49, 3000), "E", dms(110, 25, 0))


def exif_block(
    taken="2016:05:12 09:30:00",
    make="Canon",
    model="Canon EOS 80D",
    gps=DONGLING,
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = make, model
    if taken:
        exif[0x8769] = {0x9003: taken}
    if gps:
        exif[0x8825] = dict(zip((1, 2, 3, 4), gps, strict=True))
    return exif


def jpeg(size=(640, 480), **exif) -> bytes:
    return samples.image(size=size, exif=exif_block(**exif))


def make_group(world, persona="unit_a", title="东岭村易地扶贫搬迁入住仪式", year=2016):
    unit = world.units["office_a"]
    if not FondsSettings.objects.filter(unit=unit).exists():
        set_up_fonds(unit)
    data = {"unit_id": unit.pk, "year": year, "retention": "Y", "title": title}
    created = world.client(persona).post(GROUPS, json.dumps(data), content_type="application/json")
    assert created.status_code == 201, created.content
    return created.json()


def upload(client, group_id, content, name="IMG_0001.JPG", **fields):
    return client.post(
        f"{GROUPS}/{group_id}/photos", {"file": SimpleUploadedFile(name, content), **fields}
    )


@pytest.fixture
def group(world):
    return make_group(world)


def test_exif_items_are_read(world, group):
    content = jpeg(gps=("S", dms(32, 49, 3000), "W", dms(110, 25, 0)))
    made = upload(world.client("unit_a"), group["id"], content, place="东岭村安置点")
    assert made.status_code == 201, made.content
    photo = world.client("unit_a").get(f"/api/v1/photos/photos/{made.json()['record_id']}").json()
    assert photo["taken_at"].startswith("2016-05-12T09:30:00+08:00")
    assert photo["device"] == "Canon EOS 80D"
    assert (photo["width"], photo["height"]) == (640, 480)
    assert (float(photo["gps_lat"]), float(photo["gps_lon"])) == (-32.825, -110.416667)
    assert photo["exif"]["Make"] == "Canon" and photo["exif"]["GPSLatitudeRef"] == "S"
    assert photo["place"] == "东岭村安置点"


def test_original_bytes_are_kept(world, group, media_root):
    content = jpeg()
    made = upload(world.client("unit_a"), group["id"], content).json()
    assert made["sha256"] == hashlib.sha256(content).hexdigest()
    stored = StoredObject.objects.get(sha256=made["sha256"])
    assert (media_root / stored.storage_name).read_bytes() == content


def test_photos_are_numbered_in_the_group_with_the_photo_code(world, group):
    client = world.client("unit_a")
    first = upload(client, group["id"], jpeg(taken="2016:05:12 09:30:00"), caption="村民领钥匙")
    second = upload(client, group["id"], jpeg(taken="2016:05:12 09:31:00"), name="IMG_0002.JPG")
    assert [first.json()["photo_number"], second.json()["photo_number"]] == [1, 2]
    assert first.json()["reference_code"] == "F001-ZP·2016-Y-001-001"
    assert second.json()["reference_code"] == "F001-ZP·2016-Y-001-002"
    assert first.json()["title"] == "村民领钥匙"
    assert second.json()["title"] == "[东岭村易地扶贫搬迁入住仪式 第2张]"
    another = make_group(world, title="产业扶贫现场会")
    third = upload(client, another["id"], jpeg(taken="2016:06:01 10:00:00"), name="IMG_0003.JPG")
    assert third.json()["reference_code"] == "F001-ZP·2016-Y-002-001"
    item = client.get(f"/api/v1/records/items/{third.json()['record_id']}").json()
    assert (item["category"], item["status"], item["date"]) == ("ZP", "arranged", "2016-06-01")


def test_same_photo_twice_in_a_group_is_refused(world, group):
    client, content = world.client("unit_a"), jpeg()
    assert upload(client, group["id"], content).status_code == 201
    again = upload(client, group["id"], content, name="copy.jpg")
    assert again.status_code == 400 and "已在本组中（第001张）" in again.json()["detail"]


def test_thumbnail_is_made_and_served(world, group):
    client = world.client("unit_a")
    made = upload(client, group["id"], jpeg(size=(1600, 1200))).json()
    assert made["thumbnail_sha256"] and made["thumbnail_sha256"] != made["sha256"]
    response = client.get(f"/photos/items/{made['record_id']}/thumbnail.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 320
        assert thumb.size == (320, 240)


def test_pages_show_the_group_and_the_photo(world, group):
    client = world.client("unit_a")
    made = upload(client, group["id"], jpeg(), caption="搬迁户合影", people="张三、李四").json()
    index = client.get("/photos/").content.decode()
    assert "东岭村易地扶贫搬迁入住仪式" in index
    page = client.get(f"/photos/groups/{group['id']}/").content.decode()
    assert "第001张" in page and "搬迁户合影" in page and 'enctype="multipart/form-data"' in page
    assert f"/photos/items/{made['record_id']}/thumbnail.jpg" in page
    assert "<script" not in page and "style=" not in page
    detail = client.get(f"/photos/items/{made['record_id']}/").content.decode()
    for label in ("题名", "摄影者", "摄影时间", "地点", "人物", "背景", "文字说明", "参见号"):
        assert label in detail
    assert "张三、李四" in detail and "Canon EOS 80D" in detail and "DateTimeOriginal" in detail


def test_upload_through_the_page(world, group):
    client = world.client("unit_a")
    files = [SimpleUploadedFile(f"{n}.jpg", jpeg(taken=f"2016:05:12 09:3{n}:00")) for n in (1, 2)]
    page = client.post(
        f"/photos/groups/{group['id']}/", {"file": files, "place": "东岭村"}, follow=True
    ).content.decode()
    assert "F001-ZP·2016-Y-001-002" in page
    photos = client.get(f"{GROUPS}/{group['id']}").json()["photos"]
    assert [p["place"] for p in photos] == ["东岭村", "东岭村"]
