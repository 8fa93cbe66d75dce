"""Paths that climb out of the package are refused before anything is written outside it."""

import io
import tarfile
import zipfile

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag, reseal


def test_a_tar_member_climbing_out_is_refused_and_nothing_lands_outside(tmp_path):
    sent = tmp_path / "evil.tar"
    with tarfile.open(sent, "w") as tar:
        info = tarfile.TarInfo("bag/../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    report = package_verify(sent, workdir=tmp_path / "work")
    assert [p.message for p in report.problems] == [
        "压缩包内的路径“bag/../../escaped.txt”越出数据包"
    ]
    assert (
        not (tmp_path / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()
    )
    report.cleanup()


def test_an_absolute_zip_member_is_refused(tmp_path):
    sent = tmp_path / "evil.zip"
    with zipfile.ZipFile(sent, "w") as package:
        package.writestr("/etc/passwd-copy", "x")
    (tmp_path / "work").mkdir()
    report = package_verify(sent, workdir=tmp_path / "work")
    assert [p.code for p in report.problems] == ["package.path"]
    report.cleanup()


def test_a_manifest_path_climbing_out_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    manifest = bag / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text("utf-8") + "0" * 64 + "  data/../../secret\n", "utf-8")
    reseal(bag)
    line = len(manifest.read_text("utf-8").splitlines())
    messages = [p.message for p in package_verify(bag).problems]
    assert messages == [f"manifest-sha256.txt 第 {line} 行的路径“data/../../secret”越出数据包"]
