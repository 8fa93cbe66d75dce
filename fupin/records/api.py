import datetime

from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fupin.records import services
from fupin.records.files import item_attach
from fupin.records.models import RecordItem
from fupin.records.selectors import access_item, visible_items
from fupin.records.volumes import volume_create

router = Router(tags=["文件整理"])


class ItemIn(Schema):
    year: int | None = None
    category: str
    schedule_row_id: int
    retention: str
    class_code_id: int
    title: str
    title_by_archivist: bool = False
    doc_number: str = ""
    responsible: str
    date: datetime.date
    pages: int
    secrecy: str = ""
    notes: str = ""
    matter: str = ""
    importance: int = 0


class ItemPatch(Schema):
    title: str | None = None
    doc_number: str | None = None
    responsible: str | None = None
    date: datetime.date | None = None
    pages: int | None = None
    retention: str | None = None
    class_code_id: int | None = None
    schedule_row_id: int | None = None
    notes: str | None = None
    matter: str | None = None


class ItemOut(Schema):
    id: int
    unit_id: int
    year: int
    category: str
    retention: str
    class_code_id: int
    schedule_row_id: int
    schedule_version_id: int
    title: str
    display_title: str
    doc_number: str
    responsible: str
    date: datetime.date
    pages: int
    item_number: int | None
    reference_code: str | None
    status: str


class ItemFilter(Schema):
    unit_id: int | None = None
    year: int | None = None
    status: str = ""
    limit: int = 200
    offset: int = 0


class YearIn(Schema):
    year: int


class ArrangeOut(Schema):
    classes: int
    numbered: int
    kept: int


class SelectionIn(Schema):
    item_ids: list[int]


class CountOut(Schema):
    count: int


class BoxOut(Schema):
    id: int
    box_number: int
    year: int
    retention: str
    class_code_id: int


@router.get("/items", response=list[ItemOut], summary="我辖区内的文件")
def items(request, filters: Query[ItemFilter]) -> list[RecordItem]:
    found = visible_items(request.user)
    if filters.unit_id:
        found = found.filter(unit_id=filters.unit_id)
    if filters.year:
        found = found.filter(year=filters.year)
    if filters.status:
        found = found.filter(status=filters.status)
    limit = max(1, min(filters.limit, 1000))
    return list(found[filters.offset : filters.offset + limit])


@router.get("/items/{item_id}", response=ItemOut, summary="查看一件文件的著录")
def item(request, item_id: int) -> RecordItem:
    return access_item(request.user, item_id)


@router.post("/units/{unit_id}/items", response={201: ItemOut}, summary="著录一件文件")
def item_create(request, unit_id: int, payload: ItemIn) -> Status:
    return Status(201, services.item_create(actor=request.user, unit_id=unit_id, **payload.dict()))


@router.patch("/items/{item_id}", response=ItemOut, summary="修改未归档文件的著录")
def item_update(request, item_id: int, payload: ItemPatch) -> RecordItem:
    access_item(request.user, item_id)
    changes = payload.dict(exclude_unset=True)
    return services.item_update(actor=request.user, item_id=item_id, **changes)


@router.post("/units/{unit_id}/arrange", response=ArrangeOut, summary="整理编号一个年度")
def arrange(request, unit_id: int, payload: YearIn) -> dict[str, int]:
    report = services.items_arrange(actor=request.user, unit_id=unit_id, year=payload.year)
    return report.as_dict()


@router.post("/units/{unit_id}/lock", response=CountOut, summary="归档（锁定档号）")
def lock(request, unit_id: int, payload: SelectionIn) -> dict[str, int]:
    count = services.items_lock(actor=request.user, unit_id=unit_id, item_ids=payload.item_ids)
    return {"count": count}


@router.post("/units/{unit_id}/box", response=BoxOut, summary="装盒")
def box(request, unit_id: int, payload: SelectionIn):
    return services.items_box(actor=request.user, unit_id=unit_id, item_ids=payload.item_ids)


class VolumeIn(Schema):
    category: str
    year: int
    retention: str
    project: str
    title: str
    item_ids: list[int]


class VolumeOut(Schema):
    id: int
    reference_code: str
    project: str
    title: str
    volume_number: int


class FileOut(Schema):
    id: int
    filename: str
    sha256: str
    format: str
    pages: int | None
    outcome: str
    notes: list[str]


@router.post("/units/{unit_id}/volumes", response={201: VolumeOut}, summary="组卷（科技、专业）")
def volume_new(request, unit_id: int, payload: VolumeIn) -> Status:
    return Status(201, volume_create(actor=request.user, unit_id=unit_id, **payload.dict()))


@router.post("/items/{item_id}/files", response={201: FileOut}, summary="上传扫描件或电子原件")
def item_file(request, item_id: int, file: File[UploadedFile]) -> Status:
    access_item(request.user, item_id)
    attached, result, notes = item_attach(
        actor=request.user, item_id=item_id, stream=file, filename=file.name or ""
    )
    return Status(
        201,
        {
            "id": attached.pk,
            "filename": attached.filename,
            "sha256": result.object.sha256,
            "format": result.object.format,
            "pages": attached.pages,
            "outcome": result.outcome,
            "notes": notes,
        },
    )
