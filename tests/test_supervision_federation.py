"""A county installation's report travels as a signed package; the province verifies it and
refuses a tampered, duplicate or unknown one."""

import json

import pytest

from fupin.cli import main
from fupin.supervision.models import QuarterReport
from tests.supervision_api import BASE, build, post, submit
from tests.supervision_fixtures import THIS_QUARTER


@pytest.fixture
def package(world, settings, tmp_path, capsys):
    """郧西县's installation signs its submitted report; then this database plays the
    province's installation, which trusts 郧西县's key."""
    settings.FUPIN_FEDERATION_SENDER = "郧西县"
    settings.FUPIN_FEDERATION_KEY = "yunxi-secret"
    county = world.client("county_a")
    report = build(county, region_code="420322")
    submit(county, report["id"])
    out = tmp_path / "420322.json"
    assert main(["reports", "export", "--quarter", THIS_QUARTER, "--region", "420322",
                 "--out", str(out), "--json"]) == 0  # fmt: skip
    capsys.readouterr()
    QuarterReport.objects.filter(pk=report["id"]).delete()
    settings.FUPIN_FEDERATION_SENDER = "湖北省"
    settings.FUPIN_FEDERATION_KEY = "hubei-secret"
    settings.FUPIN_FEDERATION_TRUSTED = "郧西县=yunxi-secret,竹山县=zhushan-secret"
    return out


def run_import(capsys, path) -> tuple[int, dict]:
    code = main(["reports", "import", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_good_package_imports_as_a_submitted_report(world, package, capsys):
    code, data = run_import(capsys, package)
    assert code == 0 and data["status"] == "submitted"
    report = QuarterReport.objects.get(pk=data["id"])
    assert (report.sender, report.region_id, report.quarter) == ("郧西县", "420322", THIS_QUARTER)
    # The county's whole subtree: its two own units, both townships' and both villages'.
    assert report.figures["units"] == 6


def test_duplicate_is_refused(world, package, capsys):
    assert run_import(capsys, package)[0] == 0
    code, data = run_import(capsys, package)
    assert code == 2 and "已经导入过" in data["error"]


def test_tampered_figures_are_refused(world, package, capsys):
    raw = json.loads(package.read_text(encoding="utf-8"))
    raw["payload"]["figures"]["items"] = 9999
    package.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, data = run_import(capsys, package)
    assert code == 2 and "篡改" in data["error"]
    assert not QuarterReport.objects.filter(region_id="420322").exists()


def test_resigned_digest_without_the_key_is_refused(world, package, capsys):
    import hashlib

    from fupin.supervision.federation.package import canonical

    raw = json.loads(package.read_text(encoding="utf-8"))
    raw["payload"]["figures"]["items"] = 9999
    raw["digest"] = hashlib.sha256(canonical(raw["payload"])).hexdigest()
    package.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, data = run_import(capsys, package)
    assert code == 2 and "签名校验失败" in data["error"]


def test_unknown_sender_is_refused(world, package, capsys, settings):
    settings.FUPIN_FEDERATION_TRUSTED = "竹山县=zhushan-secret"
    code, data = run_import(capsys, package)
    assert code == 2 and "不在本系统信任" in data["error"]


def test_api_import_and_export(world, package):
    city = world.client("office_city")
    body = json.loads(package.read_text(encoding="utf-8"))
    imported = post(city, "/packages", body, 201)
    assert imported["sender"] == "郧西县"
    assert "已经导入过" in post(city, "/packages", body, 400)["detail"]
    # The county office may not import its own report as if it were the level above.
    again = world.client("county_a").post(f"{BASE}/packages", body, content_type="application/json")
    assert again.status_code == 403
    exported = city.get(f"{BASE}/reports/{imported['id']}/package").json()
    assert exported["payload"]["sender"] == "湖北省" and len(exported["signature"]) == 64
