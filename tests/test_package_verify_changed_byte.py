"""A package is accepted only as it was made: one changed byte in a file is refused, named."""

from fupin.checks.package.verify import package_digest, package_verify
from tests.checks_fixtures import built_bag, original


def test_an_untouched_package_is_accepted(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    report = package_verify(bag, expected_digest=package_digest(bag))
    assert report.ok, report.reason
    assert report.files == 4 and report.info["Source-Organization"] == "东岭村委会"
    assert all(set(d) == {"SHA-256", "SM3"} for d in report.digests.values())


def test_one_changed_byte_is_refused_with_the_file_named(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    target = original(bag)
    data = bytearray(target.read_bytes())
    data[100] ^= 0x20
    target.write_bytes(bytes(data))
    report = package_verify(bag)
    relative = target.relative_to(bag).as_posix()
    assert not report.ok
    assert {p.message for p in report.problems} == {
        f"“{relative}”的 SHA-256 摘要与清单不符（内容已被改动）",
        f"“{relative}”的 SM3 摘要与清单不符（内容已被改动）",
    }
    assert report.reason.startswith("数据包不能接收：")
