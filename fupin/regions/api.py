from django.db import transaction
from django.db.models import Q
from ninja import Query, Router, Schema, Status

from fupin.accounts.access import access_region
from fupin.accounts.roles import Cap
from fupin.core.paging import api_page
from fupin.regions import services
from fupin.regions.models import Region, Unit
from fupin.regions.reading import (
    browsable_regions,
    browsable_units,
    browse_region,
    browse_roots,
    browse_unit,
)

router = Router(tags=["区划与立档单位"])
UNITS_PER_PAGE = 100


class RegionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    is_poor: bool
    exit_year: int | None
    poverty_label: str

    @staticmethod
    def of(region: Region) -> "RegionOut":
        return RegionOut(
            code=region.code,
            name=region.name,
            level=region.level,
            level_label=region.get_level_display(),
            is_poor=region.is_poor,
            exit_year=region.exit_year,
            poverty_label=region.poverty_label,
        )


class RegionDetailOut(RegionOut):
    parent_code: str | None
    children: list[RegionOut]


class UnitOut(Schema):
    id: int
    region_code: str
    region_name: str
    kind: str
    kind_label: str
    name: str
    fonds_code: str
    fonds_name: str
    leader: str
    responsible_department: str
    archivists: str
    active: bool
    stationed_villages: list[str]

    @staticmethod
    def of(unit: Unit) -> "UnitOut":
        return UnitOut(
            id=unit.pk,
            region_code=unit.region_id,
            region_name=unit.region.name,
            kind=unit.kind,
            kind_label=unit.get_kind_display(),
            name=unit.name,
            fonds_code=unit.fonds_code,
            fonds_name=unit.fonds_name,
            leader=unit.leader,
            responsible_department=unit.responsible_department,
            archivists=unit.archivists,
            active=unit.active,
            stationed_villages=[v.code for v in unit.stationed_villages.all()],
        )


class UnitPage(Schema):
    count: int
    page: int
    pages: int
    items: list[UnitOut]


class UnitFilter(Schema):
    kind: str = ""
    region: str = ""
    q: str = ""
    page: int = 1


class UnitIn(Schema):
    region_code: str
    kind: str
    name: str
    fonds_code: str
    fonds_name: str = ""
    leader: str = ""
    responsible_department: str = ""
    archivists: str = ""


class UnitPatch(Schema):
    kind: str | None = None
    name: str | None = None
    fonds_code: str | None = None
    fonds_name: str | None = None
    leader: str | None = None
    responsible_department: str | None = None
    archivists: str | None = None
    active: bool | None = None
    stationed_villages: list[str] | None = None


# The /units routes come first: "/{code}" would otherwise take "units" for a region code.
@router.get("/units", response=UnitPage, summary="辖区内的立档单位（可按类别、区划、名称筛选）")
def unit_list(request, filters: Query[UnitFilter]) -> UnitPage:
    units = browsable_units(request.user).prefetch_related("stationed_villages")
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.region:
        units = units.filter(region__code__startswith=filters.region)
    if filters.q:
        units = units.filter(Q(name__icontains=filters.q) | Q(fonds_code__icontains=filters.q))
    ordered = units.order_by("region_id", "name")
    return UnitPage(**api_page(ordered, UNITS_PER_PAGE, filters.page, UnitOut.of))


@router.get("/units/{unit_id}", response=UnitOut, summary="一个立档单位")
def unit_get(request, unit_id: int) -> UnitOut:
    return UnitOut.of(browse_unit(request.user, unit_id))


@router.post("/units", response={201: UnitOut}, summary="新建立档单位（系统管理员）")
def unit_post(request, data: UnitIn) -> Status[UnitOut]:
    region = access_region(request.user, data.region_code, Cap.USERS_MANAGE)
    fields = data.dict(exclude={"region_code"})
    unit = services.unit_create(actor=request.user, region=region, **fields)
    return Status(201, UnitOut.of(unit))


@router.patch("/units/{unit_id}", response=UnitOut, summary="修改立档单位（系统管理员）")
def unit_patch(request, unit_id: int, data: UnitPatch) -> UnitOut:
    changes = data.dict(exclude_unset=True)
    active = changes.pop("active", None)
    villages = changes.pop("stationed_villages", None)
    actor = request.user
    # One request, one outcome: a refused village list must not leave the renaming behind.
    with transaction.atomic():
        unit = services.unit_update(actor=actor, unit_id=unit_id, **changes)
        if active is not None:
            unit = services.unit_set_active(actor=actor, unit_id=unit_id, active=active)
        if villages is not None:
            unit = services.unit_set_stationed_villages(
                actor=actor, unit_id=unit_id, village_codes=villages
            )
    return UnitOut.of(unit)


@router.get("/", response=list[RegionOut], summary="当前用户的辖区起点")
def region_roots(request) -> list[RegionOut]:
    return [RegionOut.of(r) for r in browse_roots(request.user)]


@router.get("/{code}", response=RegionDetailOut, summary="一个区划及其下级区划")
def region_get(request, code: str) -> RegionDetailOut:
    region = browse_region(request.user, code)
    children = browsable_regions(request.user).filter(parent=region)
    return RegionDetailOut(
        **RegionOut.of(region).dict(),
        parent_code=region.parent_id,
        children=[RegionOut.of(c) for c in children],
    )
