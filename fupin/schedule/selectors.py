"""Reads of the schedule: the version in force for a place, its rows, and refinements in scope."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.filing.models import FilingStatus
from fupin.filing.services import decider_offices
from fupin.regions.models import CODE_LENGTH, Unit
from fupin.schedule.models import ScheduleRow, ScheduleVersion

BASE_REGION = "42"


def base_version() -> ScheduleVersion | None:
    return ScheduleVersion.objects.filter(parent__isnull=True).order_by("-effective_from").first()


def version_in_force(
    *, region_code: str = "", unit: Unit | None = None, on: date | None = None
) -> ScheduleVersion | None:
    """The most specific accepted version: the unit's own, else the deepest region's, else base."""
    on = on or date.today()
    code = unit.region_id if unit else region_code
    accepted = ScheduleVersion.objects.filter(status=FilingStatus.ACCEPTED, effective_from__lte=on)
    if unit is not None:
        own = accepted.filter(owner_unit=unit).order_by("-effective_from", "-pk").first()
        if own:
            return own
    # The owners up the chain are the code's prefixes: one indexed IN, deepest wins.
    prefixes = [code[:n] for n in CODE_LENGTH.values() if n <= len(code)]
    regional = (
        accepted.filter(owner_region_id__in=prefixes, parent__isnull=False)
        .annotate(depth=Length("owner_region_id"))
        .order_by("-depth", "-effective_from", "-pk")
        .first()
    )
    if regional:
        return regional
    return base_version()


def version_chain(version: ScheduleVersion) -> list[ScheduleVersion]:
    chain = [version]
    while chain[-1].parent_id:
        chain.append(chain[-1].parent)  # type: ignore[arg-type]
    return chain


def rows_in_force(version: ScheduleVersion | None) -> list[ScheduleRow]:
    """Base rows in printed order, each followed by the sub-items added along the chain."""
    if version is None:
        return []
    chain = version_chain(version)
    rows = ScheduleRow.objects.filter(version__in=chain).select_related(
        "version__owner_region", "version__owner_unit"
    )
    base = [r for r in rows if r.parent_row_id is None]
    subs: dict[int, list[ScheduleRow]] = {}
    for row in rows:
        if row.parent_row_id:
            subs.setdefault(row.parent_row_id, []).append(row)
    ordered: list[ScheduleRow] = []
    for row in sorted(base, key=lambda r: r.position):
        ordered.append(row)
        ordered.extend(sorted(subs.get(row.pk, []), key=lambda r: (r.version_id, r.position)))
    return ordered


def rows_matching(version: ScheduleVersion | None, **match: object) -> QuerySet[ScheduleRow]:
    """The rows of the version's chain (base rows and sub-items along it) that match, in order."""
    if version is None:
        return ScheduleRow.objects.none()
    rows = ScheduleRow.objects.filter(version__in=version_chain(version), **match)
    return rows.order_by("position", "pk")


def row_in_force(version: ScheduleVersion | None, **match: object) -> ScheduleRow | None:
    """One row of the version's chain (a base row or a sub-item along it), without the rest."""
    return rows_matching(version, **match).first()


def filter_rows(
    rows: list[ScheduleRow], *, level: str = "", category: str = "", q: str = ""
) -> list[ScheduleRow]:
    q = "".join(q.split())
    return [
        r
        for r in rows
        if (not level or r.level == level)
        and (not category or category in (r.category, r.get_category_display()))
        and (not q or q in r.scope_text or q in r.responsible_units)
    ]


def context_version(actor: Any) -> ScheduleVersion | None:
    """The version in force where the actor works (their first grant), for the browser."""
    grants = user_scope(actor).grants
    if not grants:
        return base_version()
    first = grants[0]
    if first.unit_id:
        return version_in_force(unit=Unit.objects.get(pk=first.unit_id))
    return version_in_force(region_code=first.region_code or BASE_REGION)


def can_author(actor: Any, version: ScheduleVersion) -> bool:
    scope = user_scope(actor)
    if version.owner_unit_id:
        return version.owner_unit_id in scope.unit_ids(Cap.SCHEDULE_REFINE)
    return version.owner_region_id in scope.prefixes(Cap.SCHEDULE_REFINE)


def refinements_q(actor: Any) -> Q:
    scope = user_scope(actor)
    owned = scope.region_q(Cap.SCHEDULE_REFINE, "owner_region__code") | scope.unit_q(
        Cap.SCHEDULE_REFINE, "owner_unit", "owner_unit__region__code"
    )
    deciding: list[str] = [*scope.prefixes(Cap.FILING_POVERTY), *scope.prefixes(Cap.FILING_ARCHIVE)]
    to_decide = Q(pk__in=[])
    for code in set(deciding):
        to_decide |= Q(owner_unit__region_id=code) | Q(owner_region__parent_id=code)
    if scope.everything:
        return Q(parent__isnull=False)
    return Q(parent__isnull=False) & (owned | to_decide)


def visible_refinements(actor: Any) -> QuerySet[ScheduleVersion]:
    return ScheduleVersion.objects.filter(refinements_q(actor)).select_related(
        "owner_region", "owner_unit", "parent"
    )


def access_refinement(actor: Any, refinement_id: int) -> ScheduleVersion:
    version = visible_refinements(actor).filter(pk=refinement_id).first()
    if version is None:
        raise Http404("未找到该细化方案，或不在您的管辖范围内。")
    return version


def pending_for(actor: Any) -> list[ScheduleVersion]:
    """Submitted refinements still waiting for an answer from an office the actor speaks for."""
    waiting = []
    for version in visible_refinements(actor).filter(status=FilingStatus.SUBMITTED):
        answered = set(
            version.decisions.filter(round=version.round).values_list("office", flat=True)
        )
        if set(decider_offices(actor, version)) - answered:
            waiting.append(version)
    return waiting


def home_panel(actor: Any) -> dict[str, Any] | None:
    """Refinements waiting for this person's office, for the home page."""
    pending = pending_for(actor)
    if not pending:
        return None
    return {"template": "schedule/home_panel.html", "pending": pending}
