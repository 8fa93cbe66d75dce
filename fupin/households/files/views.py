"""The household file's pages: checklist, filing documents, exit acceptance, assistance."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from fupin.households.files import dossier
from fupin.households.files.forms import (
    DocumentForm,
    IncomeForm,
    MeasureForm,
    OfficerForm,
    RelocationForm,
)
from fupin.households.registry.selectors import access_household


def _submit(
    request: HttpRequest,
    household_id: int,
    form_class: type[forms.Form],
    call: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Validate the form, call the service with the household, report in Chinese, go back."""
    access_household(request.user, household_id)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    else:
        try:
            call(actor=request.user, household_id=household_id, **form.cleaned_data)
            messages.success(request, done)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("households:detail", household_id=household_id)


@login_required
@require_POST
def document_add(request: HttpRequest, household_id: int) -> HttpResponse:
    for refused in getattr(request, "upload_errors", []):
        messages.error(request, refused)

    def call(*, file: Any = None, **data: Any) -> Any:
        name = file.name if file else ""
        return dossier.household_document_add(stream=file, filename=name, **data)

    return _submit(request, household_id, DocumentForm, call, "材料已挂接到本户档案。")


@login_required
@require_POST
def document_remove(request: HttpRequest, household_id: int, document_id: int) -> HttpResponse:
    access_household(request.user, household_id)
    try:
        dossier.household_document_remove(
            actor=request.user, household_id=household_id, document_id=document_id
        )
        messages.success(request, "已从本户档案中撤下该材料。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("households:detail", household_id=household_id)


@login_required
@require_POST
def exit_accept(request: HttpRequest, household_id: int) -> HttpResponse:
    return _submit(
        request,
        household_id,
        forms.Form,
        dossier.household_exit_accept,
        "脱贫验收已通过，档案齐全。",
    )


@login_required
@require_POST
def officer_add(request: HttpRequest, household_id: int) -> HttpResponse:
    return _submit(
        request, household_id, OfficerForm, dossier.household_officer_add, "已登记帮扶责任人。"
    )


@login_required
@require_POST
def measure_add(request: HttpRequest, household_id: int) -> HttpResponse:
    return _submit(
        request, household_id, MeasureForm, dossier.household_measure_add, "已登记帮扶措施。"
    )


@login_required
@require_POST
def income_set(request: HttpRequest, household_id: int) -> HttpResponse:
    return _submit(
        request, household_id, IncomeForm, dossier.household_income_set, "已保存年度收入核算。"
    )


@login_required
@require_POST
def relocation_link(request: HttpRequest, household_id: int) -> HttpResponse:
    return _submit(
        request,
        household_id,
        RelocationForm,
        dossier.household_relocation_link,
        "已关联易地扶贫搬迁档案。",
    )
