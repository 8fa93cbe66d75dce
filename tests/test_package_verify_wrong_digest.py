"""A manifest line with a wrong digest (its tag manifest made to match) is refused, naming the
file and the algorithm; a malformed line too."""

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag, reseal


def _edit_first_line(bag, name, change):
    manifest = bag / name
    lines = manifest.read_text("utf-8").splitlines()
    lines[0] = change(lines[0])
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    reseal(bag)
    return lines[0].split("  ", 1)[1]


def test_a_wrong_sm3_digest_is_named(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    path = _edit_first_line(bag, "manifest-sm3.txt", lambda line: "0" * 64 + line[64:])
    messages = [p.message for p in package_verify(bag).problems]
    assert f"“{path}”的 SM3 摘要与清单不符（内容已被改动）" in messages


def test_a_malformed_manifest_line_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    _edit_first_line(bag, "manifest-sha256.txt", lambda line: "xyz " + line[64:])
    messages = [p.message for p in package_verify(bag).problems]
    assert messages == ["manifest-sha256.txt 第 1 行格式不对"]
