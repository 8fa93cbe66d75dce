"""An import shows what it would do, per village, before anything changes; what is confirmed
is exactly what is applied, and a sheet or registry that changed in between is refused."""

import json

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.households.models import Household, HouseholdChange, ImportBatch, Person
from tests.households_samples import household, person, run_import, write_sheet
from tests.scans_worker import run_worker
from tests.test_households_import_page import confirm, upload

V_A, V_B = "420322100201", "420322100202"


def _registered(capsys, tmp_path) -> None:
    first = household(V_A, 1) + household(V_A, 2) + household(V_A, 3, size=2)
    first += household(V_A, 4, size=1, 脱贫属性="已脱贫") + household(V_B, 5, size=1)
    assert run_import(capsys, write_sheet(tmp_path / "2016.xlsx", first))[0] == 0


def _next_year(tmp_path):
    grows = [*household(V_A, 2, size=3, 人数="4"), person(V_A, 2, 4, "王小宝", "之孙子", 97)]
    rows = household(V_A, 1, 脱贫属性="已脱贫") + grows
    rows += household(V_A, 4, size=1, 脱贫属性="返贫", 主要致贫原因="因灾")
    rows += household(V_A, 6, size=2) + household(V_B, 5, size=1, 联系电话="13800001111")
    return write_sheet(tmp_path / "2017.xlsx", rows)


def _snapshot() -> tuple:
    return (
        sorted(Household.objects.values_list("household_no", "status", "size", "phone")),
        Person.objects.count(),
        HouseholdChange.objects.count(),
        ImportBatch.objects.count(),
        AuditEvent.objects.count(),
    )


def test_dry_run_writes_nothing_and_previews_exactly_what_the_import_applies(
    world, tmp_path, capsys
):
    _registered(capsys, tmp_path)
    path = _next_year(tmp_path)
    before = _snapshot()
    code, preview = run_import(capsys, path, "--dry-run")
    assert code == 0 and preview["dry_run"] and not preview["applied"], preview
    assert _snapshot() == before
    village_a = next(v for v in preview["plan"] if v["village"] == V_A)
    assert village_a["village_name"] == "郧西县城关镇东岭村"
    assert (village_a["new"], village_a["exited"], village_a["returned"]) == (1, 1, 1)
    assert village_a["removed"] == 1 and village_a["members_added"] == 1
    assert village_a["removed_households"] == [
        {"household_no": f"{V_A}00003", "head_name": "王建国"}
    ]
    village_b = next(v for v in preview["plan"] if v["village"] == V_B)
    assert village_b["attributes_changed"] == 1 and village_b["removed"] == 0

    code, applied = run_import(capsys, path)
    assert code == 0 and applied["applied"]
    assert applied["plan"] == preview["plan"] and applied["digest"] == preview["digest"]
    assert applied["changes"] == preview["changes"]
    kinds = HouseholdChange.objects.filter(batch_id=applied["batch_id"])
    assert kinds.filter(kind="removed").get().household.household_no == f"{V_A}00003"
    assert kinds.count() == sum(preview["changes"].values())


def test_cli_prints_the_figures_of_each_village(world, tmp_path, capsys):
    _registered(capsys, tmp_path)
    capsys.readouterr()
    assert main(["households", "import", str(_next_year(tmp_path)), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "预览，未写入" in out and "郧西县城关镇东岭村：新识别 1" in out
    assert f"清退：王建国户（{V_A}00003）" in out
    assert not HouseholdChange.objects.filter(kind="removed").exists()


def test_page_previews_and_applies_only_on_confirmation(world, tmp_path, capsys):
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    before = _snapshot()
    page = upload(client, _next_year(tmp_path)).content.decode()
    assert "确认导入" in page and f"王建国户（{V_A}00003）" in page
    assert _snapshot() == before
    page = confirm(client, page).content.decode()
    assert "已导入" in page
    assert Household.objects.get(household_no=f"{V_A}00003").status == "removed"


def test_registry_changed_since_the_preview_is_refused(world, tmp_path, capsys):
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    page = upload(client, _next_year(tmp_path)).content.decode()
    # Meanwhile someone else imports a sheet that changes household 6's village.
    other = household(V_A, 6, size=1)
    assert run_import(capsys, write_sheet(tmp_path / "other.xlsx", other))[0] == 0
    before = _snapshot()
    page = confirm(client, page).content.decode()
    assert "预览之后表格或登记数据已有变化" in page
    assert _snapshot() == before


def test_sheet_changed_since_the_preview_is_refused(world, tmp_path, capsys, settings):
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    page = upload(client, _next_year(tmp_path)).content.decode()
    token = page.split('/apply/"')[0].rsplit("/", 1)[1]
    kept = next((settings.DATA_DIR / "imports" / token).glob("*.xlsx"))
    write_sheet(kept, household(V_A, 1))  # the stored sheet replaced under the preview
    before = _snapshot()
    assert "预览之后表格或登记数据已有变化" in confirm(client, page).content.decode()
    assert _snapshot() == before


def test_a_large_sheet_runs_on_the_task_queue(
    world, tmp_path, capsys, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FUPIN_IMPORT_INLINE_BYTES = 0
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, _next_year(tmp_path))
    job_url = response.redirect_chain[-1][0]
    page = response.content.decode()
    assert "排队等待" in page and 'http-equiv="refresh"' in page
    run_worker(monkeypatch)
    page = client.get(job_url).content.decode()
    assert "确认导入" in page and "预览已完成" in page
    with django_capture_on_commit_callbacks(execute=True):
        page = confirm(client, page).content.decode()
    assert "排队等待" in page and Household.objects.filter(status="removed").count() == 0
    run_worker(monkeypatch)
    page = client.get(job_url).content.decode()
    assert "已导入" in page and Household.objects.filter(status="removed").count() == 1


def test_api_preview_then_apply(world, tmp_path, capsys):
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    job = upload(client, _next_year(tmp_path), "/api/v1/households/import/preview").json()
    assert job["stage"] == "preview" and job["state"] == "done", job
    assert job["report"]["plan"] and not Household.objects.filter(status="removed").exists()
    assert world.client("county_a").get(job["job_url"]).status_code == 404
    assert client.get("/api/v1/households/import/jobs/nosuchtoken").status_code == 404
    wrong = client.post(job["apply_url"], {"digest": "0" * 64}, content_type="application/json")
    assert wrong.status_code == 200 and wrong.json()["state"] == "failed"
    assert "预览之后" in wrong.json()["error"]
    assert not Household.objects.filter(status="removed").exists()


def test_api_apply_with_the_previewed_digest(world, tmp_path, capsys):
    _registered(capsys, tmp_path)
    client = world.client("township_a")
    job = upload(client, _next_year(tmp_path), "/api/v1/households/import/preview").json()
    body = json.dumps({"digest": job["report"]["digest"]})
    done = client.post(job["apply_url"], body, content_type="application/json").json()
    assert done["state"] == "done" and done["report"]["applied"], done
    assert done["report"]["plan"] == job["report"]["plan"]
    assert Household.objects.get(household_no=f"{V_A}00003").status == "removed"
