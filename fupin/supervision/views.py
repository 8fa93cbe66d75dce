"""The supervision landing page: this quarter's reports of the reader's regions, reports
awaiting their decision, overdue rectification orders."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fupin.accounts.access import scope_roots, visible_units
from fupin.supervision.inspections.selectors import overdue_orders
from fupin.supervision.reports.quarters import Quarter, pickable
from fupin.supervision.reports.selectors import awaiting_decision, subordinates


def _quarter(request: HttpRequest) -> Quarter:
    try:
        return Quarter.parse(request.GET.get("quarter", ""))
    except ValidationError:
        return Quarter.of(timezone.localdate())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    roots = list(scope_roots(request.user))
    context = {
        "quarter": quarter,
        "quarters": pickable(),
        "roots": [(r, subordinates(r, quarter)) for r in roots],
        "units": visible_units(request.user)[:50],
        "awaiting": awaiting_decision(request.user)[:50],
        "overdue": overdue_orders(request.user)[:50],
    }
    return render(request, "supervision/index.html", context)
