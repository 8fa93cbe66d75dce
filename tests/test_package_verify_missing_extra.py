"""A missing or an extra file, in the payload or among the tag files, is refused by name."""

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag, original


def test_a_missing_file_is_named(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    target = original(bag)
    target.unlink()
    messages = [p.message for p in package_verify(bag).problems]
    relative = target.relative_to(bag).as_posix()
    assert f"缺少文件“{relative}”（manifest-sha256.txt 中有登记）" in messages
    assert any(m.startswith("bag-info.txt 的 Payload-Oxum") for m in messages)


def test_an_extra_file_is_named(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    (bag / "data" / "夹带.exe").write_bytes(b"MZ\x90\x00")
    (bag / "metadata" / "extra.txt").write_text("x")
    messages = [p.message for p in package_verify(bag).problems]
    assert "多出未登记的文件“data/夹带.exe”" in messages
    assert "多出未登记的标签文件“metadata/extra.txt”" in messages


def test_a_missing_manifest_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    (bag / "manifest-sm3.txt").unlink()
    report = package_verify(bag)
    assert [p.message for p in report.problems] == [
        "缺少 manifest-sm3.txt（应有 SHA-256 与 SM3 两种摘要清单）"
    ]
