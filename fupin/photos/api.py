import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fupin.photos import services
from fupin.photos.models import PhotoDetails, PhotoGroup
from fupin.photos.selectors import access_group, access_photo, group_photos, visible_groups

router = Router(tags=["照片与声像"])


class GroupIn(Schema):
    unit_id: int
    year: int
    retention: str
    title: str
    description: str = ""
    photographer: str = ""


class GroupOut(Schema):
    id: int
    unit_id: int
    year: int
    retention: str
    group_number: int
    title: str
    description: str
    photographer: str


class PhotoDescriptionIn(Schema):
    title: str = ""
    photographer: str = ""
    place: str = ""
    people: str = ""
    background: str = ""
    caption: str = ""
    see_also: str = ""
    class_code_id: int | None = None


class PhotoOut(Schema):
    record_id: int
    group_id: int
    photo_number: int
    reference_code: str | None
    title: str
    retention: str
    photographer: str
    taken_at: datetime.datetime | None
    place: str
    people: str
    background: str
    caption: str
    see_also: str
    device: str
    width: int
    height: int
    gps_lat: Decimal | None
    gps_lon: Decimal | None
    exif: dict[str, str]
    sha256: str
    thumbnail_sha256: str | None


class PhotoCaptureOut(PhotoOut):
    notes: list[str]


class GroupDetailOut(GroupOut):
    photos: list[PhotoOut]


class MediaIn(Schema):
    category: str
    title: str
    retention: str = "Y"
    responsible: str = ""
    date: datetime.date | None = None
    class_code_id: int | None = None


class MediaOut(Schema):
    record_id: int
    category: str
    title: str
    sha256: str
    duration_seconds: Decimal | None
    notes: list[str]


def _group(group: PhotoGroup) -> dict:
    return {
        f: getattr(group, f)
        for f in ("id", "unit_id", "year", "retention", "group_number", "title")
    } | {"description": group.description, "photographer": group.photographer}


def _photo(details: PhotoDetails) -> dict:
    item = details.item
    original = item.files.select_related("object").order_by("position").first()
    return {
        "record_id": item.pk,
        "group_id": details.group_id,
        "photo_number": details.photo_number,
        "reference_code": item.reference_code,
        "title": item.display_title,
        "retention": item.retention,
        "sha256": original.object.sha256 if original else "",
        "thumbnail_sha256": details.thumbnail.sha256 if details.thumbnail else None,
        # In China Standard Time, as the photographer's clock read it, not in UTC.
        "taken_at": timezone.localtime(details.taken_at) if details.taken_at else None,
    } | {
        f: getattr(details, f)
        for f in (
            "photographer",
            "place",
            "people",
            "background",
            "caption",
            "see_also",
            "device",
            "width",
            "height",
            "gps_lat",
            "gps_lon",
            "exif",
        )
    }


@router.get("/groups", response=list[GroupOut], summary="我辖区内的照片组")
def groups(request, unit_id: int | None = None) -> list[dict]:
    found = visible_groups(request.user)
    if unit_id:
        found = found.filter(unit_id=unit_id)
    return [_group(g) for g in found]


@router.post("/groups", response={201: GroupOut}, summary="新建照片组")
def group_create(request, payload: GroupIn) -> Status:
    group = services.photo_group_create(actor=request.user, **payload.dict())
    return Status(201, _group(group))


@router.get("/groups/{group_id}", response=GroupDetailOut, summary="照片组及组内照片")
def group(request, group_id: int) -> dict:
    found = access_group(request.user, group_id)
    photos = group_photos(found).select_related("thumbnail")
    return _group(found) | {"photos": [_photo(p) for p in photos]}


@router.post(
    "/groups/{group_id}/photos", response={201: PhotoCaptureOut}, summary="上传一张照片到组"
)
def photo_upload(
    request, group_id: int, file: File[UploadedFile], description: Form[PhotoDescriptionIn]
) -> Status:
    done = services.photo_capture(
        actor=request.user,
        group_id=group_id,
        stream=file,
        filename=file.name or "",
        **description.dict(),
    )
    return Status(201, _photo(done.details) | {"notes": done.notes})


@router.get("/photos/{record_id}", response=PhotoOut, summary="一张照片的全部著录项与 EXIF")
def photo(request, record_id: int) -> dict:
    return _photo(access_photo(request.user, record_id))


@router.post(
    "/units/{unit_id}/media", response={201: MediaOut}, summary="上传录音（LY）或录像（LX）"
)
def media_upload(request, unit_id: int, file: File[UploadedFile], details: Form[MediaIn]) -> Status:
    done = services.media_capture(
        actor=request.user,
        unit_id=unit_id,
        stream=file,
        filename=file.name or "",
        **details.dict(),
    )
    sha = done.item.files.get().object.sha256
    return Status(
        201,
        {
            "record_id": done.item.pk,
            "category": done.item.category,
            "title": done.item.title,
            "sha256": sha,
            "duration_seconds": done.details.duration_seconds,
            "notes": done.notes,
        },
    )
