from datetime import date

from ninja import Query, Router, Schema
from ninja.responses import Status

from fupin.schedule import services
from fupin.schedule.models import ScheduleRow, ScheduleVersion
from fupin.schedule.selectors import (
    access_refinement,
    context_version,
    filter_rows,
    rows_in_force,
    visible_refinements,
)

router = Router(tags=["归档范围"])


class RowFilter(Schema):
    level: str = ""
    category: str = ""
    q: str = ""


class RowOut(Schema):
    id: int
    level: str
    category: str
    number: str
    scope_text: str
    retention_text: str
    retention_options: list[str]
    responsible_units: str
    parent_row_id: int | None
    version_id: int


class RefinementIn(Schema):
    title: str
    effective_from: date
    owner_region: str = ""
    owner_unit: int | None = None


class ItemIn(Schema):
    parent_row_id: int
    scope_text: str
    retention_options: list[str]


class DecisionIn(Schema):
    office: str
    accept: bool
    reason: str = ""


class RefinementOut(Schema):
    id: int
    title: str
    owner: str
    effective_from: date
    status: str
    round: int
    parent_id: int | None
    items: list[RowOut]

    @staticmethod
    def resolve_owner(obj: ScheduleVersion) -> str:
        return obj.owner_label

    @staticmethod
    def resolve_items(obj: ScheduleVersion) -> list[ScheduleRow]:
        return list(obj.rows.all())


@router.get("/rows", response=list[RowOut], summary="现行归档范围条目（含已备案的细化条目）")
def rows(request, filters: Query[RowFilter]) -> list[ScheduleRow]:
    return filter_rows(rows_in_force(context_version(request.user)), **filters.dict())


@router.get("/refinements", response=list[RefinementOut], summary="我可见的细化方案")
def refinements(request) -> list[ScheduleVersion]:
    return list(visible_refinements(request.user).prefetch_related("rows"))


@router.get("/refinements/{refinement_id}", response=RefinementOut)
def refinement(request, refinement_id: int) -> ScheduleVersion:
    return access_refinement(request.user, refinement_id)


@router.post("/refinements", response={201: RefinementOut}, summary="新建细化方案")
def refinement_create(request, payload: RefinementIn) -> Status:
    return Status(201, services.refinement_create(actor=request.user, **payload.dict()))


@router.post("/refinements/{refinement_id}/items", response={201: RowOut})
def item_add(request, refinement_id: int, payload: ItemIn) -> Status:
    access_refinement(request.user, refinement_id)
    item = services.refinement_item_add(
        actor=request.user, refinement_id=refinement_id, **payload.dict()
    )
    return Status(201, item)


@router.post("/refinements/{refinement_id}/submit", response=RefinementOut)
def submit(request, refinement_id: int) -> ScheduleVersion:
    access_refinement(request.user, refinement_id)
    return services.refinement_submit(actor=request.user, refinement_id=refinement_id)


@router.post("/refinements/{refinement_id}/decide", response=RefinementOut)
def decide(request, refinement_id: int, payload: DecisionIn) -> ScheduleVersion:
    access_refinement(request.user, refinement_id)
    return services.refinement_decide(
        actor=request.user, refinement_id=refinement_id, **payload.dict()
    )
