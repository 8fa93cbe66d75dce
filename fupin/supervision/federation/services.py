"""Report packages: export a submitted region report as a signed package, import one from a
trusted installation as a submitted report."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.audit.services import audit_record
from fupin.regions.models import Region
from fupin.supervision.federation import package as federation
from fupin.supervision.models import (
    QuarterReport,
    ReportStatus,
)
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.selectors import access_report, can_file_region
from fupin.supervision.reports.services import FROZEN


def report_export(*, actor: Any, report_id: int) -> dict[str, Any]:
    """A submitted or accepted region report as a signed package for another installation."""

    report = access_report(actor, report_id)
    if report.status not in FROZEN or not report.region_id:
        raise ValidationError("只有已报送或已审核通过的区划季报才能导出数据包。")
    sender, _key = federation.own_identity()
    region = report.region
    payload = {
        "quarter": report.quarter,
        "region": report.region_id,
        "region_name": region.name,  # type: ignore[union-attr]
        "figures": report.figures,
        "entered": report.entered,
        "sender": sender,
        "created": timezone.now().isoformat(),
    }
    package = federation.seal(payload)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.report_export",
            obj=report,
            after={"digest": package["digest"], "sender": sender},
            summary=f"导出{report.subject_name}{report.quarter}季报数据包",
        )
    return package


def report_import(*, actor: Any, package: bytes | str | dict[str, Any]) -> QuarterReport:
    """Take in a signed package from a trusted installation as a submitted report, for the
    receiving level to accept or return like any other."""
    payload = federation.open_package(package)
    q = Quarter.parse(str(payload.get("quarter", "")))
    code = str(payload.get("region", ""))
    figures = payload.get("figures")
    if not isinstance(figures, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in figures.values()
    ):
        raise ValidationError("数据包中的报表数据不是整数。")
    with transaction.atomic():
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(f"本系统没有区划 {code}，不能导入其季报。")
        if not (user_scope(actor).everything or can_file_region(actor, region.parent_id or "")):
            raise PermissionDenied("只有接收该季报的上一级可以导入数据包。")
        if QuarterReport.objects.filter(package_digest=payload["digest"]).exists():
            raise ValidationError("该数据包已经导入过，不能重复导入。")
        report = QuarterReport.objects.select_for_update().filter(quarter=str(q), region=region)
        existing = report.first()
        if existing is not None and existing.status in FROZEN:
            raise ValidationError(f"{region.name}{q.label}季报已报送或已审核通过，不能再导入。")
        now = timezone.now()
        values = {
            "status": ReportStatus.SUBMITTED,
            "figures": figures,
            "entered": payload.get("entered") or {},
            "built_at": now,
            "first_submitted_at": (existing.first_submitted_at if existing else None) or now,
            "submitted_at": now,
            "round": (existing.round if existing else 0) + 1,
            "return_reason": "",
            "sender": str(payload["sender"])[:100],
            "package_digest": payload["digest"],
        }
        imported, _ = QuarterReport.objects.update_or_create(
            quarter=str(q), region=region, defaults=values
        )
        audit_record(
            actor=actor,
            action="supervision.report_import",
            obj=imported,
            after={"sender": payload["sender"], "digest": payload["digest"]},
            summary=f"导入{payload['sender']}报送的{region.name}{q.label}季报数据包",
        )
    return imported
