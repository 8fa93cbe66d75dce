"""Photos after DA/T 50-2014: groups (组), photos (张) captured with their EXIF block kept
byte for byte, described, numbered and given reference codes; audio and video items."""

import datetime
import hashlib
import tempfile
import wave
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from fupin.accounts.access import access_unit
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.objects.digests import CHUNK
from fupin.objects.exif import SHANGHAI, PhotoExif, exif_read
from fupin.objects.services import photo_thumbnail
from fupin.photos.models import MediaDetails, PhotoDetails, PhotoGroup
from fupin.photos.selectors import access_group
from fupin.records.files import item_attach
from fupin.records.models import CategoryCode, ClassCode, IssuedCode, ItemStatus, RecordItem
from fupin.records.services import UNIT_SCHEDULE_LEVEL, fonds_settings, item_create
from fupin.regions.models import Level, Unit
from fupin.schedule import retention as retention_rule
from fupin.schedule.models import Category, ScheduleRow
from fupin.schedule.selectors import rows_in_force, version_in_force

PHOTO_FORMATS = ("JPEG", "TIFF")
MEDIA_CATEGORIES = (CategoryCode.LY, CategoryCode.LX)


@dataclass
class PhotoCapture:
    details: PhotoDetails
    notes: list[str]

    @property
    def item(self) -> RecordItem:
        return self.details.item


@dataclass
class MediaCapture:
    details: MediaDetails
    notes: list[str]

    @property
    def item(self) -> RecordItem:
        return self.details.item


def photo_code(unit: Unit, group: PhotoGroup, photo_number: int) -> str:
    """DA/T 50 form, e.g. K021-ZP·2019-D30-025-005 (group 025, photo 005)."""
    return (
        f"{unit.fonds_code}-ZP·{group.year}-{group.retention}"
        f"-{group.group_number:03d}-{photo_number:03d}"
    )


def _audiovisual_row(unit: Unit, on: datetime.date) -> ScheduleRow:
    level = UNIT_SCHEDULE_LEVEL[Level(unit.region.level)]
    rows = rows_in_force(version_in_force(unit=unit, on=on))
    row = next((r for r in rows if r.level == level and r.category == Category.AUDIOVISUAL), None)
    if row is None:
        raise ValidationError("现行归档范围中没有本级的“声像文件材料”条目，请先载入归档范围表。")
    return row


def _class_code(unit: Unit, class_code_id: int | None) -> ClassCode:
    fonds_settings(unit)
    classes = ClassCode.objects.filter(unit=unit)
    klass = classes.filter(pk=class_code_id).first() if class_code_id else classes.first()
    if klass is None and class_code_id:
        raise ValidationError("所选机构（问题）不属于本全宗。")
    if klass is None:
        raise ValidationError(
            f"全宗 {unit.fonds_code} 尚未设置机构（问题），请先在全宗设置中添加。"
        )
    return klass


def photo_group_create(
    *,
    actor: Any,
    unit_id: int,
    year: int,
    retention: str,
    title: str,
    description: str = "",
    photographer: str = "",
) -> PhotoGroup:
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    fonds_settings(unit)
    year, title = int(year), " ".join(str(title).split())
    errors = []
    if not title:
        errors.append("请填写组题名。")
    if not 1949 <= year <= timezone.localdate().year:
        errors.append(f"年度 {year} 无效。")
    row = _audiovisual_row(unit, timezone.localdate())
    if message := retention_rule.allowed_error(row, retention, "声像文件材料"):
        errors.append(message)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Serialises numbering: two clerks creating groups at once never take the same number.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        last = PhotoGroup.objects.filter(unit=unit, year=year, retention=retention).aggregate(
            m=Max("group_number")
        )["m"]
        group = PhotoGroup.objects.create(
            unit=unit,
            year=year,
            retention=retention,
            group_number=(last or 0) + 1,
            title=title,
            description=description.strip(),
            photographer=photographer.strip(),
        )
        audit_record(
            actor=actor,
            action="photos.group_create",
            obj=group,
            after={
                "year": year,
                "retention": retention,
                "group_number": group.group_number,
                "title": title,
            },
            summary=f"新建照片组 {unit.fonds_code} {year}-{retention} 第{group.group_number:03d}组",
        )
    return group


def _spool(stream: BinaryIO) -> tuple[BinaryIO, str]:
    """Copy the upload once so EXIF, thumbnail and capture read the same bytes; the SHA-256
    taken here proves afterwards that the stored original is the upload, untouched."""
    digest, size, limit = hashlib.sha256(), 0, settings.FUPIN_MAX_UPLOAD_BYTES
    tmp = cast(BinaryIO, tempfile.TemporaryFile())  # noqa: SIM115 - the caller closes it
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            tmp.close()
            raise ValidationError(f"文件超过允许的大小上限（{limit // 1024**2} MB），已中止接收。")
        digest.update(chunk)
        tmp.write(chunk)
    if size == 0:
        tmp.close()
        raise ValidationError("文件是空的（0 字节），请检查后重新上传。")
    tmp.seek(0)
    return tmp, digest.hexdigest()


def _examine(file: BinaryIO) -> PhotoExif:
    """EXIF items of a photo; refuses anything but a sound JPEG or TIFF."""
    try:
        with Image.open(file) as image:
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(
                    f"照片只接收 JPEG 或 TIFF 格式（DA/T 50），此文件是 {image.format} 格式。"
                )
            found = exif_read(image)
            image.load()
    except UnidentifiedImageError as exc:
        raise ValidationError("不是图像文件，不能作为照片接收。") from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError("图像像素数超出可处理的范围，请检查文件。") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("照片文件已损坏或不完整（可能上传中断），请重新上传。") from exc
    finally:
        file.seek(0)
    return found


def _next_item_number(item: RecordItem) -> int:
    last = RecordItem.objects.filter(
        unit_id=item.unit_id,
        year=item.year,
        category=item.category,
        retention=item.retention,
        class_code_id=item.class_code_id,
    ).aggregate(m=Max("item_number"))["m"]
    return (last or 0) + 1


def photo_capture(
    *,
    actor: Any,
    group_id: int,
    stream: BinaryIO,
    filename: str,
    title: str = "",
    photographer: str = "",
    place: str = "",
    people: str = "",
    background: str = "",
    caption: str = "",
    see_also: str = "",
    class_code_id: int | None = None,
) -> PhotoCapture:
    group = access_group(actor, group_id, Cap.DATA_WRITE)
    unit = group.unit
    klass = _class_code(unit, class_code_id)
    tmp, sha256 = _spool(stream)
    with tmp:
        found = _examine(tmp)
        taken_on = found.taken_at.astimezone(SHANGHAI).date() if found.taken_at else None
        date = taken_on or timezone.localdate()
        if date.year != group.year:
            source = "EXIF 摄影时间" if taken_on else "今天（照片无 EXIF 摄影时间）"
            raise ValidationError(
                f"照片日期 {date:%Y-%m-%d}（取自{source}）不在本组的年度 {group.year} 年内，"
                "请放入对应年度的照片组，或核对相机时钟。"
            )
        with transaction.atomic():
            group = PhotoGroup.objects.select_for_update().select_related("unit").get(pk=group.pk)
            ClassCode.objects.select_for_update().filter(pk=klass.pk).first()
            same = group.photos.filter(item__files__object__sha256=sha256).first()
            if same is not None:
                raise ValidationError(f"该照片已在本组中（第{same.photo_number:03d}张）。")
            number = (group.photos.aggregate(m=Max("photo_number"))["m"] or 0) + 1
            code = photo_code(unit, group, number)
            if IssuedCode.objects.filter(code=code).exists():
                raise ValidationError(f"档号 {code} 已被归档文件使用过，不能重复使用。")
            caption = caption.strip()
            given = title.strip() or (caption.splitlines()[0] if caption else "")
            given = " ".join(given.split())
            item = item_create(
                actor=actor,
                unit_id=unit.pk,
                year=group.year,
                category=CategoryCode.ZP,
                schedule_row_id=_audiovisual_row(unit, date).pk,
                retention=group.retention,
                class_code_id=klass.pk,
                title=given[:500] or f"{group.title} 第{number}张",
                title_by_archivist=not given,
                responsible=photographer.strip() or group.photographer or unit.name,
                date=date,
                pages=1,
            )
            _, captured, notes = item_attach(
                actor=actor, item_id=item.pk, stream=tmp, filename=filename
            )
            if captured.object.sha256 != sha256:
                raise ValidationError("保存后的照片与上传的内容不一致，已撤销，请重新上传。")
            # The objects app keeps thumbnails as derivatives of the original.
            thumb = photo_thumbnail(actor=actor, obj=captured.object)
            item.item_number = _next_item_number(item)
            item.reference_code, item.status = code, ItemStatus.ARRANGED
            item.save(update_fields=["item_number", "reference_code", "status", "updated_at"])
            details = PhotoDetails.objects.create(
                item=item,
                group=group,
                photo_number=number,
                photographer=photographer.strip() or group.photographer,
                taken_at=found.taken_at,
                place=place.strip(),
                people=people.strip(),
                background=background.strip(),
                caption=caption,
                see_also=see_also.strip(),
                device=found.device[:200],
                width=found.width,
                height=found.height,
                gps_lat=found.gps_lat,
                gps_lon=found.gps_lon,
                exif=found.tags,
                thumbnail=thumb,
            )
            audit_record(
                actor=actor,
                action="photos.capture",
                obj=item,
                after={
                    "group_id": group.pk,
                    "photo_number": number,
                    "reference_code": code,
                    "sha256": sha256,
                    "taken_at": found.taken_at,
                    "device": found.device,
                    "gps": [found.gps_lat, found.gps_lon],
                },
                summary=f"接收照片 {code}：{item.display_title[:60]}",
            )
    return PhotoCapture(details=details, notes=notes)


def _wav_seconds(file: BinaryIO) -> Decimal | None:
    """Playing time of a PCM WAV from its header; other formats would need a decoder."""
    try:
        with wave.open(file, "rb") as sound:
            frames, rate = sound.getnframes(), sound.getframerate()
    except (wave.Error, EOFError, OSError):
        return None
    finally:
        file.seek(0)
    return Decimal(frames) / Decimal(rate) if rate else None


def media_capture(
    *,
    actor: Any,
    unit_id: int,
    category: str,
    stream: BinaryIO,
    filename: str,
    title: str,
    retention: str = retention_rule.PERMANENT,
    responsible: str = "",
    date: datetime.date | None = None,
    class_code_id: int | None = None,
) -> MediaCapture:
    """An audio (录音) or video (录像) item with its file attached."""
    if category not in MEDIA_CATEGORIES:
        raise ValidationError("声像门类只能是录音（LY）或录像（LX）。")
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    klass = _class_code(unit, class_code_id)
    date = date or timezone.localdate()
    tmp, _ = _spool(stream)
    with tmp:
        seconds = _wav_seconds(tmp)
        with transaction.atomic():
            item = item_create(
                actor=actor,
                unit_id=unit.pk,
                category=category,
                schedule_row_id=_audiovisual_row(unit, date).pk,
                retention=retention,
                class_code_id=klass.pk,
                title=title,
                responsible=responsible.strip() or unit.name,
                date=date,
                pages=1,
            )
            _, captured, notes = item_attach(
                actor=actor, item_id=item.pk, stream=tmp, filename=filename
            )
            if seconds is not None:
                seconds = seconds.quantize(Decimal("0.001"))
            details = MediaDetails.objects.create(item=item, duration_seconds=seconds)
            audit_record(
                actor=actor,
                action="photos.media_capture",
                obj=item,
                after={"category": category, "sha256": captured.object.sha256, "seconds": seconds},
                summary=f"接收{CategoryCode(category).label}：{item.display_title[:60]}",
            )
    return MediaCapture(details=details, notes=notes)
