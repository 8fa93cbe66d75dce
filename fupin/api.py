"""The versioned JSON API (/api/v1/), its OpenAPI document at /api/v1/openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError
from ninja.security import django_auth

from fupin.accounts.api import router as accounts_router
from fupin.core.problems import ProblemError
from fupin.custody.api import router as custody_router
from fupin.disposal.api import router as disposal_router
from fupin.households.files.api import router as household_files_router
from fupin.households.registry.api import router as households_router
from fupin.photos.api import router as photos_router
from fupin.records.api import router as records_router
from fupin.regions.api import router as regions_router
from fupin.scans.api import router as scans_router
from fupin.schedule.api import router as schedule_router
from fupin.search.api import router as search_router
from fupin.supervision.federation.api import router as federation_router
from fupin.supervision.inspections.api import router as inspections_router
from fupin.supervision.reports.api import router as reports_router
from fupin.supervision.rules.api import router as rules_router
from fupin.transfer.api import router as transfer_router
from fupin.use.api import router as use_router
from fupin.web.audit_api import router as audit_router

api = NinjaAPI(
    title="精准扶贫档案管理系统 API",
    version="1",
    description="所有接口均按登录用户的辖区范围返回数据；写操作需要 CSRF 令牌。",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/accounts", accounts_router)
api.add_router("/regions", regions_router)
api.add_router("/schedule", schedule_router)
api.add_router("/records", records_router)
api.add_router("/households", households_router)
api.add_router("/household-files", household_files_router)
api.add_router("/photos", photos_router)
api.add_router("/use", use_router)
api.add_router("/scans", scans_router)
api.add_router("/supervision", reports_router)
api.add_router("/supervision", federation_router)
api.add_router("/supervision", inspections_router)
api.add_router("/supervision/rules", rules_router)
api.add_router("/audit", audit_router)
api.add_router("/search", search_router)
api.add_router("/custody", custody_router)
api.add_router("/transfer", transfer_router)
api.add_router("/disposal", disposal_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body: dict[str, object] = {"detail": "；".join(exc.messages)}
    if isinstance(exc, ProblemError):
        # Each problem with its code and field, so a client can point at every offending row.
        body["problems"] = [p.as_dict() for p in exc.problems]
    return api.create_response(request, body, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)


@api.exception_handler(SchemaError)
def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """Requests that do not fit an endpoint's schema: a Chinese summary, the details as data."""
    fields = "、".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors)
    detail = f"请求数据不符合接口要求（{fields or '格式错误'}）。"
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)
