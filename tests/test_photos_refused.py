"""What photo capture refuses: groups out of scope (404), damaged files, non-images, photos of
another year — each with a Chinese message and nothing written."""

from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.audit.models import AuditEvent
from fupin.objects.models import StoredObject
from fupin.photos.models import PhotoDetails
from fupin.records.models import RecordItem
from tests import objects_samples as samples
from tests.test_photos_capture import GROUPS, jpeg, make_group, upload


def nothing_written(media_root, audit_before):
    assert not RecordItem.objects.exists() and not PhotoDetails.objects.exists()
    assert not StoredObject.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    assert AuditEvent.objects.count() == audit_before


def test_group_of_another_county_is_not_found(world):
    group = make_group(world)
    made = upload(world.client("unit_a"), group["id"], jpeg()).json()
    other = world.client("county_b")
    assert other.get(f"/photos/groups/{group['id']}/").status_code == 404
    assert other.get(f"{GROUPS}/{group['id']}").status_code == 404
    assert upload(other, group["id"], jpeg(taken="2016:07:01 08:00:00")).status_code == 404
    assert other.get(f"/photos/items/{made['record_id']}/thumbnail.jpg").status_code == 404
    assert other.get(f"/api/v1/photos/photos/{made['record_id']}").status_code == 404
    assert [g["id"] for g in other.get(GROUPS).json()] == []
    assert PhotoDetails.objects.count() == 1


def test_damaged_jpeg_is_refused_and_nothing_written(world, media_root):
    group = make_group(world)
    before = AuditEvent.objects.count()
    content = jpeg(size=(800, 600))
    response = upload(world.client("unit_a"), group["id"], content[: len(content) // 2])
    assert response.status_code == 400
    assert "照片文件已损坏或不完整" in response.json()["detail"]
    nothing_written(media_root, before)


def test_not_an_image_is_refused(world, media_root):
    group = make_group(world)
    before = AuditEvent.objects.count()
    response = upload(world.client("unit_a"), group["id"], samples.pdf(), name="scan.jpg")
    assert response.status_code == 400 and "不是图像文件" in response.json()["detail"]
    png = upload(world.client("unit_a"), group["id"], samples.image("PNG"), name="a.png")
    assert png.status_code == 400 and "只接收 JPEG 或 TIFF" in png.json()["detail"]
    nothing_written(media_root, before)


def test_photo_of_another_year_is_refused(world, media_root):
    group = make_group(world)
    before = AuditEvent.objects.count()
    response = upload(world.client("unit_a"), group["id"], jpeg(taken="2017:01:02 10:00:00"))
    assert response.status_code == 400
    assert (
        "照片日期 2017-01-02（取自EXIF 摄影时间）不在本组的年度 2016 年内"
        in response.json()["detail"]
    )
    nothing_written(media_root, before)


def test_page_upload_shows_the_chinese_error(world):
    group = make_group(world)
    page = world.client("unit_a").post(
        f"/photos/groups/{group['id']}/",
        {"file": SimpleUploadedFile("坏.jpg", jpeg()[:2000])},
        follow=True,
    )
    assert "坏.jpg：照片文件已损坏或不完整" in page.content.decode()
