"""Photos after DA/T 50: the EXIF block is part of the record, so it is read from the stored
original, which is never rewritten; views use a separate thumbnail."""

import io
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from fupin.objects.models import StoredObject
from fupin.objects.selectors import object_open

PHOTO_FORMATS = frozenset({"jpeg", "tiff", "png"})
THUMBNAIL_PX = 320

# EXIF tag numbers (CIPA DC-008).
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, X_RESOLUTION, Y_RESOLUTION, RESOLUTION_UNIT = 0x010F, 0x0110, 0x011A, 0x011B, 0x0128
DATETIME_ORIGINAL = 0x9003
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
RESOLUTION_UNITS = {2: "英寸", 3: "厘米"}


def _require_photo(obj: StoredObject) -> None:
    if obj.format not in PHOTO_FORMATS:
        raise ValidationError("不是照片（JPEG、TIFF、PNG），没有可读的 EXIF 信息。")


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        deg, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = deg + minutes / 60 + seconds / 3600
    return round(-decimal if str(ref).upper() in ("S", "W") else decimal, 7)


def _taken_at(text: Any) -> str | None:
    # Cameras write local time without a zone: kept as such, not converted.
    try:
        return datetime.strptime(str(text).strip("\0 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def photo_inspect(obj: StoredObject) -> dict[str, Any]:
    """The technical description items of a photo (DA/T 50), from its EXIF block."""
    _require_photo(obj)
    with object_open(obj) as handle, Image.open(handle) as image:
        width, height = image.size
        exif = image.getexif()
        taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
        gps_ifd = exif.get_ifd(GPS_IFD)
    latitude = _degrees(gps_ifd.get(GPS_LAT), gps_ifd.get(GPS_LAT_REF))
    longitude = _degrees(gps_ifd.get(GPS_LON), gps_ifd.get(GPS_LON_REF))
    return {
        "format": obj.format,
        "width": width,
        "height": height,
        "taken_at": _taken_at(taken) if taken else None,
        "make": str(exif.get(MAKE, "")).strip("\0 "),
        "model": str(exif.get(MODEL, "")).strip("\0 "),
        "x_resolution": _number(exif.get(X_RESOLUTION)),
        "y_resolution": _number(exif.get(Y_RESOLUTION)),
        "resolution_unit": RESOLUTION_UNITS.get(exif.get(RESOLUTION_UNIT, 0), ""),
        "gps": (
            {"latitude": latitude, "longitude": longitude}
            if latitude is not None and longitude is not None
            else None
        ),
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
