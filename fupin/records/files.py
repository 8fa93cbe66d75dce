"""Electronic files of record items: attach (through the capture service), count pages, open."""

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any, BinaryIO, cast

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


# What else an attached file becomes, said by the apps above this one at start-up: a scan
# becomes the item's next pages, read by OCR (`scans`). Every way a file reaches an item — the
# item page, the scans page, a household file, a catalogue import, the API — passes here, so
# there is one way in. A follower first reads the file (before anything is stored, so it can
# refuse it) and hands back what to do once it is attached — inside the same transaction,
# returning notes for the clerk — or None when the file is not its business.
Finish = Callable[[Any, ItemFile], list[str]]
AttachFollower = Callable[[RecordItem, IO[bytes]], Finish | None]
_followers: list[AttachFollower] = []


def register_attach_follower(follower: AttachFollower) -> None:
    if follower not in _followers:
        _followers.append(follower)


def item_attach(
    *, actor: Any, item_id: int, stream: BinaryIO, filename: str
) -> tuple[ItemFile, CaptureResult, list[str]]:
    """Capture a file and attach it; notes tell the clerk what to check (e.g. page counts).
    A record's file must be in a format its category's policy allows: anything else (or a
    program under any name) is refused, not merely flagged. The same file offered again is
    the attachment already there, with a note, not an error."""
    item = access_item(actor, item_id, Cap.DATA_WRITE)
    if item.destroyed_at is not None:
        raise ValidationError(
            f"文件 {item.reference_code} 已按销毁清册 {item.destruction_register} 销毁，"
            "不能再挂接电子文件。"
        )
    if not _followers:
        return _attach(actor, item, stream, filename, [])
    with _seekable(stream) as readable:
        finishes = [f for follow in _followers if (f := follow(item, readable)) is not None]
        readable.seek(0)
        return _attach(actor, item, cast(BinaryIO, readable), filename, finishes)


@contextlib.contextmanager
def _seekable(stream: BinaryIO) -> Iterator[IO[bytes]]:
    """The stream itself when it can be read twice, else a spooled copy of it."""
    if getattr(stream, "seekable", lambda: False)():
        yield stream
        return
    with tempfile.TemporaryFile() as spool:
        while chunk := stream.read(1 << 20):
            spool.write(chunk)
        spool.seek(0)
        yield spool


def _attach(
    actor: Any, item: RecordItem, stream: BinaryIO, filename: str, finishes: list[Finish]
) -> tuple[ItemFile, CaptureResult, list[str]]:
    with transaction.atomic():
        result = object_capture(
            actor=actor,
            stream=stream,
            filename=filename,
            category=item.category,
            unit=item.unit,
            strict=True,
        )
        there = ItemFile.objects.filter(item=item, object=result.object).first()
        if there is not None:
            return there, result, [f"{there.filename} 此前已挂接在本件文件下，未重复添加。"]
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
        for finish in finishes:
            notes += finish(actor, attached)
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
