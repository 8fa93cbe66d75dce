"""API of report packages between installations."""

from typing import Any

from ninja import Router, Schema
from ninja.responses import Status

from fupin.supervision.federation import services
from fupin.supervision.reports.api import ReportOut, report_out

router = Router(tags=["季报数据包"])


class PackageOut(Schema):
    format: str
    payload: dict[str, Any]
    digest: str
    signature: str


class PackageIn(Schema):
    format: str
    payload: dict[str, Any]
    digest: str = ""
    signature: str = ""


@router.get("/reports/{report_id}/package", response=PackageOut, summary="导出签名数据包")
def report_package(request, report_id: int) -> dict:
    return services.report_export(actor=request.user, report_id=report_id)


@router.post("/packages", response={201: ReportOut}, summary="导入下级系统的季报数据包")
def package_import(request, payload: PackageIn) -> Status:
    report = services.report_import(actor=request.user, package=payload.dict())
    return Status(201, report_out(report))
