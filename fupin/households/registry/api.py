from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import create_model

from fupin.core.paging import api_page
from fupin.households.models import Household, HouseholdChange
from fupin.households.registry import sheet
from fupin.households.registry.import_jobs import import_begin, import_confirm, import_job
from fupin.households.registry.selectors import (
    access_batch,
    access_household,
    can_reveal,
    household_history,
    household_members,
    member_values,
    search_households,
    shown_change_value,
    shown_phone,
)
from fupin.households.registry.services import household_reveal
from fupin.households.registry.sheet import Column, Compare

router = Router(tags=["建档立卡农户"])
PER_PAGE = 50


class HouseholdOut(Schema):
    id: int
    household_no: str
    village: str
    village_name: str
    head_name: str
    size: int
    attribute: str
    main_cause: str
    status: str
    status_label: str
    phone: str

    @staticmethod
    def of(h: Household, reveal: bool = False) -> "HouseholdOut":
        return HouseholdOut(
            id=h.pk,
            household_no=h.household_no,
            village=h.village_id,
            village_name=h.village.name,
            head_name=h.head_name,
            size=h.size,
            attribute=h.attribute,
            main_cause=h.main_cause,
            status=h.status,
            status_label=h.get_status_display(),
            phone=shown_phone(h.phone, reveal),
        )


class HouseholdPage(Schema):
    count: int
    page: int
    pages: int
    items: list[HouseholdOut]


class HouseholdFilter(Schema):
    q: str = ""
    village: str = ""
    status: str = ""
    page: int = 1


def _sheet_fields(columns: Iterable[Column]) -> dict[str, Any]:
    """Schema fields for sheet columns: text as text, the other kinds None when blank."""
    return {
        c.field: (str, ...) if c.python_type is str else (c.python_type | None, ...)
        for c in columns
    }


# Every member column of the sheet, in its order.
PersonOut = create_model("PersonOut", __base__=Schema, **_sheet_fields(sheet.PERSON_COLUMNS))
# The household's sheet columns that the list leaves out (脱贫属性 is the status).
DETAIL_COLUMNS = tuple(
    c
    for c in sheet.HOUSEHOLD_COLUMNS
    if c.compare == Compare.VALUE and c.field not in HouseholdOut.model_fields
)
HouseholdSheetOut = create_model(
    "HouseholdSheetOut", __base__=HouseholdOut, **_sheet_fields(DETAIL_COLUMNS)
)


class ChangeOut(Schema):
    household_id: int
    household_no: str
    batch_id: int | None
    kind: str
    kind_label: str
    field: str
    person_no: str
    person_name: str
    before: str
    after: str
    at: str

    @staticmethod
    def of(c: HouseholdChange, reveal: bool = False) -> "ChangeOut":
        return ChangeOut(
            household_id=c.household_id,
            household_no=c.household.household_no,
            batch_id=c.batch_id,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            field=c.field,
            person_no=c.person_no,
            person_name=c.person_name,
            before=shown_change_value(c, c.before, reveal),
            after=shown_change_value(c, c.after, reveal),
            at=c.at.isoformat(),
        )


class HouseholdDetailOut(HouseholdSheetOut):  # type: ignore[misc,valid-type]
    identified_year: int | None
    identified_basis: (
        str  # 识别年度依据: identified / sheet / registered (first import's data year)
    )
    exit_year: int | None
    revealed: bool
    can_reveal: bool
    members: list[PersonOut]
    history: list[ChangeOut]


class BatchChangesOut(Schema):
    batch_id: int
    file_name: str
    at: str
    summary: dict
    changes: list[ChangeOut]


@router.get(
    "", response=HouseholdPage, summary="辖区内的贫困户（可按户主姓名、户编号、村、状态筛选）"
)
def household_list(request, filters: Query[HouseholdFilter]) -> HouseholdPage:
    found = search_households(request.user, filters.q, filters.village, filters.status)
    return HouseholdPage(**api_page(found, PER_PAGE, filters.page, HouseholdOut.of))


@router.get(
    "/batches/{batch_id}/changes",
    response=BatchChangesOut,
    summary="一次导入带来的变动（仅本辖区部分；summary 为本辖区的户数与各类变动数）",
)
def batch_changes(request, batch_id: int) -> BatchChangesOut:
    batch, changes, totals = access_batch(request.user, batch_id)
    return BatchChangesOut(
        batch_id=batch.pk,
        file_name=batch.file_name,
        at=batch.at.isoformat(),
        summary=totals,
        changes=[ChangeOut.of(c) for c in changes],
    )


@router.get(
    "/{int:household_id}",
    response=HouseholdDetailOut,
    summary="一户：成员（证件号码默认遮蔽；reveal=true 显示完整号码并记入审计）与变动历史",
)
def household_get(request, household_id: int, reveal: bool = False) -> HouseholdDetailOut:
    household = access_household(request.user, household_id)
    if reveal:
        household_reveal(actor=request.user, household=household)
    base = HouseholdOut.of(household, reveal).dict()
    return HouseholdDetailOut(
        **base,
        **{c.field: getattr(household, c.field) for c in DETAIL_COLUMNS},
        identified_year=household.identified_year,
        identified_basis=household.identified_basis,
        exit_year=household.exit_year,
        revealed=reveal,
        can_reveal=can_reveal(request.user, household),
        members=[PersonOut(**member_values(p, reveal)) for p in household_members(household)],
        history=[ChangeOut.of(c, reveal) for c in household_history(household)],
    )


class RowMessage(Schema):
    row: int
    message: str


class RemovedHousehold(Schema):
    household_no: str
    head_name: str


class VillagePlan(Schema):
    village: str
    village_name: str
    new: int
    returned: int
    exited: int
    removed: int
    members_added: int
    members_removed: int
    attributes_changed: int
    removed_households: list[RemovedHousehold]


class ImportOut(Schema):
    ok: bool
    file: str
    rows: int
    households: int
    batch_id: int | None
    applied: bool
    dry_run: bool
    imported_households: int
    unchanged_households: int
    people: int
    skipped_households: int
    changes: dict[str, int]
    plan: list[VillagePlan]
    digest: str
    error_rows: int
    errors: list[RowMessage]
    warnings: list[RowMessage]
    error_workbook_url: str


class ImportIn(Schema):
    skip_invalid: bool = False
    data_year: int | None = None  # 数据年度 (this year when not given)


class ImportJobOut(Schema):
    token: str
    file: str
    stage: str
    state: str
    rows: int
    error: str
    note: str  # a take-over after the worker stopped: queued again
    report: ImportOut | None
    job_url: str
    apply_url: str


class ConfirmIn(Schema):
    digest: str


def _report_out(token: str, report: dict) -> ImportOut:
    url = f"/households/import/errors/{token}/" if report["error_workbook"] else ""
    return ImportOut(**report, error_workbook_url=url)


def _job_out(job: dict) -> ImportJobOut:
    token = job["token"]
    report = job.get("report")
    return ImportJobOut(
        token=token,
        file=job["file"],
        stage=job["stage"],
        state=job["state"],
        rows=job["rows"],
        error=job["error"],
        note=job.get("note", ""),
        report=_report_out(token, report) if report else None,
        job_url=f"/api/v1/households/import/jobs/{token}",
        apply_url=f"/api/v1/households/import/jobs/{token}/apply",
    )


@router.post(
    "/import",
    response=ImportOut,
    summary="导入建档立卡表（multipart：file），立即写入；有错误时默认全部不导入，并给出错误清单下载地址",
)
def household_import(request, options: Form[ImportIn], file: File[UploadedFile]) -> ImportOut:
    job = import_begin(
        actor=request.user,
        upload=file,
        skip_invalid=options.skip_invalid,
        preview=False,
        data_year=options.data_year,
    )
    if job["report"] is None:
        raise ValidationError(job["error"] or "导入失败。")
    return _report_out(job["token"], job["report"])


@router.post(
    "/import/preview",
    response=ImportJobOut,
    summary="上传建档立卡表并预览（不写入）：各村新识别、返贫、脱贫、清退（逐户）、成员与属性变动；大表在后台处理",
)
def household_import_preview(
    request, options: Form[ImportIn], file: File[UploadedFile]
) -> ImportJobOut:
    return _job_out(
        import_begin(
            actor=request.user,
            upload=file,
            skip_invalid=options.skip_invalid,
            data_year=options.data_year,
        )
    )


@router.get("/import/jobs/{token}", response=ImportJobOut, summary="导入任务的进度与结果")
def household_import_job(request, token: str) -> ImportJobOut:
    return _job_out(import_job(request.user, token))


@router.post(
    "/import/jobs/{token}/apply",
    response=ImportJobOut,
    summary="确认导入已预览的表：须带预览给出的 digest；预览后表格或登记数据有变化则拒绝",
)
def household_import_apply(request, token: str, body: ConfirmIn) -> ImportJobOut:
    return _job_out(import_confirm(actor=request.user, token=token, digest=body.digest))
