"""An archive bomb is stopped while it unpacks: past the size limit, or past a compression
ratio no real package has; what was unpacked is removed."""

import zipfile

import pytest

from fupin.checks.package import verify
from fupin.checks.package.verify import package_verify


def _bomb(path, size):
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package,
        package.open("bag/data/zeros.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(size >> 20):
            entry.write(bytes(1 << 20))
    return path


def test_unpacking_past_the_size_limit_is_stopped(tmp_path):
    sent = _bomb(tmp_path / "bomb.zip", 8 << 20)
    report = package_verify(sent, workdir=tmp_path, max_bytes=4 << 20)
    assert [p.code for p in report.problems] == ["package.bomb"]
    assert report.problems[0].message.startswith("解压后超过 4194304 字节的上限")
    report.cleanup()
    assert not list(tmp_path.glob("fupin-unpack-*"))


def test_an_absurd_compression_ratio_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(verify, "RATIO_FLOOR_BYTES", 2 << 20)
    sent = _bomb(tmp_path / "bomb.zip", 16 << 20)
    report = package_verify(sent, workdir=tmp_path)
    assert [p.code for p in report.problems] == ["package.bomb"]
    assert "超过压缩包的 200 倍" in report.problems[0].message
    report.cleanup()


@pytest.mark.parametrize("count", [5])
def test_too_many_members_is_stopped(tmp_path, monkeypatch, count):
    monkeypatch.setattr(verify, "MAX_MEMBERS", count - 1)
    sent = tmp_path / "many.zip"
    with zipfile.ZipFile(sent, "w") as package:
        for n in range(count):
            package.writestr(f"bag/data/{n}.txt", "x")
    report = package_verify(sent, workdir=tmp_path)
    assert [p.code for p in report.problems] == ["package.bomb"]
    report.cleanup()
