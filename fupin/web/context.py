from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.search.selectors import may_search

MENU_VIEWS = (
    "accounts:users",
    "api:search_suggest",
    "audit:index",
    "custody:index",
    "disposal:certificates",
    "disposal:index",
    "disposal:walkins",
    "home",
    "households:completeness",
    "households:index",
    "logout",
    "photos:index",
    "records:index",
    "regions:campaign_end",
    "regions:index",
    "regions:units",
    "schedule:index",
    "schedule:refinements",
    "search:results",
    "supervision:index",
    "transfer:index",
    "use:index",
)


@lru_cache(maxsize=8)
def _links(script_prefix: str) -> dict[str, str]:
    """The header's links, resolved once per process (and prefix): 16 `{% url %}` tags cost
    every page about 0.25 ms."""
    return {name.replace(":", "_"): reverse(name) for name in MENU_VIEWS}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links, and which menu entries this user's roles open."""
    links = _links(get_script_prefix())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"links": links}
    scope = user_scope(user)
    return {
        "links": links,
        "nav": {
            "regions": scope.has(Cap.DATA_READ),
            "records": scope.has(Cap.DATA_WRITE),
            "users": scope.has(Cap.USERS_MANAGE) or scope.has(Cap.ROLES_GRANT),
            "units": scope.has(Cap.USERS_MANAGE) or scope.has(Cap.DATA_READ),
            "audit": scope.has(Cap.AUDIT_READ),
            "search": may_search(user),
            "campaign_end": scope.has(Cap.CAMPAIGN_END),
            "transfer": scope.has(Cap.DATA_WRITE) or scope.has(Cap.RECEIVE),
            # Custodians appraise, destroy, register walk-ins and issue certificates; the
            # archive bureau files destruction registers.
            "disposal": scope.has(Cap.DATA_WRITE)
            or scope.has(Cap.RECEIVE)
            or scope.has(Cap.FILING_ARCHIVE),
            "villagers": scope.has(Cap.DATA_WRITE) or scope.has(Cap.RECEIVE),
            "refinements": scope.has(Cap.SCHEDULE_REFINE)
            or scope.has(Cap.FILING_POVERTY)
            or scope.has(Cap.FILING_ARCHIVE),
        },
    }
