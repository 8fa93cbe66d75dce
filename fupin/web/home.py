"""What each person needs to do in their scope, gathered for the home page."""

from typing import Any

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from fupin.accounts.access import audit_q, scope_roots, user_scope, visible_units, visible_users
from fupin.accounts.roles import Cap, Role
from fupin.accounts.scoped_cache import scoped_cached
from fupin.audit.models import AuditEvent
from fupin.custody.home import home_panel as custody_panel
from fupin.disposal.home import home_panel as disposal_panel
from fupin.households.files.rollup_views import households_panel
from fupin.objects.home import home_panel as objects_panel
from fupin.regions.models import Level
from fupin.schedule.selectors import home_panel as schedule_panel
from fupin.supervision.home import home_panel as supervision_panel


def _grants(user: Any) -> list[dict[str, str]]:
    from fupin.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.filter(user=user).select_related("region", "unit")
    return [{"role": Role(a.role).label, "scope": a.scope_label} for a in rows]


def _region_panel(user: Any) -> dict[str, Any]:
    roots = list(scope_roots(user).annotate(children_count=Count("children")))
    units = visible_units(user)
    missing_people = units.filter(Q(archivists="") | Q(leader=""))
    return {
        "kind": "regions",
        "roots": roots,
        "unit_count": units.count(),
        "units_missing_people": list(missing_people[:10]),
        "units_missing_count": missing_people.count(),
    }


def _admin_panel(user: Any) -> dict[str, Any]:
    users = visible_users(user)
    return {
        "kind": "admin",
        "user_count": users.count(),
        "inactive_count": users.filter(is_active=False).count(),
        "unassigned": list(users.filter(assignments__isnull=True)[:10]),
        "must_change": users.filter(must_change_password=True).count(),
    }


def _auditor_panel(user: Any) -> dict[str, Any]:
    events = AuditEvent.objects.filter(audit_q(user))
    return {
        "kind": "auditor",
        "failed_logins": list(events.filter(action="auth.login_failed").order_by("-seq")[:10]),
        "permission_changes": list(events.filter(action__startswith="role.").order_by("-seq")[:10]),
    }


def home_html(user: Any) -> SafeString:
    """The home page below the greeting: the person's roles and panels. Each panel counts over
    the person's whole scope (about 15 queries and a template walk, most of the page's time),
    and their content changes only with a write, so the result is cached per person and data
    version (fupin/accounts/scoped_cache.py)."""
    return scoped_cached(
        user,
        "home",
        lambda: SafeString(render_to_string("web/home_panels.html", home_panels(user))),
    )


def home_panels(user: Any) -> dict[str, Any]:
    scope = user_scope(user)
    panels: list[dict[str, Any]] = []
    if scope.has(Cap.DATA_READ):
        panels.append(_region_panel(user))
    if scope.has(Cap.USERS_MANAGE) or scope.has(Cap.ROLES_GRANT):
        panels.append(_admin_panel(user))
    if scope.has(Cap.AUDIT_READ):
        panels.append(_auditor_panel(user))
    panels.extend(_extra_panels(user))
    return {"grants": _grants(user), "panels": panels, "village_level": Level.VILLAGE}


def _extra_panels(user: Any) -> list[dict[str, Any]]:
    """Panels of the domain apps: each returns None when it has nothing for this person."""
    panels = [
        households_panel(user),
        custody_panel(user),
        schedule_panel(user),
        supervision_panel(user),
        disposal_panel(user),
        objects_panel(user),
    ]
    return [p for p in panels if p]
