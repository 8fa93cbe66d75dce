"""An anchor file edited or planted without the audit key (to hide a truncation behind a
lower sequence number) is refused by `verify`, not believed."""

import json
from pathlib import Path

from tests.audit_tamper import publish_anchor, verify


def test_edited_anchor_file_is_refused(world, settings, capsys, django_capture_on_commit_callbacks):
    publish_anchor(django_capture_on_commit_callbacks)
    [path] = Path(settings.FUPIN_AUDIT_ANCHOR_DIR).glob("anchor-*.json")
    body = json.loads(path.read_text())
    body["seq"] -= 5
    path.write_text(json.dumps(body))

    code, report = verify(capsys)
    assert code == 1 and "签名不符" in report["reason"]


def test_planted_garbage_is_refused(world, settings, capsys, django_capture_on_commit_callbacks):
    publish_anchor(django_capture_on_commit_callbacks)
    (Path(settings.FUPIN_AUDIT_ANCHOR_DIR) / "anchor-999999999999-x.json").write_text("{}")
    code, report = verify(capsys)
    assert code == 1 and "不是有效的锚点文件" in report["reason"]


def test_backup_folder_anchors_are_compared_when_named(
    world, tmp_path, capsys, django_capture_on_commit_callbacks
):
    """Anchors kept only with the backups count when `verify --anchors` names the folder."""
    from fupin.audit.anchors import anchor_publish
    from fupin.audit.models import AuditEvent
    from tests.audit_tamper import move_head, raw, unguarded

    backup = tmp_path / "backup"
    with django_capture_on_commit_callbacks(execute=True):
        anchored = anchor_publish(reason="备份", extra_dirs=[backup])
    for path in Path(tmp_path / "audit-anchors").glob("anchor-*.json"):
        path.unlink()  # the attacker also cleared the local anchor folder
    kept = AuditEvent.objects.get(seq=anchored.seq - 2)
    with unguarded():
        raw("DELETE FROM audit_auditevent WHERE seq > %s", [kept.seq])
        move_head(kept.seq, kept.hash)
    assert verify(capsys)[0] == 0
    code, report = verify(capsys, "--anchors", str(backup))
    assert code == 1 and "截断" in report["reason"]
