"""Electronic files of record items: attach (through the capture service), count pages, open."""

from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from PIL import Image
from pypdf import PdfReader

from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.objects.selectors import object_open
from fupin.objects.services import CaptureResult, object_capture
from fupin.records.models import ItemFile, RecordItem
from fupin.records.selectors import access_item


def _page_count(item_file_object: Any) -> int | None:
    if item_file_object.format == "tiff":
        # A multi-page TIFF holds one scanned page per frame.
        with (
            object_open(item_file_object) as handle,
            Image.open(handle) as image,
        ):
            return int(getattr(image, "n_frames", 1))
    if item_file_object.format not in ("pdf", "pdfa"):
        return 1 if item_file_object.format in ("jpeg", "png", "gif") else None
    with object_open(item_file_object) as handle:
        return len(PdfReader(handle).pages)


def item_attach(
    *, actor: Any, item_id: int, stream: BinaryIO, filename: str
) -> tuple[ItemFile, CaptureResult, list[str]]:
    """Capture a file and attach it; notes tell the clerk what to check (e.g. page counts)."""
    item = access_item(actor, item_id, Cap.DATA_WRITE)
    if item.destroyed_at is not None:
        raise ValidationError(
            f"文件 {item.reference_code} 已按销毁清册 {item.destruction_register} 销毁，"
            "不能再挂接电子文件。"
        )
    with transaction.atomic():
        result = object_capture(
            actor=actor, stream=stream, filename=filename, category=item.category, unit=item.unit
        )
        if ItemFile.objects.filter(item=item, object=result.object).exists():
            raise ValidationError("该文件已挂接在本件文件下。")
        last = item.files.aggregate(m=Max("position"))["m"] or 0
        pages = _page_count(result.object)
        attached = ItemFile.objects.create(
            item=item,
            object=result.object,
            position=last + 1,
            filename=result.filename,
            pages=pages,
        )
        notes = list(result.notes)
        scanned = sum(f.pages or 0 for f in item.files.all())
        if pages is not None and scanned != item.pages:
            notes.append(f"扫描页数合计 {scanned} 页，与著录页数 {item.pages} 页不一致，请核对。")
        audit_record(
            actor=actor,
            action="records.file_attach",
            obj=item,
            after={"file": attached.filename, "sha256": result.object.sha256, "pages": pages},
            summary=f"挂接电子文件 {attached.filename}",
        )
    return attached, result, notes


def access_item_file(actor: Any, item_id: int, file_id: int) -> tuple[RecordItem, ItemFile]:
    item = access_item(actor, item_id)
    found = item.files.select_related("object").filter(pk=file_id).first()
    if found is None:
        raise ValidationError("该电子文件不存在。")
    return item, found
