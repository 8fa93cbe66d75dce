"""Signed-in pages: expiring records, the appraisal group, appraisals, registers, holds,
the archives' opening review."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fupin.core.downloads import download
from fupin.disposal import services
from fupin.disposal.models import GroupMember, GroupRole, HoldKind, RegisterStatus
from fupin.disposal.opening import opening_date
from fupin.disposal.printed import appraisal_form, destruction_certificate, register_form
from fupin.disposal.selectors import (
    access_appraisal,
    access_register,
    custody_unit,
    custody_units,
    expiring_items,
    expiry_groups,
    opening_queue,
    registers_to_file,
    visible_appraisals,
    visible_holds,
    visible_registers,
)
from fupin.schedule import retention

MONTH_CHOICES = (0, 1, 3, 6, 12, 24)


def _months(request: HttpRequest) -> int:
    text = request.GET.get("months", "3")
    return int(text) if text.isdigit() and int(text) in MONTH_CHOICES else 3


def _done(request: HttpRequest, call: Callable[[], str], back: str, **kwargs: int) -> HttpResponse:
    try:
        messages.success(request, call())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(back, **kwargs)


def _ids(request: HttpRequest, name: str = "item") -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    items = expiring_items(request.user, months=months, today=timezone.localdate())
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        items = items.filter(unit_id=int(unit_id))
    context = {
        "months": months,
        "month_choices": MONTH_CHOICES,
        "groups": expiry_groups(items),
        "items": items[:500],
        "total": items.count(),
        "units": custody_units(request.user),
        "unit_id": unit_id,
        "today": timezone.localdate(),
        "appraisals": visible_appraisals(request.user)[:20],
        "registers": visible_registers(request.user)[:20],
        "to_file": registers_to_file(request.user),
    }
    return render(request, "disposal/index.html", context)


@login_required
def group(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = custody_unit(request.user, unit_id)
    if request.method == "POST":
        post = request.POST

        def add() -> str:
            member = services.group_member_add(
                actor=request.user, unit_id=unit.pk, name=post.get("name", ""),
                post=post.get("post", ""), role=post.get("role", "member"),
            )  # fmt: skip
            return f"已登记：{member}"

        return _done(request, add, "disposal:group", unit_id=unit.pk)
    members = GroupMember.objects.filter(unit=unit, active=True)
    return render(
        request,
        "disposal/group.html",
        {"unit": unit, "members": members, "roles": GroupRole.choices},
    )


@login_required
@require_POST
def appraisal_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    try:
        made = services.appraisal_create(
            actor=request.user, unit_id=unit_id, item_ids=_ids(request)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("disposal:index")
    messages.success(request, f"已发起鉴定 {made.number}，请鉴定小组逐件填写意见。")
    return redirect("disposal:appraisal", appraisal_id=made.pk)


@login_required
def appraisal(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    found = access_appraisal(request.user, appraisal_id)
    if request.method == "POST":
        return _appraisal_post(request, found.pk)
    entries = found.entries.select_related("item").order_by("item__year", "item__reference_code")
    rows = [
        (e, retention.ends_on(e.item.year, e.item.appraised_retention or e.item.retention))
        for e in entries
    ]
    context = {
        "appraisal": found,
        "rows": rows,
        "options": retention.choices(),
        "registers": found.registers.all(),
    }
    return render(request, "disposal/appraisal.html", context)


def _appraisal_post(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    post, user = request.POST, request.user

    def conclude() -> str:
        done = services.appraisal_conclude(
            actor=user, appraisal_id=appraisal_id, opinion=post.get("opinion", "")
        )
        return f"{done}已完成。"

    def make_register() -> str:
        made = services.register_create(
            actor=user, appraisal_id=appraisal_id, supervisor_1=post.get("supervisor_1", ""),
            supervisor_2=post.get("supervisor_2", ""),
        )  # fmt: skip
        return f"已编制{made}，请交分管领导审批。"

    for key, call in (("conclude", conclude), ("register", make_register)):
        if key in post:
            return _done(request, call, "disposal:appraisal", appraisal_id=appraisal_id)
    decisions = [
        {
            "item_id": item_id,
            "decision": post.get(f"decision-{item_id}", ""),
            "new_retention": post.get(f"retention-{item_id}", ""),
            "reason": post.get(f"reason-{item_id}", ""),
        }
        for item_id in _ids(request)
        if post.get(f"decision-{item_id}")
    ]
    return _done(
        request,
        lambda: (
            f"已保存 {len(decisions)} 条鉴定意见。"
            if services.appraisal_decide(
                actor=request.user, appraisal_id=appraisal_id, decisions=decisions
            )
            else ""
        ),
        "disposal:appraisal",
        appraisal_id=appraisal_id,
    )


@login_required
def appraisal_print(request: HttpRequest, appraisal_id: int, fmt: str) -> HttpResponse:
    found = access_appraisal(request.user, appraisal_id)
    return _download(appraisal_form(found, fmt), f"到期档案鉴定表-{found.number}.{fmt}", fmt)


def _download(body: bytes, filename: str, fmt: str) -> HttpResponse:
    kind = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    return download(body, filename, kind)


@login_required
def register(request: HttpRequest, register_id: int) -> HttpResponse:
    found = access_register(request.user, register_id)
    if request.method == "POST":
        return _register_post(request, found.pk)
    context = {
        "register": found,
        "entries": found.entries.all(),
        "files": found.files.select_related("item"),
        "is_custodian": custody_units(request.user).filter(pk=found.unit_id).exists(),
        "can_file": registers_to_file(request.user).filter(pk=found.pk).exists(),
        "statuses": RegisterStatus,
    }
    return render(request, "disposal/register.html", context)


def _register_post(request: HttpRequest, register_id: int) -> HttpResponse:
    post, user = request.POST, request.user
    actions: dict[str, Callable[[], object]] = {
        "approve": lambda: services.register_approve(
            actor=user, register_id=register_id, approved=True,
            approver_name=post.get("approver", ""), opinion=post.get("opinion", ""),
        ),
        "refuse": lambda: services.register_approve(
            actor=user, register_id=register_id, approved=False,
            approver_name=post.get("approver", ""), opinion=post.get("opinion", ""),
        ),
        "file": lambda: services.register_file(
            actor=user, register_id=register_id, accepted=True, opinion=post.get("opinion", "")
        ),
        "return": lambda: services.register_file(
            actor=user, register_id=register_id, accepted=False, opinion=post.get("opinion", "")
        ),
        "destroy": lambda: services.register_destroy(
            actor=user, register_id=register_id,
            supervisors=[post.get("supervisor_1", ""), post.get("supervisor_2", "")],
            method=post.get("method", ""), place=post.get("place", ""),
            paper_destroyed=post.get("paper_destroyed") == "1",
        ),
    }  # fmt: skip
    action = next((a for a in actions if a in post), "")
    if not action:
        messages.error(request, "请选择要办理的步骤。")
        return redirect("disposal:register", register_id=register_id)
    return _done(
        request,
        lambda: f"{actions[action]()}：已办理。",
        "disposal:register",
        register_id=register_id,
    )


@login_required
def register_print(request: HttpRequest, register_id: int, fmt: str) -> HttpResponse:
    found = access_register(request.user, register_id)
    return _download(register_form(found, fmt), f"销毁清册-{found.number}.{fmt}", fmt)


@login_required
def certificate(request: HttpRequest, register_id: int) -> HttpResponse:
    found = access_register(request.user, register_id)
    try:
        body = destruction_certificate(found)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("disposal:register", register_id=found.pk)
    return _download(body, f"销毁证明-{found.number}.pdf", "pdf")


@login_required
def holds(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        unit = post.get("unit", "")

        def hold() -> str:
            made = services.hold_set(
                actor=request.user, unit_id=int(unit) if unit.isdigit() else 0,
                codes=[post.get("codes", "")], kind=post.get("kind", ""),
                reason=post.get("reason", ""),
            )  # fmt: skip
            return f"已设{made}。"

        return _done(request, hold, "disposal:holds")
    context = {
        "holds": visible_holds(request.user),
        "units": custody_units(request.user),
        "kinds": HoldKind.choices,
    }
    return render(request, "disposal/holds.html", context)


@login_required
@require_POST
def hold_lift(request: HttpRequest, hold_id: int) -> HttpResponse:
    def lift() -> str:
        reason = request.POST.get("reason", "")
        return f"已解除{services.hold_lift(actor=request.user, hold_id=hold_id, reason=reason)}。"

    return _done(request, lift, "disposal:holds")


@login_required
def opening(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        post = request.POST

        def decide() -> str:
            made = services.opening_decide(
                actor=request.user, item_ids=_ids(request), decision=post.get("decision", ""),
                reason=post.get("reason", ""), release_files=post.get("release") == "1",
            )  # fmt: skip
            return f"已审核 {len(made)} 件。"

        return _done(request, decide, "disposal:opening")
    today = timezone.localdate()
    rows = [(i, opening_date(i.year, i.access_marking)) for i in opening_queue(request.user, today)]
    return render(request, "disposal/opening.html", {"rows": rows, "today": today})
