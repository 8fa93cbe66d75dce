"""Photos after DA/T 50: the EXIF block is part of the record, so it is read from the stored
original, which is never rewritten; views use a separate thumbnail."""

import io
from typing import Any

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from fupin.objects.exif import SHANGHAI, exif_read
from fupin.objects.models import StoredObject
from fupin.objects.selectors import object_open

PHOTO_FORMATS = frozenset({"jpeg", "tiff", "png"})
THUMBNAIL_PX = 320


def _require_photo(obj: StoredObject) -> None:
    if obj.format not in PHOTO_FORMATS:
        raise ValidationError("不是照片（JPEG、TIFF、PNG），没有可读的 EXIF 信息。")


def photo_inspect(obj: StoredObject) -> dict[str, Any]:
    """The technical description items of a photo (DA/T 50), from its EXIF block."""
    _require_photo(obj)
    with object_open(obj) as handle, Image.open(handle) as image:
        found = exif_read(image)
    taken = found.taken_at
    gps = None
    if found.gps_lat is not None and found.gps_lon is not None:
        gps = {"latitude": float(found.gps_lat), "longitude": float(found.gps_lon)}
    return {
        "format": obj.format,
        "width": found.width,
        "height": found.height,
        # As China Standard Time on the wall clock, the way the description item is written.
        "taken_at": taken.astimezone(SHANGHAI).replace(tzinfo=None).isoformat() if taken else None,
        "make": found.make,
        "model": found.model,
        "x_resolution": found.x_resolution,
        "y_resolution": found.y_resolution,
        "resolution_unit": found.resolution_unit,
        "gps": gps,
    }


def thumbnail_jpeg(obj: StoredObject) -> bytes:
    """A JPEG of at most THUMBNAIL_PX on the long side, turned upright per the EXIF orientation."""
    _require_photo(obj)
    with object_open(obj) as handle, Image.open(handle) as image:
        # draft() lets the JPEG decoder scale down while decoding: big photos stay cheap.
        image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        upright.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
