"""Audit keys rotate: with a new key put first, new rows are signed with it and the rows
signed with the old key still verify while the old key stays listed; a row whose key is no
longer known fails verification, naming the key. Production refuses to start without a key."""

import json
import os
import subprocess
import sys
from pathlib import Path

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.cli import main

OLD = "old2025:" + "a" * 40
NEW = "new2026:" + "b" * 40


def verify(capsys) -> dict:
    capsys.readouterr()
    main(["audit", "verify", "--json"])
    return json.loads(capsys.readouterr().out)


def test_rotation_keeps_old_rows_verifying(db, settings, capsys):
    settings.FUPIN_AUDIT_KEY = OLD
    audit_record(actor=None, action="test.one", summary="旧密钥")
    settings.FUPIN_AUDIT_KEY = f"{NEW},{OLD}"
    audit_record(actor=None, action="test.two", summary="新密钥")
    assert list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True)) == [
        "old2025",
        "new2026",
    ]
    report = verify(capsys)
    assert report["ok"] and report["keys"] == ["new2026", "old2025"]

    settings.FUPIN_AUDIT_KEY = NEW  # the old key dropped from the list
    report = verify(capsys)
    assert not report["ok"] and report["first_broken_seq"] == 1
    assert "old2025" in report["reason"]


def test_a_wrong_key_does_not_verify(db, settings, capsys):
    settings.FUPIN_AUDIT_KEY = OLD
    audit_record(actor=None, action="test.one", summary="甲")
    settings.FUPIN_AUDIT_KEY = "old2025:" + "c" * 40  # same id, other secret
    report = verify(capsys)
    assert not report["ok"] and "不符" in report["reason"]


def test_production_refuses_to_start_without_an_audit_key(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_", "DJANGO_"))}
    env |= {"FUPIN_SECRET_KEY": "x" * 50, "FUPIN_DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "fupin.settings"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert done.returncode != 0 and "FUPIN_AUDIT_KEY" in done.stderr
    env["FUPIN_AUDIT_KEY"] = NEW
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
