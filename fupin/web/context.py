from typing import Any

from django.http import HttpRequest

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which menu entries this user's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user_scope(user)
    return {
        "nav": {
            "regions": scope.has(Cap.DATA_READ),
            "records": scope.has(Cap.DATA_WRITE),
            "users": scope.has(Cap.USERS_MANAGE) or scope.has(Cap.ROLES_GRANT),
            "units": scope.has(Cap.USERS_MANAGE) or scope.has(Cap.DATA_READ),
            "audit": scope.has(Cap.AUDIT_READ),
            "refinements": scope.has(Cap.SCHEDULE_REFINE)
            or scope.has(Cap.FILING_POVERTY)
            or scope.has(Cap.FILING_ARCHIVE),
        }
    }
