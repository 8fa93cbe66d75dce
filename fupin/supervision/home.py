"""The home page's reminders: reports due before the quarter's deadline, returned reports,
reports waiting for this person's decision, overdue rectification orders."""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import ROLE_CAPS
from fupin.regions.models import Region, Unit
from fupin.supervision.inspections.selectors import overdue_orders
from fupin.supervision.models import QuarterReport, ReportStatus
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.selectors import FILE_CAPS, awaiting_decision


def _own_subjects(actor: Any) -> tuple[list[Region], list[Unit]]:
    """What this person reports for: the regions of their grants and their units."""
    scope = user_scope(actor)
    codes = {g.region_code for g in scope.grants if g.region_code and _files(g.role)}
    ids = {g.unit_id for g in scope.grants if g.unit_id and _files(g.role)}
    return list(Region.objects.filter(code__in=codes)), list(Unit.objects.filter(pk__in=ids))


def _files(role: str) -> bool:
    return any(cap in ROLE_CAPS[role] for cap in FILE_CAPS)


def home_panel(actor: Any) -> dict[str, Any] | None:
    today = timezone.localdate()
    quarter = Quarter.of(today)
    days_left = (quarter.deadline - today).days
    regions, units = _own_subjects(actor)
    mine = QuarterReport.objects.filter(Q(region__in=regions) | Q(unit__in=units))
    sent = set(
        mine.filter(
            quarter=str(quarter), status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        ).values_list("region_id", "unit_id")
    )
    due = [r.name for r in regions if (r.code, None) not in sent]
    due += [u.name for u in units if (None, u.pk) not in sent]
    window = int(getattr(settings, "FUPIN_REPORT_REMINDER_DAYS", 15))
    panel = {
        "template": "supervision/home_panel.html",
        "quarter": quarter,
        "days_left": days_left,
        "due": due if days_left <= window else [],
        "returned": list(
            mine.filter(status=ReportStatus.RETURNED).select_related("region", "unit")
        ),
        "awaiting": awaiting_decision(actor).count(),
        "overdue": overdue_orders(actor).count(),
    }
    if not (panel["due"] or panel["returned"] or panel["awaiting"] or panel["overdue"]):
        return None
    return panel
