"""`fupin audit anchor` writes the chain's head (sequence, MAC, time), signed with the audit
key, as a small file to the anchor folder and to any folder named; the daily beat does the
same; `anchor_line()` is one printable line; `verify` holds the chain against them."""

import json
from pathlib import Path

from fupin.audit.anchors import anchor_line
from fupin.audit.models import AuditHead
from fupin.worker.beats import beats_run_due
from tests.audit_tamper import publish_anchor, verify


def files(folder: Path) -> list[Path]:
    return sorted(folder.glob("anchor-*.json")) if folder.is_dir() else []


def test_anchor_files_carry_the_head(world, settings, capsys, django_capture_on_commit_callbacks):
    head = AuditHead.objects.get(id=1)
    published = publish_anchor(django_capture_on_commit_callbacks)
    assert published["seq"] == head.seq and published["head"] == head.hash
    [written] = files(Path(settings.FUPIN_AUDIT_ANCHOR_DIR))
    body = json.loads(written.read_text())
    assert body["seq"] == head.seq and body["head"] == head.hash and len(body["sig"]) == 64
    assert published["line"].startswith(f"审计日志锚点 #{head.seq} · {head.hash[:16]}")

    code, report = verify(capsys)
    assert code == 0 and report["ok"]
    assert any(f"#{head.seq}" in note for note in report["notes"])


def test_extra_folders_get_the_same_anchor(world, tmp_path, capsys, settings):
    from django.test import TestCase

    backup = tmp_path / "backup"
    with TestCase.captureOnCommitCallbacks(execute=True):
        from fupin.cli import main

        assert main(["audit", "anchor", "--dir", str(backup), "--json"]) == 0
    [copy] = files(backup)
    [own] = files(Path(settings.FUPIN_AUDIT_ANCHOR_DIR))
    assert copy.read_bytes() == own.read_bytes()


def test_the_daily_beat_and_the_printed_line_publish(
    world, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = beats_run_due()
    assert ("audit.anchor", True) in {(o.name, o.ok) for o in outcomes}
    with django_capture_on_commit_callbacks(execute=True):
        line = anchor_line()
    head = AuditHead.objects.get(id=1)
    assert line.startswith(f"审计日志锚点 #{head.seq} · {head.hash[:16]} · 20")
    assert len(files(Path(settings.FUPIN_AUDIT_ANCHOR_DIR))) == 2


def test_nothing_is_written_for_a_rolled_back_transaction(world, settings):
    from django.db import transaction

    from fupin.audit.anchors import anchor_publish

    try:
        with transaction.atomic():
            anchor_publish(reason="测试")
            raise RuntimeError("回滚")
    except RuntimeError:
        pass
    assert files(Path(settings.FUPIN_AUDIT_ANCHOR_DIR)) == []


def test_an_unwritable_anchor_folder_is_a_chinese_error(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    import pytest

    from fupin.audit.anchors import AnchorError, anchor_publish

    blocker = tmp_path / "file"
    blocker.write_text("不是目录")
    settings.FUPIN_AUDIT_ANCHOR_DIR = str(blocker / "anchors")
    refused = pytest.raises(AnchorError, match="无法把审计日志锚点写入")
    with refused, django_capture_on_commit_callbacks(execute=True):
        anchor_publish(reason="测试")
