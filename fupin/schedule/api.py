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


class VersionOut(Schema):
    id: int
    title: str
    owner: str
    owner_region: str | None
    owner_unit: int | None
    parent_id: int | None
    effective_from: date
    status: str
    in_force_here: bool


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


@router.get(
    "/versions",
    response=list[VersionOut],
    summary="省表及我可见的细化方案；in_force_here 标出我所在地现行的版本",
)
def versions(request) -> list[VersionOut]:
    here = context_version(request.user)
    bases = ScheduleVersion.objects.filter(parent__isnull=True).select_related("owner_region")
    found = [*bases, *visible_refinements(request.user).order_by("effective_from", "pk")]
    return [
        VersionOut(
            id=v.pk,
            title=v.title,
            owner=v.owner_label,
            owner_region=v.owner_region_id,
            owner_unit=v.owner_unit_id,
            parent_id=v.parent_id,
            effective_from=v.effective_from,
            status=v.status,
            in_force_here=here is not None and here.pk == v.pk,
        )
        for v in found
    ]


@router.get("/refinements", response=list[RefinementOut], summary="我可见的细化方案")
def refinements(request) -> list[ScheduleVersion]:
    return list(visible_refinements(request.user).prefetch_related("rows"))


@router.get("/refinements/{refinement_id}", response=RefinementOut, summary="查看细化方案")
def refinement(request, refinement_id: int) -> ScheduleVersion:
    return access_refinement(request.user, refinement_id)


@router.post("/refinements", response={201: RefinementOut}, summary="新建细化方案")
def refinement_create(request, payload: RefinementIn) -> Status:
    return Status(201, services.refinement_create(actor=request.user, **payload.dict()))


@router.post(
    "/refinements/{refinement_id}/items", response={201: RowOut}, summary="细化方案中增加条目"
)
def item_add(request, refinement_id: int, payload: ItemIn) -> Status:
    access_refinement(request.user, refinement_id)
    item = services.refinement_item_add(
        actor=request.user, refinement_id=refinement_id, **payload.dict()
    )
    return Status(201, item)


@router.delete(
    "/refinements/{refinement_id}/items/{item_id}",
    response={204: None},
    summary="从细化方案中删除条目",
)
def item_remove(request, refinement_id: int, item_id: int) -> Status:
    access_refinement(request.user, refinement_id)
    services.refinement_item_remove(
        actor=request.user, refinement_id=refinement_id, item_id=item_id
    )
    return Status(204, None)


@router.post(
    "/refinements/{refinement_id}/submit", response=RefinementOut, summary="报送细化方案备案"
)
def submit(request, refinement_id: int) -> ScheduleVersion:
    access_refinement(request.user, refinement_id)
    return services.refinement_submit(actor=request.user, refinement_id=refinement_id)


@router.post(
    "/refinements/{refinement_id}/decide",
    response=RefinementOut,
    summary="审核细化方案",
)
def decide(request, refinement_id: int, payload: DecisionIn) -> ScheduleVersion:
    access_refinement(request.user, refinement_id)
    return services.refinement_decide(
        actor=request.user, refinement_id=refinement_id, **payload.dict()
    )


class SuggestQuery(Schema):
    title: str
    level: str = ""


class SuggestionOut(Schema):
    row_id: int
    parent_row_id: int | None
    level: str
    level_label: str
    category: str
    number: str
    scope: str
    retention: str
    options: list[str]
    score: float
    confidence: str

    @staticmethod
    def resolve_row_id(obj) -> int:
        return obj.row.pk

    @staticmethod
    def resolve_parent_row_id(obj) -> int | None:
        return obj.row.parent_row_id


@router.get(
    "/suggest",
    response=list[SuggestionOut],
    summary="按文件题名推荐所属条目及保管期限（前 3 条，附置信度与把握）",
)
def suggest(request, params: Query[SuggestQuery]) -> list:
    from django.core.exceptions import ValidationError

    from fupin.accounts.access import user_scope
    from fupin.accounts.roles import Role
    from fupin.schedule.models import ScheduleLevel
    from fupin.schedule.suggest import suggest as suggest_rows

    level = params.level
    if not level:
        # A clerk files at the level of their first grant; everyone else works with county rows.
        grants = user_scope(request.user).grants
        role = grants[0].role if grants else ""
        clerks: dict[str, str] = {
            Role.VILLAGE_ARCHIVIST: "village",
            Role.TOWNSHIP_ARCHIVIST: "township",
        }
        level = clerks.get(role, "county")
    if level not in ScheduleLevel.values:
        raise ValidationError("层级只能是 county、township 或 village。")
    version = context_version(request.user)
    if version is None:
        raise ValidationError("归档范围表尚未载入。")
    return suggest_rows(params.title, level=level, rows=rows_in_force(version))
