"""A catalogue's folder is read only inside itself, programs and formats its category does not
allow are refused whatever they are called, and impossible dates are refused on their row."""

import datetime

from fupin.objects.models import StoredObject
from fupin.records.models import RecordItem
from tests import objects_samples as samples
from tests.test_records_import import CODE, GOOD, run, unit, write_catalogue, write_scans

__all__ = ["unit"]  # the fixture, imported for these tests

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE = b"MZ\x90\x00" + b"\x00" * 200
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


def _nothing_written():
    assert not RecordItem.objects.exists() and not StoredObject.objects.exists()


def _one_row(tmp_path, **changes):
    row = list(GOOD[0])
    for index, value in changes.items():
        row[int(index[1:])] = value
    return write_catalogue(tmp_path / "目录.xlsx", [row])


def test_programs_are_refused_whatever_their_name(world, unit, tmp_path, capsys):
    for content, name in ((ELF, "elf"), (PE, "pe"), (SCRIPT, "sh")):
        folder = tmp_path / name
        write_scans(folder, {})
        (folder / f"{CODE.format(1)}.pdf").write_bytes(content)
        code, report = run(capsys, unit, _one_row(tmp_path), folder)
        assert code != 0 and not report["ok"], name
        reasons = {e["file"]: e["reason"] for e in report["file_errors"]}
        assert "可执行程序" in reasons[f"{CODE.format(1)}.pdf"], reasons
        _nothing_written()


def test_a_format_the_category_does_not_allow_is_refused(world, unit, tmp_path, capsys):
    folder = write_scans(tmp_path / "scans", {})
    # A spreadsheet named as a PDF: 文书 keeps documents, not workbooks.
    (folder / f"{CODE.format(1)}.pdf").write_bytes(samples.zipped("xl/workbook.xml"))
    code, report = run(capsys, unit, _one_row(tmp_path), folder)
    assert code != 0
    reason = report["file_errors"][0]["reason"]
    assert "不在“文书”门类的长期保存格式之列" in reason and "拒收" in reason
    _nothing_written()


def test_links_and_paths_outside_the_folder_are_refused(world, unit, tmp_path, capsys):
    secret = tmp_path / "outside.pdf"
    secret.write_bytes(samples.pdf(pages=2, text="not yours"))
    folder = write_scans(tmp_path / "scans", {})
    (folder / f"{CODE.format(1)}.pdf").symlink_to(secret)
    code, report = run(capsys, unit, _one_row(tmp_path), folder)
    assert code != 0
    reasons = {e["file"]: e["reason"] for e in report["file_errors"]}
    assert "符号链接" in reasons[f"{CODE.format(1)}.pdf"], reasons
    _nothing_written()
    (folder / f"{CODE.format(1)}.pdf").unlink()
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)
    code, report = run(capsys, unit, _one_row(tmp_path), folder)
    assert any("符号链接" in e["reason"] for e in report["file_errors"]), report
    _nothing_written()


def test_impossible_dates_are_refused_with_their_row(world, unit, tmp_path, capsys):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    folder = write_scans(tmp_path / "scans", {})
    for day, expected in (
        (tomorrow.strftime("%Y.%m.%d"), "日期列"),
        ("1998.3.1", "早于本全宗可收的最早年度 2013 年"),
    ):
        code, report = run(capsys, unit, _one_row(tmp_path, c5=day), folder)
        assert code != 0
        assert report["errors"][0]["row"] == 3, report["errors"]
        assert expected in report["errors"][0]["reason"], report["errors"]
        _nothing_written()
