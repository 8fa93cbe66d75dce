"""Pages of the transfer: the sender plans, marks, builds, signs and sends a batch and prints
its 移交清单 and 档案交接文据; the archives' receiver re-runs the checks on what arrived and
accepts or returns it; both see the records taken into the archives' fonds."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.accounts.access import access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.core.downloads import download
from fupin.objects.models import Category
from fupin.records.models import AccessMarking
from fupin.records.printviews import XLSX
from fupin.schedule import retention
from fupin.transfer import printed, services
from fupin.transfer.models import BatchStatus, Nature, SyncReceiving
from fupin.transfer.selectors import (
    access_batch,
    batch_rows,
    can_receive,
    can_send,
    holdings_of,
    sendable_units,
    visible_batches,
    visible_holdings,
)

PRINTS = {
    ("list", "pdf"): (printed.list_pdf, "移交清单", "application/pdf"),
    ("list", "xlsx"): (printed.list_xlsx, "移交清单", XLSX),
    ("record", "pdf"): (printed.record_pdf, "档案交接文据", "application/pdf"),
    ("record", "xlsx"): (printed.record_xlsx, "档案交接文据", XLSX),
}


def _done(request: HttpRequest, call: Callable[[], str]) -> bool:
    """Run a write; its Chinese outcome or every refusal goes to the page's messages."""
    try:
        messages.success(request, call())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "没有权限办理此项。")
        return False
    return True


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    if not (scope.has(Cap.DATA_READ) or scope.has(Cap.RECEIVE)):
        raise PermissionDenied("移交与接收需要查阅档案或接收进馆的权限。")
    if request.method == "POST":
        return _plan(request)
    batches = list(visible_batches(request.user)[:300])
    units = list(sendable_units(request.user))
    context = {
        "sending": [b for b in batches if can_send(request.user, b)],
        "incoming": [b for b in batches if can_receive(request.user, b)],
        "others": [
            b for b in batches if not can_send(request.user, b) and not can_receive(request.user, b)
        ],
        "units": units,
        "synchronous": set(
            SyncReceiving.objects.filter(unit__in=units, enabled=True).values_list(
                "unit_id", flat=True
            )
        ),
        "categories": Category.choices,
        "retentions": retention.choices(),
        "natures": Nature.choices,
    }
    return render(request, "transfer/index.html", context)


def _plan(request: HttpRequest) -> HttpResponse:
    post = request.POST
    unit_id, first, last = (post.get(k, "").strip() for k in ("unit", "first", "last"))
    if not unit_id.isdigit():
        messages.error(request, "请选择移交单位。")
        return redirect("transfer:index")
    if any(v and not v.isdigit() for v in (first, last)):
        messages.error(request, "年度须为四位数字。")
        return redirect("transfer:index")
    # One end given: everything from the first year, or up to the last.
    years = (int(first or 0), int(last or 9999)) if first or last else None
    made = []

    def plan() -> str:
        batch = services.batch_plan(
            actor=request.user, unit_id=int(unit_id), years=years,
            categories=post.getlist("category"), retentions=post.getlist("retention"),
            households=post.get("households") == "1", early_reason=post.get("early_reason", ""),
            nature=post.get("nature", Nature.TRANSFER),
        )  # fmt: skip
        made.append(batch)
        return f"已制定移交计划 {batch.number}：请逐件处理受阻档案、划定开放或控制后生成移交包。"

    if _done(request, plan):
        return redirect("transfer:batch", transfer_id=made[0].pk)
    return redirect("transfer:index")


@login_required
@require_POST
def sync(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    enabled = request.POST.get("enabled") == "1"

    def switch() -> str:
        setting = services.sync_receiving_set(actor=request.user, unit_id=unit.pk, enabled=enabled)
        state = "开启" if setting.enabled else "关闭"
        return f"{unit.name}已{state}同步接收：每年已归档的档案自动提交{setting.archives.name}。"

    _done(request, switch)
    return redirect("transfer:index")


@login_required
def batch(request: HttpRequest, transfer_id: int) -> HttpResponse:
    found = access_batch(request.user, transfer_id)
    if request.method == "POST":
        _batch_post(request, found.pk)
        return redirect("transfer:batch", transfer_id=found.pk)
    sender, receiver = can_send(request.user, found), can_receive(request.user, found)
    rows = batch_rows(found, blockers=sender and found.status == BatchStatus.PLANNED)
    context = {
        "batch": found,
        "rows": rows,
        "blocked": sum(1 for r in rows if r.blockers),
        "sender": sender,
        "receiver": receiver,
        "markings": AccessMarking.choices,
        "holdings": holdings_of(found) if found.status == BatchStatus.ACCEPTED else [],
    }
    return render(request, "transfer/batch.html", context)


def _batch_post(request: HttpRequest, batch_id: int) -> None:
    post, actor = request.POST, request.user
    sign = {k: post.get(k, "") for k in ("leader", "name", "opinion")}

    def drop() -> str:
        count = services.batch_drop_blocked(actor=actor, batch_id=batch_id)
        return f"已移出受阻档案 {count} 件（卷）。"

    def build() -> str:
        done = services.batch_build(actor=actor, batch_id=batch_id)
        return f"已生成移交包 {done.package_name}，四性检测全部通过。"

    def send() -> str:
        done = services.batch_send(actor=actor, batch_id=batch_id, **sign)
        return f"已签署并移交 {done.number}，等待档案馆接收。"

    def cancel() -> str:
        reason = post.get("reason", "")
        done = services.batch_cancel(actor=actor, batch_id=batch_id, reason=reason)
        return f"已撤销移交批次 {done.number}。"

    def accept() -> str:
        done = services.batch_accept(actor=actor, batch_id=batch_id, **sign)
        return f"已接收 {done.number}，档案已归入本馆独立全宗。"

    calls: dict[str, Callable[[], str]] = {
        "mark": lambda: _mark(request, batch_id),
        "drop": drop,
        "build": build,
        "send": send,
        "cancel": cancel,
        "check": lambda: _check(actor, batch_id),
        "accept": accept,
        "return": lambda: _return(request, batch_id),
    }
    action = post.get("action", "")
    if action not in calls:
        messages.error(request, "未知的操作。")
        return
    _done(request, calls[action])


def _mark(request: HttpRequest, batch_id: int) -> str:
    marking = request.POST.get("marking", "")
    count = services.batch_mark(
        actor=request.user, batch_id=batch_id, marking=marking,
        reason=request.POST.get("marking_reason", ""),
        item_ids=_ids(request, "item"), volume_ids=_ids(request, "volume"),
    )  # fmt: skip
    return f"已将 {count} 件（卷）划为“{AccessMarking(marking).label}”。"


def _check(actor: object, batch_id: int) -> str:
    found = services.batch_receipt_check(actor=actor, batch_id=batch_id)
    if found.ok:
        return f"接收检测通过（检测记录 #{found.run.pk}），可以签署接收。"
    raise ValidationError(
        [f"接收检测未通过（检测记录 #{found.run.pk}），请退回：", *found.problems[:50]]
    )


def _return(request: HttpRequest, batch_id: int) -> str:
    per_record = {
        int(key.removeprefix("return-")): text
        for key in request.POST
        if key.startswith("return-") and key.removeprefix("return-").isdigit()
        if (text := request.POST.get(key, "").strip())
    }
    done = services.batch_return(
        actor=request.user, batch_id=batch_id, reason=request.POST.get("reason", ""),
        record_reasons=per_record,
    )  # fmt: skip
    return f"已退回 {done.number}：{done.return_reason}"


@login_required
def print_form(request: HttpRequest, transfer_id: int, form: str, fmt: str) -> HttpResponse:
    found = access_batch(request.user, transfer_id)
    if (form, fmt) not in PRINTS:
        raise Http404("没有这种打印格式。")
    make, title, content_type = PRINTS[(form, fmt)]
    return download(make(found), f"{title}-{found.number}.{fmt}", content_type)


@login_required
def holdings(request: HttpRequest) -> HttpResponse:
    found = visible_holdings(request.user)
    text = request.GET.get("q", "").strip()
    if text:
        found = found.filter(archives_code__icontains=text) | found.filter(
            original_code__icontains=text
        )
    context = {"holdings": found.order_by("fonds_id", "year", "number")[:500], "q": text}
    return render(request, "transfer/holdings.html", context)
