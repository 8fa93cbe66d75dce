"""The registry's pages: the household list and an import batch's changes."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.households.listing import listed
from fupin.households.models import HouseholdStatus
from fupin.households.registry.selectors import (
    access_batch,
    search_households,
    shown_change_value,
)

PER_PAGE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    village = request.GET.get("village", "")
    status = request.GET.get("status", "")
    found = search_households(request.user, text, village, status)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    # The page's rows as plain rows; the count stays on the households alone (the rows' join
    # to their villages would be counted too).
    page.object_list = listed(page.object_list)
    context = {
        "page": page,
        "q": text,
        "village": village,
        "status": status,
        "statuses": HouseholdStatus.choices,
        "can_import": user_scope(request.user).has(Cap.DATA_WRITE),
    }
    return render(request, "households/index.html", context)


@login_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    found, changes, totals = access_batch(request.user, batch_id)
    page = Paginator(changes, 200).get_page(request.GET.get("page"))
    for change in page:
        change.shown_before = shown_change_value(change, change.before)
        change.shown_after = shown_change_value(change, change.after)
    context = {"batch": found, "page": page, "totals": totals}
    return render(request, "households/batch.html", context)
