"""`fupin backup` round trip on real installations (each its own database, SQLite or
PostgreSQL as the suite runs, and its own stored files): backup → the installation is lost →
restore into an empty one → every object's digests and the audit chain verify. Also: the
backup is incremental by digest, a damaged backup is named, a non-empty installation is
refused, and the second store may be an S3 bucket (moto's server)."""

import json
import shutil

import pytest

from tests import objects_samples as samples
from tests.objects_stores import S3_KEYS, s3_bucket, s3_server  # noqa: F401

AUDIT_KEY = "backup-test:0123456789abcdef0123456789abcdef"
DIGESTS = (
    "import json, django; django.setup(); "
    "from fupin.objects.models import StoredObject as S; "
    "print(json.dumps(sorted([o.sha256, sorted(o.digests.values_list('algorithm', 'value'))] "
    "for o in S.objects.all())))"
)


def site(live_template, folder, replica_url: str = ""):
    found = live_template.copy(folder)
    # The audit key is kept apart from backups: the operator gives it to the new installation.
    found.env["FUPIN_AUDIT_KEY"] = AUDIT_KEY
    if replica_url:
        found.env["FUPIN_REPLICA_URL"] = replica_url
    return found


def ok_json(done) -> dict:
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


@pytest.fixture(params=["disk", "s3"])
def second_store(request):
    """No second store, or an S3 bucket on a real S3-protocol server: one URL per site."""
    if request.param == "disk":
        return lambda: ""
    endpoint = request.getfixturevalue("s3_server")
    host = endpoint.removeprefix("http://")
    keys = f"{S3_KEYS['access_key']}:{S3_KEYS['secret_key']}"
    return lambda: f"s3+http://{keys}@{host}/{s3_bucket(endpoint)}?region=us-east-1"


def test_backup_wipe_restore(live_template, tmp_path, second_store):
    old = site(live_template, tmp_path / "old", second_store())
    files = tmp_path / "files"
    files.mkdir()
    for n in range(4):
        (files / f"{n}.pdf").write_bytes(samples.pdf(text=f"备份{n}"))
    (files / "photo.png").write_bytes(samples.image("PNG"))
    assert old.fupin("objects", "capture", str(files), "--category", "WS").returncode == 0
    before = ok_json(old.run("-c", DIGESTS))
    dest = tmp_path / "backup"

    made = ok_json(old.fupin("backup", "create", str(dest), "--json"))
    assert made["ok"] and made["objects"] == 5 and made["copied"] == 5
    again = ok_json(old.fupin("backup", "create", str(dest), "--json"))
    assert again["copied"] == 0 and again["skipped"] == 5  # incremental by digest
    assert again["snapshot"] != made["snapshot"]
    assert ok_json(old.fupin("backup", "verify", str(dest), "--json"))["objects"] == 5

    refused = old.fupin("backup", "restore", str(dest), "--json")
    assert refused.returncode == 2 and "只能恢复到空的安装" in refused.stderr

    shutil.rmtree(old.folder)  # the server is lost
    new = site(live_template, tmp_path / "new", second_store())
    restored = ok_json(new.fupin("backup", "restore", str(dest), "--json"))
    assert restored["ok"] and restored["objects"] == 5 and restored["audit"]["ok"]
    assert ok_json(new.run("-c", DIGESTS)) == before
    fixity = ok_json(new.fupin("objects", "verify", "--json"))
    assert fixity["ok"] and fixity["checked"] == 5 and fixity["repaired"] == []
    chain = new.fupin("audit", "verify", "--anchors", str(dest / "audit-anchors"), "--json")
    assert ok_json(chain)["ok"]


def test_a_damaged_backup_is_named_and_not_restored(live_template, tmp_path):
    old = site(live_template, tmp_path / "old")
    paper = tmp_path / "a.pdf"
    paper.write_bytes(samples.pdf(text="损坏"))
    assert old.fupin("objects", "capture", str(paper), "--category", "WS").returncode == 0
    dest = tmp_path / "backup"
    ok_json(old.fupin("backup", "create", str(dest), "--json"))
    stored = next(p for p in (dest / "objects").rglob("*") if p.is_file())
    stored.write_bytes(b"bit rot")
    checked = old.fupin("backup", "verify", str(dest), "--json")
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["problems"] == [
        {"what": stored.name, "problem": "文件摘要与清单不符"}
    ]
    new = site(live_template, tmp_path / "new")
    refused = new.fupin("backup", "restore", str(dest))
    assert refused.returncode == 2 and "备份核对未通过" in refused.stderr
    assert ok_json(new.fupin("objects", "verify", "--json"))["checked"] == 0


def test_pg_dump_missing_is_a_clear_error(live_template, tmp_path):
    if not live_template.postgres:
        pytest.skip("只在 PostgreSQL 上需要 pg_dump（SQLite 用在线备份接口）。")
    old = site(live_template, tmp_path / "old")
    old.env["PATH"] = str(tmp_path / "empty-path")
    done = old.run("-m", "fupin.cli", "backup", "create", str(tmp_path / "backup"))
    assert done.returncode == 2 and "找不到 PostgreSQL 的 pg_dump 命令" in done.stderr
