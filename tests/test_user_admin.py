"""Account administration by the separated administrators, each inside their own county."""

from django.urls import reverse

from fupin.accounts.models import User
from fupin.audit.models import AuditEvent


def create_user(client, username: str, region: str):
    return client.post(
        reverse("accounts:user_create"),
        {
            "username": username,
            "full_name": "王小兰",
            "phone": "13900000000",
            "home_region": region,
            "password": "Chushi-Mima-2016",
        },
    )


def test_sysadmin_creates_user_in_own_county(world):
    response = create_user(world.client("sysadmin_a"), "wangxl", "420322100")
    user = User.objects.get(username="wangxl")
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.must_change_password and user.home_region_id == "420322100"
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor_name == "sysadmin_a" and event.after["username"] == "wangxl"


def test_sysadmin_cannot_create_user_in_other_county(world):
    response = create_user(world.client("sysadmin_b"), "wangxl", "420322100")
    assert response.status_code == 200  # the other county is not even offered
    assert not User.objects.filter(username="wangxl").exists()


def test_duplicate_username_is_explained(world):
    response = create_user(world.client("sysadmin_a"), "village_a", "420322100")
    assert "已被使用" in response.content.decode()


def test_secadmin_grants_and_revokes_roles(world):
    target = world.users["village_b"]
    client = world.client("secadmin_a")
    url = reverse("accounts:role_grant", args=[target.pk])
    client.post(url, {"role": "village_archivist", "region": "420322100201"})
    assignment = target.assignments.get(region_id="420322100201")
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(assignment.pk)).exists()
    client.post(reverse("accounts:role_revoke", args=[target.pk, assignment.pk]))
    assert not target.assignments.filter(region_id="420322100201").exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(assignment.pk)).exists()


def test_role_level_is_checked(world):
    client = world.client("secadmin_a")
    target = world.users["village_b"]
    response = client.post(
        reverse("accounts:role_grant", args=[target.pk]),
        {"role": "village_archivist", "region": "420322100"},
        follow=True,
    )
    assert "不能授予到乡（镇、街道）一级" in response.content.decode()


def test_sysadmin_may_not_grant_roles(world):
    target = world.users["village_b"]
    response = world.client("sysadmin_a").post(
        reverse("accounts:role_grant", args=[target.pk]),
        {"role": "township_archivist", "region": "420322100"},
    )
    assert response.status_code in (403, 404)
    assert not target.assignments.filter(role="township_archivist").exists()


def test_other_county_admin_sees_404(world):
    target = world.users["village_a"]
    for persona in ("sysadmin_b", "secadmin_b"):
        client = world.client(persona)
        assert client.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 404
        assert "village_a" not in client.get(reverse("accounts:users")).content.decode()


def test_deactivated_user_cannot_sign_in(world):
    client = world.client("sysadmin_a")
    target = world.users["village_a"]
    client.post(reverse("accounts:user_toggle_active", args=[target.pk]), {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(target.pk)).exists()
    assert world.client("village_a").get(reverse("home")).status_code == 302
