"""The trail reads as an auditor expects: actions in Chinese, people by name, a list of actions."""

import re
from pathlib import Path

from django.urls import reverse

from fupin.audit.actions import ACTIONS

SOURCE = Path(__file__).resolve().parent.parent / "fupin"


def test_every_action_in_the_code_has_a_chinese_name():
    written = set()
    for path in SOURCE.rglob("*.py"):
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert written, "找不到任何审计操作代码，检查方法失效"
    assert sorted(written - ACTIONS.keys()) == []


def test_listing_names_actions_and_people(world):
    page = world.client("auditor_a").get(reverse("audit:index"), {"action": "role.grant"})
    text = page.content.decode()
    assert "授予角色" in text and "<code>role.grant</code>" not in text
    assert '<option value="role.grant" selected>授予角色</option>' in text
    assert "跳号" in text  # why the reader's sequence numbers have gaps


def test_actor_filter_takes_the_persons_name(world):
    from fupin.accounts.services import role_grant

    admin = world.users["secadmin_a"]
    admin.full_name = "王管理"
    admin.save()
    role_grant(actor=admin, user_id=world.users["village_b"].pk, role="village_archivist",
               region=world.regions["420322100201"])  # fmt: skip
    page = world.client("auditor_a").get(reverse("audit:index"), {"actor": "王管理"})
    text = page.content.decode()
    assert "王管理（secadmin_a）" in text and "授予角色" in text
