"""The security auditor's view of the audit trail: search, read, export, verify."""

from datetime import date, datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from fupin.accounts.access import audit_q, require_cap
from fupin.accounts.models import User
from fupin.accounts.roles import Cap
from fupin.audit.actions import action_choices, action_label
from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_read_event, audit_verify
from fupin.core.downloads import download
from fupin.core.tabular import Book, csv_bytes

COLUMNS = [
    "序号",
    "时间",
    "操作人",
    "来源地址",
    "操作",
    "对象类型",
    "对象",
    "区划",
    "摘要",
    "变更前",
    "变更后",
    "操作代码",
]


def _day(value: str, end: bool) -> datetime | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filtered_events(request: HttpRequest) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
    require_cap(request.user, Cap.AUDIT_READ)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "action", "actor", "start", "end")}
    events = AuditEvent.objects.filter(audit_q(request.user))
    if f["q"]:
        events = events.filter(Q(summary__icontains=f["q"]) | Q(object_id=f["q"]) | Q(ip=f["q"]))
    if f["action"]:
        events = events.filter(action__startswith=f["action"])
    if f["actor"]:
        named = User.objects.filter(full_name=f["actor"]).values("pk")
        events = events.filter(Q(actor_name=f["actor"]) | Q(actor_id__in=named))
    if start := _day(f["start"], end=False):
        events = events.filter(at__gte=start)
    if end := _day(f["end"], end=True):
        events = events.filter(at__lte=end)
    return events.order_by("-seq"), f


@require_safe
@login_required
def audit_index(request: HttpRequest) -> HttpResponse:
    events, filters = filtered_events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = people(e.actor_id for e in page)
    for event in page:
        event.label = action_label(event.action)
        event.person = names.get(event.actor_id, event.actor_name or "系统")
    context = {"page": page, "f": filters, "query": query.urlencode(), "actions": action_choices()}
    return render(request, "web/audit_index.html", context)


def people(ids) -> dict[int, str]:
    """Each actor as 姓名（登录名）: the chain keeps the login, readers want the person."""
    wanted = {i for i in ids if i is not None}
    return {
        pk: f"{full}（{login}）" if full else login
        for pk, full, login in User.objects.filter(pk__in=wanted).values_list(
            "pk", "full_name", "username"
        )
    }


@require_safe
@login_required
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.AUDIT_READ)
    return render(request, "web/audit_verify.html", {"report": audit_verify()})


def _rows(events: QuerySet[AuditEvent]):
    names = people(events.values_list("actor_id", flat=True).distinct())
    for e in events.iterator(chunk_size=2000):
        at = timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")
        yield [
            e.seq,
            at,
            names.get(e.actor_id, e.actor_name or "系统"),
            e.ip,
            action_label(e.action),
            e.object_type,
            e.object_id,
            e.region_code,
            e.summary,
            e.before or "",
            e.after or "",
            e.action,
        ]


@require_safe
@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    events, filters = filtered_events(request)
    shown = ", ".join(f"{k}={v}" for k, v in filters.items() if v) or "全部"
    audit_read_event(
        actor=request.user,
        action="audit.export",
        summary=f"导出审计日志（{fmt.upper()}，{events.count()} 条，条件：{shown}）",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"审计日志-{stamp}.{fmt}"
    if fmt == "csv":
        rows = ([str(v) for v in row] for row in _rows(events))
        return download(csv_bytes(COLUMNS, rows), name, "text/csv; charset=utf-8")
    book = Book(streaming=True)
    sheet = book.sheet("审计日志")
    sheet.append(COLUMNS)
    for row in _rows(events):
        sheet.append([v if isinstance(v, int | str) else str(v) for v in row])
    return download(
        book.to_bytes(),
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
