"""三员分立: no account may hold two of the three administrator roles."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fupin.accounts.models import RoleAssignment
from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant


def test_service_refuses_second_admin_role(world):
    sysadmin = world.users["sysadmin_a"]
    with pytest.raises(ValidationError, match="三员分立"):
        role_grant(
            actor=world.users["secadmin_a"],
            user_id=sysadmin.pk,
            role=Role.AUDITOR,
            region=world.regions["420322"],
        )
    assert set(sysadmin.assignments.values_list("role", flat=True)) == {Role.SYSADMIN}


def test_database_refuses_second_admin_role(world):
    sysadmin = world.users["sysadmin_a"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=sysadmin,
            role=Role.SECADMIN,
            region=world.regions["42"],
            admin_class=Role.SECADMIN,
        )


def test_ordinary_role_beside_admin_role_is_allowed(world):
    role_grant(
        actor=world.users["secadmin_a"],
        user_id=world.users["sysadmin_a"].pk,
        role=Role.POVERTY_OFFICE,
        region=world.regions["420322"],
    )
    roles = set(world.users["sysadmin_a"].assignments.values_list("role", flat=True))
    assert roles == {Role.SYSADMIN, Role.POVERTY_OFFICE}
