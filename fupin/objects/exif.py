"""The one EXIF reader. It reads what DA/T 50 asks of a photo's EXIF block: time taken (with
its time zone), device, pixel size and resolution, GPS (within range), and every readable tag
as text. Cameras write odd values (zero denominators, padded strings, wrong types); anything
unreadable is left out rather than refusing the photo."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
MAKE, MODEL = 0x010F, 0x0110
X_RESOLUTION, Y_RESOLUTION, RESOLUTION_UNIT = 0x011A, 0x011B, 0x0128
RESOLUTION_UNITS = {2: "英寸", 3: "厘米"}
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
# Long binary blobs (maker notes, thumbnails) are not description; show their size only.
MAX_TEXT = 200


@dataclass
class PhotoExif:
    width: int
    height: int
    taken_at: datetime.datetime | None = None
    device: str = ""
    make: str = ""
    model: str = ""
    x_resolution: float | None = None
    y_resolution: float | None = None
    resolution_unit: str = ""
    gps_lat: Decimal | None = None
    gps_lon: Decimal | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        stripped = value.rstrip(b"\0 ")
        if stripped.isascii() and all(32 <= b < 127 for b in stripped):
            value = stripped.decode("ascii")
        else:
            return f"<{len(value)} 字节>"
    elif isinstance(value, tuple):
        value = ", ".join(_text(v) for v in value)
    # PostgreSQL JSON refuses NUL characters; cameras pad strings with them.
    text = str(value).replace("\0", "").strip()
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _tags(ifd: Any, names: dict[int, str]) -> dict[str, str]:
    found = {}
    for tag, value in ifd.items():
        if tag in (EXIF_IFD, GPS_IFD):
            continue
        try:
            found[names.get(tag, f"0x{tag:04X}")] = _text(value)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return found


def _taken_at(raw: Any, offset: Any) -> datetime.datetime | None:
    try:
        naive = datetime.datetime.strptime(_text(raw)[:19], "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    if offset is None:
        # Without an offset the camera clock is taken as local (China Standard Time).
        return naive.replace(tzinfo=SHANGHAI)
    try:
        hours, minutes = _text(offset).split(":")
        sign = -1 if hours.startswith("-") else 1
        zone = datetime.timezone(
            sign * datetime.timedelta(hours=abs(int(hours)), minutes=int(minutes))
        )
        return naive.replace(tzinfo=zone).astimezone(SHANGHAI)
    except (TypeError, ValueError):
        return naive.replace(tzinfo=SHANGHAI)


def _degrees(value: Any, ref: Any, limit: int) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if not math.isfinite(degrees) or not 0 <= degrees <= limit:
        return None
    if _text(ref).upper() in ("S", "W"):
        degrees = -degrees
    return Decimal(f"{degrees:.6f}")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _device(make: Any, model: Any) -> str:
    make_text, model_text = _text(make or ""), _text(model or "")
    # Many cameras repeat the maker in the model name ("Canon" / "Canon EOS 80D").
    if make_text and model_text.lower().startswith(make_text.lower()):
        return model_text
    return " ".join(t for t in (make_text, model_text) if t)


def exif_read(image: Image.Image) -> PhotoExif:
    """The EXIF items of an opened image; the pixel size is the image's own."""
    width, height = image.size
    found = PhotoExif(width=width, height=height)
    try:
        base = image.getexif()
        extra = base.get_ifd(EXIF_IFD)
        gps = base.get_ifd(GPS_IFD)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError):
        return found
    found.tags = (
        _tags(base, ExifTags.TAGS) | _tags(extra, ExifTags.TAGS) | _tags(gps, ExifTags.GPSTAGS)
    )
    found.taken_at = _taken_at(
        extra.get(DATETIME_ORIGINAL) or base.get(DATETIME), extra.get(OFFSET_TIME_ORIGINAL)
    )
    found.device = _device(base.get(MAKE), base.get(MODEL))
    found.make, found.model = _text(base.get(MAKE) or ""), _text(base.get(MODEL) or "")
    found.x_resolution = _number(base.get(X_RESOLUTION))
    found.y_resolution = _number(base.get(Y_RESOLUTION))
    found.resolution_unit = RESOLUTION_UNITS.get(base.get(RESOLUTION_UNIT, 0), "")
    found.gps_lat = _degrees(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), 90)
    found.gps_lon = _degrees(gps.get(GPS_LON), gps.get(GPS_LON_REF), 180)
    return found
