"""API of the household file: checklist, filing documents, exit acceptance, assistance,
completeness roll-up and the to-do list."""

import datetime
from decimal import Decimal

from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fupin.accounts.access import access_region
from fupin.core.paging import api_page
from fupin.households.files import dossier
from fupin.households.files.checklist import TYPES
from fupin.households.files.rollup import (
    Tally,
    completeness_rollup,
    file_overview,
    households_by_missing,
    missing_labels,
)
from fupin.households.models import Household
from fupin.households.registry.selectors import access_household

router = Router(tags=["一户一档"])
PER_PAGE = 100


class NeedOut(Schema):
    year: int | None
    label: str


class DocumentOut(Schema):
    id: int
    item_id: int
    year: int
    title: str


class LineOut(Schema):
    number: int
    name: str
    stage: str
    yearly: bool
    state: str
    required: list[NeedOut]
    missing: list[NeedOut]
    documents: list[DocumentOut]


class FileOut(Schema):
    household_id: int
    volume_code: str | None
    docs_required: int
    docs_missing: int
    complete: bool
    exit_accepted_year: int | None
    exit_missing: list[NeedOut]
    checklist: list[LineOut]


def _need(n) -> NeedOut:
    return NeedOut(year=n.year, label=n.label)


def _file_out(request, household: Household) -> FileOut:
    seen = file_overview(request.user, household)
    file = seen["file"]
    return FileOut(
        household_id=household.pk,
        volume_code=file.volume.reference_code if file else None,
        docs_required=household.docs_required,
        docs_missing=household.docs_missing,
        complete=household.file_complete,
        exit_accepted_year=file.exit_accepted_year if file else None,
        exit_missing=[_need(n) for n in seen["exit_missing"]],
        checklist=[
            LineOut(
                number=line.number,
                name=line.name,
                stage=line.stage,
                yearly=line.yearly,
                state=line.state,
                required=[_need(n) for n in line.required],
                missing=[_need(n) for n in line.missing],
                documents=[
                    DocumentOut(id=d.pk, item_id=d.item_id, year=d.year, title=d.item.display_title)
                    for d in line.documents
                ],
            )
            for line in seen["checklist"]
        ],
    )


@router.get("/{household_id}", response=FileOut, summary="一户的档案：15 类材料的应有、已有与缺少")
def file_get(request, household_id: int) -> FileOut:
    return _file_out(request, access_household(request.user, household_id))


class DocumentIn(Schema):
    number: int
    date: datetime.date
    pages: int
    title: str = ""
    responsible: str = ""


@router.post(
    "/{household_id}/documents",
    response={201: FileOut},
    summary="挂接一份材料（可同时上传扫描件，multipart 表单）",
)
def document_add(
    request, household_id: int, data: Form[DocumentIn], file: File[UploadedFile | None] = None
) -> Status:
    dossier.household_document_add(
        actor=request.user,
        household_id=household_id,
        stream=file,
        filename=file.name or "" if file else "",
        **data.dict(),
    )
    return Status(201, _file_out(request, access_household(request.user, household_id)))


@router.delete(
    "/{household_id}/documents/{document_id}", response=FileOut, summary="撤下误挂的材料"
)
def document_remove(request, household_id: int, document_id: int) -> FileOut:
    dossier.household_document_remove(
        actor=request.user, household_id=household_id, document_id=document_id
    )
    return _file_out(request, access_household(request.user, household_id))


@router.post(
    "/{household_id}/exit-accept",
    response=FileOut,
    summary="脱贫验收（同步验收档案：脱贫材料不全时拒绝）",
)
def exit_accept(request, household_id: int) -> FileOut:
    dossier.household_exit_accept(actor=request.user, household_id=household_id)
    return _file_out(request, access_household(request.user, household_id))


class OfficerIn(Schema):
    name: str
    unit_name: str
    unit_level: str
    start_date: datetime.date
    phone: str = ""


class MeasureIn(Schema):
    kind: str
    year: int
    project: str
    scale: str = ""
    funds: Decimal = Decimal(0)
    deadline: datetime.date | None = None


class IncomeIn(Schema):
    year: int
    wages: Decimal = Decimal(0)
    business: Decimal = Decimal(0)
    transfers: Decimal = Decimal(0)
    property: Decimal = Decimal(0)
    expenses: Decimal = Decimal(0)


class IncomeOut(Schema):
    year: int
    net_income: Decimal
    per_capita: Decimal


class RelocationIn(Schema):
    item_id: int


class Created(Schema):
    id: int


@router.post("/{household_id}/officers", response={201: Created}, summary="登记帮扶责任人")
def officer_add(request, household_id: int, payload: OfficerIn) -> Status:
    made = dossier.household_officer_add(
        actor=request.user, household_id=household_id, **payload.dict()
    )
    return Status(201, {"id": made.pk})


@router.post("/{household_id}/measures", response={201: Created}, summary="登记帮扶措施")
def measure_add(request, household_id: int, payload: MeasureIn) -> Status:
    made = dossier.household_measure_add(
        actor=request.user, household_id=household_id, **payload.dict()
    )
    return Status(201, {"id": made.pk})


@router.put("/{household_id}/incomes", response=IncomeOut, summary="录入或更正年度收入核算")
def income_set(request, household_id: int, payload: IncomeIn) -> IncomeOut:
    income = dossier.household_income_set(
        actor=request.user, household_id=household_id, **payload.dict()
    )
    return IncomeOut(year=income.year, net_income=income.net_income, per_capita=income.per_capita)


@router.post(
    "/{household_id}/relocation", response={201: Created}, summary="关联县级易地扶贫搬迁档案"
)
def relocation_link(request, household_id: int, payload: RelocationIn) -> Status:
    link = dossier.household_relocation_link(
        actor=request.user, household_id=household_id, item_id=payload.item_id
    )
    return Status(201, {"id": link.pk})


class TallyOut(Schema):
    code: str
    name: str
    households: int
    complete: int
    rate: float
    missing_by_type: dict[int, int]

    @staticmethod
    def of(t: Tally) -> "TallyOut":
        return TallyOut(
            code=t.code,
            name=t.name,
            households=t.households,
            complete=t.complete,
            rate=round(t.rate, 4),
            missing_by_type=t.missing_by_type,
        )


class RollupOut(Schema):
    region: str
    level: str
    total: TallyOut
    children: list[TallyOut]
    types: dict[int, str]


@router.get(
    "/completeness/{code}",
    response=RollupOut,
    summary="完整率：本级合计与各下级（缺少各类材料的户数），可逐级下钻",
)
def completeness(request, code: str) -> RollupOut:
    region, total, rows = completeness_rollup(request.user, code)
    return RollupOut(
        region=region.code,
        level=region.get_level_display(),
        total=TallyOut.of(total),
        children=[TallyOut.of(r) for r in rows],
        types={t.number: t.name for t in TYPES},
    )


class TodoOut(Schema):
    household_id: int
    household_no: str
    village: str
    head_name: str
    docs_required: int
    docs_missing: int
    missing: list[str]


class TodoPage(Schema):
    count: int
    page: int
    pages: int
    items: list[TodoOut]


class TodoFilter(Schema):
    page: int = 1


@router.get(
    "/completeness/{code}/todo",
    response=TodoPage,
    summary="缺项清单：缺材料的农户（缺项多的在前）及所缺材料",
)
def todo(request, code: str, filters: Query[TodoFilter]) -> TodoPage:
    # Only the scope check: the roll-up's counts are not needed for the list.
    region = access_region(request.user, code)
    found = households_by_missing(request.user, region.code)
    paged = api_page(found, PER_PAGE, filters.page, lambda h: h)
    listed = missing_labels(paged["items"])
    paged["items"] = [
        TodoOut(
            household_id=h.pk,
            household_no=h.household_no,
            village=h.village_id,
            head_name=h.head_name,
            docs_required=h.docs_required,
            docs_missing=h.docs_missing,
            missing=labels,
        )
        for h, labels in listed
    ]
    return TodoPage(**paged)
