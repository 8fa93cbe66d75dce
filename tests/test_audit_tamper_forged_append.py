"""Tampering: a row appended by hand after the head, correctly linked to it, the head moved
onto it (both allowed to the application's role). Its link cannot be right without the key:
as plain SHA-256 it is an unkeyed row after keyed ones, under an invented key id the key is
unknown, under the real key id the MAC does not match."""

from datetime import UTC

import pytest
from django.utils import timezone

from fupin.audit.chain import link_hash
from fupin.audit.models import AuditHead
from tests.audit_tamper import move_head, raw, verify

FORGED = dict(
    actor_id=None, actor_name="secadmin_a", ip="10.0.0.9", action="role.grant",
    object_type="accounts.user", object_id="99", region_code="", summary="伪造的授权",
    before=None, after=None,
)  # fmt: skip


@pytest.mark.parametrize(
    ("key_id", "expected"),
    [(None, "伪造"), ("k2099", "未知密钥"), ("real", "校验码不符")],
)
def test_forged_append_fails(world, capsys, key_id, expected):
    head = AuditHead.objects.get(id=1)
    if key_id == "real":
        from fupin.audit.keys import audit_keys

        key_id = audit_keys().current_id
    values = FORGED | {"seq": head.seq + 1, "at": timezone.now().astimezone(UTC)}
    digest = link_hash(head.hash, values)
    raw(
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_name, ip, action, object_type,"
        " object_id, region_code, summary, before, after, prev_hash, hash, key_id)"
        " VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, %s, %s, %s)",
        [values["seq"], values["at"], values["actor_name"], values["ip"], values["action"],
         values["object_type"], values["object_id"], values["region_code"], values["summary"],
         head.hash, digest, key_id],
    )  # fmt: skip
    move_head(head.seq + 1, digest)

    code, report = verify(capsys)
    assert code == 1 and report["first_broken_seq"] == head.seq + 1
    assert expected in report["reason"]
