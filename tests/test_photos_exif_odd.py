"""Odd EXIF blocks never refuse a photo: unreadable items are left blank, the rest is kept."""

from django.utils import timezone
from PIL.TiffImagePlugin import IFDRational

from tests import objects_samples as samples
from tests.test_photos_capture import exif_block, make_group, upload


def test_zero_denominators_and_bad_dates_are_left_blank(world):
    group = make_group(world, year=timezone.localdate().year)
    zero = (IFDRational(32, 0), IFDRational(0, 0), IFDRational(1, 0))
    exif = exif_block(taken="0000:00:00 00:00:00", gps=("N", zero, "E", zero), model="\0\0")
    made = upload(world.client("unit_a"), group["id"], samples.image(exif=exif))
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["taken_at"], body["gps_lat"], body["gps_lon"]) == (None, None, None)
    assert body["device"] == "Canon"
    assert "\0" not in "".join(body["exif"].values())


def test_offset_time_is_converted_to_china_time(world):
    group = make_group(world)
    exif = exif_block(gps=None)
    exif[0x8769] = {0x9003: "2016:05:12 01:30:00", 0x9011: "+00:00"}
    made = upload(world.client("unit_a"), group["id"], samples.image(exif=exif)).json()
    assert made["taken_at"].startswith("2016-05-12T09:30:00+08:00")


def test_photo_without_exif_is_dated_today(world):
    group = make_group(world, year=timezone.localdate().year)
    made = upload(world.client("unit_a"), group["id"], samples.image()).json()
    assert made["taken_at"] is None and made["device"] == "" and made["exif"] == {}
    item = world.client("unit_a").get(f"/api/v1/records/items/{made['record_id']}").json()
    assert item["date"] == timezone.localdate().isoformat()
