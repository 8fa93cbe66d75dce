"""`fupin photos import DIR --group ID`: every JPEG/TIFF of a folder, in EXIF time order."""

import json

from fupin.cli import main
from tests import objects_samples as samples
from tests.test_photos_capture import exif_block, jpeg, make_group


def test_folder_is_imported_in_time_order(world, tmp_path, capsys):
    group = make_group(world)
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg(taken="2016:05:12 11:00:00"))
    (folder / "b.JPG").write_bytes(jpeg(taken="2016:05:12 09:00:00"))
    # TIFF cameras often write only the base IFD's DateTime; it is the fallback.
    tiff_exif = exif_block(taken="", gps=None)
    tiff_exif[0x0132] = "2016:05:12 10:00:00"
    (folder / "c.tif").write_bytes(samples.image("TIFF", exif=tiff_exif))
    (folder / "notes.txt").write_text("不是照片")
    capsys.readouterr()
    assert main(["photos", "import", str(folder), "--group", str(group["id"]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(p["file"], p["reference_code"]) for p in out["photos"]] == [
        ("b.JPG", "F001-ZP·2016-Y-001-001"),
        ("c.tif", "F001-ZP·2016-Y-001-002"),
        ("a.jpg", "F001-ZP·2016-Y-001-003"),
    ]


def test_failures_are_reported_per_file(world, tmp_path, capsys):
    group = make_group(world)
    (tmp_path / "good.jpg").write_bytes(jpeg())
    (tmp_path / "bad.jpg").write_bytes(jpeg()[:1500])
    capsys.readouterr()
    assert main(["photos", "import", str(tmp_path), "--group", str(group["id"])]) == 1
    text = capsys.readouterr().out
    assert "good.jpg：F001-ZP·2016-Y-001-001" in text and "bad.jpg：失败" in text
    assert "导入 1 张，失败 1 张。" in text


def test_unknown_group_is_a_chinese_error(world, tmp_path, capsys):
    assert main(["photos", "import", str(tmp_path), "--group", "999"]) == 2
    assert "照片组 999 不存在" in capsys.readouterr().err
