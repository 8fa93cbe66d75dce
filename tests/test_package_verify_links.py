"""Links are never followed nor taken in: a symlink in a package folder or in an archive is
refused by name."""

import io
import os
import tarfile

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag


def test_a_symlink_in_the_bag_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("不应被读取")
    os.symlink(secret, bag / "data" / "link.txt")
    report = package_verify(bag)
    assert [p.message for p in report.problems] == ["数据包内含符号链接“data/link.txt”，不接收链接"]


def test_the_package_itself_being_a_link_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    os.symlink(bag, tmp_path / "via-link")
    assert [p.code for p in package_verify(tmp_path / "via-link").problems] == ["package.link"]


def test_links_in_a_tar_are_refused(tmp_path):
    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        sent = tmp_path / f"links-{kind!r}.tar"
        with tarfile.open(sent, "w") as tar:
            data = tarfile.TarInfo("bag/bagit.txt")
            data.size = 4
            tar.addfile(data, io.BytesIO(b"x\nx\n"))
            link = tarfile.TarInfo("bag/data/passwd")
            link.type = kind
            link.linkname = "/etc/passwd"
            tar.addfile(link)
        report = package_verify(sent, workdir=tmp_path)
        assert [p.message for p in report.problems] == [
            "压缩包内含链接“bag/data/passwd”，不接收链接"
        ]
        report.cleanup()
