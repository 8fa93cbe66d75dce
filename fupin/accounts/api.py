from ninja import Router, Schema

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Role

router = Router(tags=["用户"])


class GrantOut(Schema):
    role: str
    role_label: str
    region_code: str | None
    unit_id: int | None


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[GrantOut]


@router.get("/me", response=MeOut, summary="当前用户及其授权范围")
def me(request) -> MeOut:
    grants = [
        GrantOut(
            role=g.role, role_label=Role(g.role).label, region_code=g.region_code, unit_id=g.unit_id
        )
        for g in user_scope(request.user).grants
    ]
    return MeOut(username=request.user.username, full_name=request.user.full_name, grants=grants)
