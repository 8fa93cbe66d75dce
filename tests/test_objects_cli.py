"""`fupin objects capture` takes files and folders (recursively) and reports each file."""

import json

from fupin.cli import main
from fupin.objects.models import CaptureEvent, Derivative, StoredObject
from tests import objects_samples as samples


def run(capsys, *argv: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["objects", "capture", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_folder_is_captured_recursively_for_a_unit(world, tmp_path, capsys):
    (tmp_path / "in" / "二〇一六").mkdir(parents=True)
    notice = samples.pdf()
    (tmp_path / "in" / "通知.pdf").write_bytes(notice)
    (tmp_path / "in" / "二〇一六" / "名册.txt").write_text("户主,人口\n", encoding="utf-8")
    (tmp_path / "in" / "二〇一六" / "副本.pdf").write_bytes(notice)
    unit = world.units["office_a"]
    code, report = run(capsys, str(tmp_path / "in"), "--category", "WS", "--unit", str(unit.pk))
    assert code == 0 and report["ok"]
    outcomes = sorted(r["outcome"] for r in report["files"])
    assert outcomes == ["duplicate", "stored", "stored"]
    assert StoredObject.objects.count() == 2
    assert set(CaptureEvent.objects.values_list("unit", flat=True)) == {unit.pk}


def test_refused_file_is_listed_and_the_others_are_kept(world, tmp_path, capsys):
    (tmp_path / "空.pdf").write_bytes(b"")
    (tmp_path / "好.pdf").write_bytes(samples.pdf())
    code, report = run(capsys, str(tmp_path), "--category", "WS")
    assert code == 2 and not report["ok"]
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in report["files"]}
    assert rows["空.pdf"]["outcome"] == "rejected" and "0 字节" in rows["空.pdf"]["message"]
    assert rows["好.pdf"]["outcome"] == "stored"


def test_photos_get_thumbnails(world, tmp_path, capsys):
    (tmp_path / "a.jpg").write_bytes(samples.image("JPEG", size=(800, 600)))
    code, _ = run(capsys, str(tmp_path), "--category", "ZP")
    assert code == 0 and Derivative.objects.count() == 1


def test_unknown_unit_is_an_error(world, tmp_path, capsys):
    (tmp_path / "a.pdf").write_bytes(samples.pdf())
    assert main(["objects", "capture", str(tmp_path), "--category", "WS", "--unit", "999"]) == 2
    assert "立档单位 999 不存在" in capsys.readouterr().err
