"""Files read under a grant leave watermarked: images in their pixels and metadata; formats
that cannot carry a watermark are not handed out that way, with a Chinese message."""

import io

import pytest
from PIL import Image, ImageChops

from tests import objects_samples
from tests.use_fixtures import attach, village_a_items


@pytest.fixture
def item(world):
    (wanted,) = village_a_items(world, "贫困户危房改造照片")
    asked = (
        world.client("village_b")
        .post(
            "/api/v1/use/requests",
            {"codes": [wanted.reference_code], "purpose": "核对", "days": 1},
            content_type="application/json",
        )
        .json()
    )
    world.client("village_a").post(
        f"/api/v1/use/requests/{asked['id']}/approve", {}, content_type="application/json"
    )
    return wanted


@pytest.mark.parametrize("fmt, name", [("JPEG", "照片.jpg"), ("PNG", "照片.png")])
def test_image_pixels_and_metadata_carry_the_watermark(world, item, fmt, name):
    original = objects_samples.image(fmt, size=(400, 300))
    found = attach(item, original, name)
    response = world.client("village_b").get(f"/records/items/{item.pk}/files/{found.pk}/")
    assert response.status_code == 200
    with (
        Image.open(io.BytesIO(response.content)) as marked,
        Image.open(io.BytesIO(original)) as plain,
    ):
        assert marked.format == fmt and marked.size == plain.size
        red, green, blue = ImageChops.difference(marked.convert("RGB"), plain).split()
        largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        # More than re-encoding noise: the drawn text shifts a pixel by 10 or more.
        changed = sum(largest.histogram()[9:])
        assert changed > 400 * 300 // 50
        note = marked.info.get("comment", b"").decode() if fmt == "JPEG" else marked.info["Comment"]
    assert "village_b" in note and "依利用授权" in note


def test_other_formats_are_refused_with_a_reason(world, item):
    found = attach(item, objects_samples.zipped("word/document.xml"), "说明.docx")
    reader = world.client("village_b")
    response = reader.get(f"/records/items/{item.pk}/files/{found.pk}/", follow=True)
    page = response.content.decode()
    assert "无法加水印" in page and "借阅" in page
    assert response.redirect_chain[-1][0] == f"/records/items/{item.pk}/"
