"""The transfer package: a BagIt bag holding every original byte for byte, per-record metadata,
METS, the catalogue and the check report; refused when a check fails or bytes differ from their
digest, and never left half-made."""

import json
from pathlib import Path

import bagit
import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from fupin.checks.package.build import PackageError, package_build
from tests.checks_fixtures import archived_items, household_file


def _bag(world, tmp_path, **kwargs):
    items = archived_items(world)
    dest = tmp_path / "out" / "东岭村-2016"
    meta = {"sender": "东岭村委会", "receiver": "郧西县档案馆", "batch": "YX-2016-01"}
    return items, package_build(items=items, meta=meta, dest=dest, **kwargs)


def test_package_passes_bagit_full_validation_and_holds_the_originals(world, tmp_path):
    items, path = _bag(world, tmp_path)
    bag = bagit.Bag(str(path))
    bag.validate(processes=1)  # raises on any problem, fast=False: every digest recomputed
    assert set(bag.algorithms) == {"sha256"}
    for item in items:
        item_file = item.files.get()
        folder = path / "data" / "records" / item.reference_code
        with default_storage.open(item_file.object.storage_name, "rb") as stored:
            assert (folder / "001-扫描件.pdf").read_bytes() == stored.read()
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        assert meta["档号"] == item.reference_code and meta["全宗号"] == item.unit.fonds_code
        assert (
            meta["电子文件"][0]["摘要"]["SM3"]
            == item_file.object.digests.get(algorithm="SM3").value
        )
    sm3 = (path / "manifest-sm3.txt").read_text(encoding="utf-8").splitlines()
    assert len(sm3) == 4 and all(len(line.split("  ")[0]) == 64 for line in sm3)
    info = bag.info
    assert info["Source-Organization"] == "东岭村委会" and info["Record-Count"] == "2"
    assert info["Fonds-Code"] == items[0].unit.fonds_code and info["Record-Years"] == "2016-2016"
    tags = (path / "tagmanifest-sha256.txt").read_text(encoding="utf-8")
    for name in (
        "metadata/mets.xml",
        "manifest-sm3.txt",
        "metadata/catalogue.xlsx",
        "bag-info.txt",
    ):
        assert name in tags
    rows = list(load_workbook(path / "metadata" / "catalogue.xlsx").active.values)
    assert rows[0][:2] == ("序号", "档号") and {r[1] for r in rows[1:]} == {
        i.reference_code for i in items
    }
    report = json.loads(
        (path / "metadata" / "four-property-report.json").read_text(encoding="utf-8")
    )
    assert report["stage"] == "transfer" and report["passed"]
    assert (path / "metadata" / "four-property-report.pdf").read_bytes().startswith(b"%PDF")


def test_household_files_and_their_volumes_are_packed(world, tmp_path):
    found = household_file(world, tmp_path)
    dest = tmp_path / "hh"
    path = package_build(items=[], households=[found], meta={"sender": "东岭村委会"}, dest=dest)
    bagit.Bag(str(path)).validate()
    data = json.loads(
        (path / "data" / "households" / found.household_no / "household.json").read_text("utf-8")
    )
    assert data["户编号"] == found.household_no and len(data["材料"]) == 2
    assert data["案卷档号"] == found.file.volume.reference_code


def test_bytes_differing_from_their_digest_stop_the_build_and_leave_nothing(world, tmp_path):
    items = archived_items(world)
    from fupin.checks.services import checks_run

    run = checks_run(actor=None, stage="transfer", items=items)
    stored = Path(default_storage.path(items[1].files.get().object.storage_name))
    stored.write_bytes(stored.read_bytes()[:-10] + b"0123456789")
    dest = tmp_path / "out" / "bag"
    with pytest.raises(PackageError) as refused:
        package_build(items=items, meta={"sender": "东岭村委会", "check_run": run}, dest=dest)
    assert f"{items[1].reference_code} 的 扫描件.pdf 的内容与登记的摘要不符" in str(refused.value)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failing_check_refuses_the_build(world, tmp_path):
    items = archived_items(world)
    default_storage.delete(items[0].files.get().object.storage_name)
    with pytest.raises(PackageError) as refused:
        package_build(items=items, meta={"sender": "东岭村委会"}, dest=tmp_path / "bag")
    assert "四性检测未通过，不能打包：真实性·电子文件摘要复核" in str(refused.value)
    assert not (tmp_path / "bag").exists()


def test_leftovers_of_a_killed_build_are_cleared_and_the_build_runs_again(world, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # What a build killed with kill -9 leaves: its hidden work folder, its process gone.
    stale = out / ".东岭村-2016.building-999999999"
    (stale / "data").mkdir(parents=True)
    (stale / "data" / "half.pdf").write_bytes(b"%PDF-1.4 half")
    _, path = _bag(world, tmp_path)
    assert not stale.exists() and sorted(p.name for p in out.iterdir()) == ["东岭村-2016"]
    bagit.Bag(str(path)).validate()
    with pytest.raises(PackageError, match="已存在"):
        package_build(items=[], meta={}, dest=path)
