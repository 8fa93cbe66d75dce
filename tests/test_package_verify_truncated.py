"""A package sent as an archive is accepted whole and refused when cut short."""

import shutil
import tarfile
from pathlib import Path

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag


def _archive(bag, tmp_path, fmt):
    return shutil.make_archive(str(tmp_path / "sent"), fmt, root_dir=bag.parent, base_dir=bag.name)


def test_tar_gz_and_zip_of_a_good_package_are_accepted(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    for fmt in ("gztar", "zip"):
        report = package_verify(_archive(bag, tmp_path, fmt), workdir=tmp_path)
        assert report.ok, report.reason
        assert report.root.name == bag.name and report.files == 4
        report.cleanup()
    assert not list(tmp_path.glob("fupin-unpack-*"))


def test_a_truncated_tar_gz_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    sent = _archive(bag, tmp_path, "gztar")
    data = Path(sent).read_bytes()
    Path(sent).write_bytes(data[: len(data) * 2 // 3])
    report = package_verify(sent, workdir=tmp_path)
    assert [p.code for p in report.problems] == ["package.truncated"]
    assert report.problems[0].message.startswith("压缩包不完整或已损坏（可能传输中断）")
    report.cleanup()


def test_a_truncated_zip_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    sent = _archive(bag, tmp_path, "zip")
    data = Path(sent).read_bytes()
    Path(sent).write_bytes(data[: len(data) - 200])
    report = package_verify(sent, workdir=tmp_path)
    assert [p.code for p in report.problems] == ["package.truncated"]
    report.cleanup()


def test_a_plain_tar_cut_between_files_misses_files(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    sent = tmp_path / "sent.tar"
    with tarfile.open(sent, "w") as tar:
        tar.add(bag, arcname=bag.name)
    with tarfile.open(sent) as tar:
        members = tar.getmembers()
    cut = members[len(members) // 2].offset
    with open(sent, "r+b") as out:
        out.truncate(cut)
    report = package_verify(sent, workdir=tmp_path)
    assert not report.ok
    report.cleanup()
