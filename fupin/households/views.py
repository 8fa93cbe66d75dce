"""The household's page: its registration (the registry) and its file (一户一档) together."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fupin.households.files.forms import (
    DocumentForm,
    IncomeForm,
    MeasureForm,
    OfficerForm,
    RelocationForm,
)
from fupin.households.files.rollup import file_overview
from fupin.households.registry.selectors import (
    access_household,
    can_reveal,
    household_history,
    household_members,
    member_table,
    shown_change_value,
    shown_phone,
)
from fupin.households.registry.services import household_reveal


@login_required
def detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household(request.user, household_id)
    reveal = request.GET.get("reveal") == "1"
    if reveal:
        household_reveal(actor=request.user, household=household)
    history = list(household_history(household))
    for change in history:
        change.shown_before = shown_change_value(change, change.before, reveal)
        change.shown_after = shown_change_value(change, change.after, reveal)
    context = {
        "household": household,
        "phone": shown_phone(household.phone, reveal),
        "members": member_table(household_members(household), reveal),
        "history": history,
        "revealed": reveal,
        "can_reveal": can_reveal(request.user, household),
        **file_overview(request.user, household, reveal),
        "document_form": DocumentForm(),
        "officer_form": OfficerForm(),
        "measure_form": MeasureForm(),
        "income_form": IncomeForm(),
        "relocation_form": RelocationForm(),
    }
    return render(request, "households/detail.html", context)
