"""The periodic fixity check recomputes both digests and names every file that changed."""

import io
import json

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.objects.selectors import object_verify
from fupin.objects.services import object_capture
from tests import objects_samples as samples


def capture(content: bytes, name: str = "a.pdf"):
    done = object_capture(actor=None, stream=io.BytesIO(content), filename=name, category="WS")
    return done.object


def verify(capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["objects", "verify", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_intact_files_verify(world, capsys):
    obj = capture(samples.pdf())
    assert object_verify(obj).ok
    assert verify(capsys) == (
        0,
        {
            "ok": True,
            "checked": 1,
            "replica_configured": False,
            "mismatched": [],
            "repaired": [],
            "leftovers": [],
        },
    )
    assert AuditEvent.objects.filter(action="object.verify").count() == 1


def test_changed_file_is_named(world, media_root, capsys):
    good = capture(samples.pdf(text="甲"), "a.pdf")
    bad = capture(samples.pdf(text="乙"), "b.pdf")
    (media_root / bad.storage_name).write_bytes(samples.pdf(text="tampered"))
    result = object_verify(bad)
    assert not result.ok
    assert "内容与其地址（SHA-256 文件名）不符" in result.reason
    assert "SHA-256、SM3 摘要与摘要记录不符" in result.reason
    assert "SHA-256、SM3 摘要与接收时审计记录的摘要不符" in result.reason
    code, report = verify(capsys)
    assert code == 1 and report["checked"] == 2
    assert [m["sha256"] for m in report["mismatched"]] == [bad.sha256]
    assert good.sha256 not in json.dumps(report)


def test_missing_file_is_named(world, media_root, capsys):
    obj = capture(samples.pdf())
    (media_root / obj.storage_name).unlink()
    code, report = verify(capsys)
    assert code == 1
    assert report["mismatched"] == [
        {"sha256": obj.sha256, "reason": f"主存储中找不到文件 {obj.storage_name}"}
    ]


def test_text_report_names_the_file(world, media_root, capsys):
    obj = capture(samples.pdf())
    (media_root / obj.storage_name).write_bytes(b"x")
    capsys.readouterr()
    assert main(["objects", "verify"]) == 1
    assert obj.sha256 in capsys.readouterr().out
