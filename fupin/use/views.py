from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fupin.accounts.access import visible_units
from fupin.accounts.roles import Cap
from fupin.use import services
from fupin.use.forms import ApproveForm, LoanForm, RefuseForm, RequestForm
from fupin.use.selectors import (
    access_request,
    can_decide,
    is_active,
    my_requests,
    overdue_loans,
    requests_to_decide,
    visible_loans,
)


def _lending_units(request: HttpRequest):
    units = visible_units(request.user, Cap.USE_APPROVE).select_related("region__parent")
    return units.order_by("region_id", "name")


def _errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = {"requests": my_requests(request.user), "form": RequestForm(), "now": timezone.now()}
    return render(request, "use/index.html", context)


@login_required
@require_POST
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("use:index")
    try:
        made = services.use_request_create(
            actor=request.user,
            codes=[form.cleaned_data["codes"]],
            purpose=form.cleaned_data["purpose"],
            days=form.cleaned_data["days"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("use:index")
    messages.success(request, f"已提交{made}，请等待{made.unit.name}的档案员审批。")
    return redirect("use:request_detail", request_id=made.pk)


@login_required
def to_decide(request: HttpRequest) -> HttpResponse:
    context = {"requests": requests_to_decide(request.user), "now": timezone.now()}
    return render(request, "use/to_decide.html", context)


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    found = access_request(request.user, request_id)
    context = {
        "req": found,
        "active": is_active(found),
        "mine": found.requester_id == request.user.pk,
        "decider": can_decide(request.user, found),
        "approve_form": ApproveForm(initial={"days": found.days}),
        "refuse_form": RefuseForm(),
    }
    return render(request, "use/request_detail.html", context)


def _decide(request: HttpRequest, request_id: int, form, call) -> HttpResponse:
    access_request(request.user, request_id)
    if form.is_valid():
        try:
            done = call(**form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已审批：{done}，结果为“{done.get_status_display()}”。")
    else:
        _errors(request, form)
    return redirect("use:request_detail", request_id=request_id)


@login_required
@require_POST
def approve(request: HttpRequest, request_id: int) -> HttpResponse:
    def call(days: int | None):
        return services.use_request_approve(actor=request.user, request_id=request_id, days=days)

    return _decide(request, request_id, ApproveForm(request.POST), call)


@login_required
@require_POST
def refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    def call(reason: str):
        return services.use_request_refuse(actor=request.user, request_id=request_id, reason=reason)

    return _decide(request, request_id, RefuseForm(request.POST), call)


@login_required
@require_POST
def withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    """End a grant now: the custodian takes back what was granted."""
    access_request(request.user, request_id)
    try:
        services.use_grant_shorten(
            actor=request.user, request_id=request_id, expires_at=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已收回授权，申请人不能再查阅这些档案。")
    return redirect("use:request_detail", request_id=request_id)


@login_required
def loans(request: HttpRequest) -> HttpResponse:
    units = _lending_units(request)
    form = LoanForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        data["codes"] = [data["codes"]]
        try:
            loan = services.loan_create(actor=request.user, unit_id=unit.pk, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已登记{loan}。")
            return redirect("use:loans")
    context = {
        "loans": visible_loans(request.user),
        "form": form if units.exists() else None,
        "today": timezone.localdate(),
    }
    return render(request, "use/loans.html", context)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    context = {"loans": overdue_loans(request.user), "today": timezone.localdate()}
    return render(request, "use/overdue.html", context)


@login_required
@require_POST
def loan_return(request: HttpRequest, loan_id: int) -> HttpResponse:
    try:
        loan = services.loan_return(actor=request.user, loan_id=loan_id)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{loan}已登记归还。")
    return redirect("use:loans")
