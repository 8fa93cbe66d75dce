"""Signed-in pages: expiring records, the appraisal group, appraisals, registers, holds,
the archives' opening review."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fupin.core.downloads import download
from fupin.disposal import services
from fupin.disposal.models import (
    CertificateKind,
    GroupMember,
    GroupRole,
    HoldKind,
    RegisterStatus,
)
from fupin.disposal.opening import opening_date
from fupin.disposal.printed import (
    appraisal_form,
    certificate_document,
    destruction_certificate,
    register_form,
)
from fupin.disposal.selectors import (
    access_appraisal,
    access_certificate,
    access_register,
    custody_unit,
    custody_units,
    expiring_items,
    expiry_groups,
    household_id_by_no,
    item_id_by_code,
    opening_queue,
    registers_to_file,
    visible_appraisals,
    visible_certificates,
    visible_holds,
    visible_registers,
    visible_walkins,
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


# ------------------------------------------- villagers' own use (查档登记 and 档案证明)


def _int(text: str | None) -> int:
    return int(text) if text and text.strip().isdigit() else 0


@login_required
def walkins(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        post = request.POST

        def register() -> str:
            household = household_id_by_no(request.user, post.get("household_no", ""))
            if post.get("household_no", "").strip() and household is None:
                raise ValidationError(f"未找到户编号 {post.get('household_no')}。")
            made = services.walkin_register(
                actor=request.user, unit_id=_int(post.get("unit")),
                visitor_name=post.get("visitor_name", ""), id_number=post.get("id_number", ""),
                purpose=post.get("purpose", ""), consulted=post.get("consulted", ""),
                copies=_int(post.get("copies")), household_id=household,
            )  # fmt: skip
            return f"已登记：{made}。"

        return _done(request, register, "disposal:walkins")
    context = {
        "walkins": visible_walkins(request.user)[:200],
        "units": custody_units(request.user),
    }
    return render(request, "disposal/walkins.html", context)


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _certificate_issue(request)
    context = {
        "certificates": visible_certificates(request.user)[:200],
        "units": custody_units(request.user),
        "kinds": CertificateKind.choices,
        "walkin": request.GET.get("walkin", ""),
    }
    return render(request, "disposal/certificates.html", context)


def _certificate_issue(request: HttpRequest) -> HttpResponse:
    post, user = request.POST, request.user
    unit_id, kind = _int(post.get("unit")), post.get("kind", "")
    try:
        household = item = None
        if kind == CertificateKind.HOUSEHOLD:
            household = household_id_by_no(user, post.get("household_no", ""))
            if household is None:
                raise ValidationError(f"未找到户编号“{post.get('household_no', '')}”的农户。")
        elif kind == CertificateKind.COPY:
            item = item_id_by_code(user, unit_id, post.get("code", ""))
            if item is None:
                raise ValidationError(f"所选单位保管的档案中没有档号“{post.get('code', '')}”。")
        made = services.certificate_issue(
            actor=user, unit_id=unit_id, kind=kind, household_id=household, item_id=item,
            walk_in_id=_int(post.get("walkin")) or None,
        )  # fmt: skip
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("disposal:certificates")
    messages.success(request, f"已出具{made}，请打印后盖章交付。")
    return redirect("disposal:certificate", certificate_id=made.pk)


@login_required
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = access_certificate(request.user, certificate_id)
    if request.method == "POST":

        def revoke() -> str:
            reason = request.POST.get("reason", "")
            done = services.certificate_revoke(
                actor=request.user, certificate_id=found.pk, reason=reason
            )
            return f"已撤销{done}。"

        return _done(request, revoke, "disposal:certificate", certificate_id=found.pk)
    return render(request, "disposal/certificate.html", {"certificate": found})


@login_required
def certificate_print(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = access_certificate(request.user, certificate_id)
    url = request.build_absolute_uri(reverse("public:verify", args=[found.code]))
    body, notes = certificate_document(found, url)
    for note in notes:
        messages.warning(request, note)
    return download(body, f"档案证明-{found.number}.pdf", "application/pdf")
