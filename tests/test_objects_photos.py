"""Photos (DA/T 50): EXIF read from the untouched original; a thumbnail kept as its own object."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from fupin.objects.models import Derivative, StoredObject
from fupin.objects.photos import photo_inspect
from fupin.objects.selectors import object_open
from fupin.objects.services import object_capture, photo_thumbnail
from tests import objects_samples as samples


@pytest.fixture
def photo(world):
    content = samples.image("JPEG", size=(1600, 1200), exif=samples.photo_exif())
    done = object_capture(
        actor=None, stream=io.BytesIO(content), filename="入户走访.jpg", category="ZP"
    )
    return done.object, content


def test_exif_items_are_read(photo):
    obj, _ = photo
    assert photo_inspect(obj) == {
        "format": "jpeg",
        "width": 1600,
        "height": 1200,
        "taken_at": "2019-05-01T09:30:00",
        "make": "Huawei",
        "model": "P30",
        "x_resolution": 300.0,
        "y_resolution": 300.0,
        "resolution_unit": "英寸",
        "gps": {"latitude": 33.01, "longitude": 110.4},
    }


def test_southern_and_western_coordinates_are_negative(world):
    exif = samples.photo_exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "S", "W"
    done = object_capture(
        actor=None,
        stream=io.BytesIO(samples.image("JPEG", exif=exif)),
        filename="a.jpg",
        category="ZP",
    )
    assert photo_inspect(done.object)["gps"] == {"latitude": -33.01, "longitude": -110.4}


def test_photo_without_exif_has_empty_items(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.image("TIFF")), filename="a.tif", category="ZP"
    )
    found = photo_inspect(done.object)
    assert (found["width"], found["taken_at"], found["gps"], found["make"]) == (64, None, None, "")


def test_thumbnail_is_its_own_object_and_the_original_is_untouched(photo, media_root):
    obj, content = photo
    thumb = photo_thumbnail(actor=None, obj=obj)
    assert thumb.format == "jpeg" and thumb.sha256 != obj.sha256
    with object_open(thumb) as handle, Image.open(handle) as image:
        assert image.size == (320, 240)
    assert Derivative.objects.get(source=obj, kind="thumbnail").object == thumb
    assert photo_thumbnail(actor=None, obj=obj) == thumb
    assert StoredObject.objects.count() == 2
    assert (media_root / obj.storage_name).read_bytes() == content
    assert photo_inspect(obj)["make"] == "Huawei"


def test_non_photo_has_no_exif_or_thumbnail(world):
    done = object_capture(
        actor=None, stream=io.BytesIO(samples.pdf()), filename="a.pdf", category="WS"
    )
    with pytest.raises(ValidationError, match="不是照片"):
        photo_inspect(done.object)
    with pytest.raises(ValidationError, match="不是照片"):
        photo_thumbnail(actor=None, obj=done.object)
