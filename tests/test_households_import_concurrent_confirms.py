"""Two `--skip-invalid` imports previewed from the same registry and confirmed at the same
moment (found by the cluster run): the later one is checked against the registry the first one
left. It is refused in Chinese — the registry changed since its preview, preview again — or,
without a preview, applied on top of the first; never "done" with every household skipped.

"The same moment" is the interleaving that lost the later import: its first reading of the
sheet (which finds the sheet's own errors) runs before the other import commits, its second
(which writes the valid households) after."""

import json

import pytest

from fupin.households.models import Household, Person
from fupin.households.registry import services
from tests.households_samples import household, run_import, write_sheet
from tests.test_households_import_page import upload

V_A = "420322100201"
BAD_ID = {"证件号码": "420322"}  # too short: a row error, so --skip-invalid reads twice


def _same_registry(capsys, tmp_path):
    """Households 1 and 2, then two exports of the village made from that state: A adds
    household 3, B adds household 4 whose head is the person A registers in household 3;
    each also holds one household with an error."""
    both = household(V_A, 1) + household(V_A, 2)
    assert run_import(capsys, write_sheet(tmp_path / "base.xlsx", both))[0] == 0
    third = household(V_A, 3)
    a = both + third + household(V_A, 9, size=1, **BAD_ID)
    fourth = household(V_A, 4)
    fourth[0]["证件号码"] = third[0]["证件号码"]
    b = both + fourth + household(V_A, 8, size=1, **BAD_ID)
    return write_sheet(tmp_path / "甲.xlsx", a), write_sheet(tmp_path / "乙.xlsx", b)


@pytest.fixture
def at_the_same_moment(monkeypatch):
    """`meanwhile()` runs between the later import's two readings, once."""
    pending = []
    real = services._write_pass

    def write_pass(run, check, first=None):
        if first is not None and pending:
            pending.pop()()
        return real(run, check, first)

    monkeypatch.setattr(services, "_write_pass", write_pass)
    return pending


def _preview(client, path) -> dict:
    url = "/api/v1/households/import/preview"
    job = upload(client, path, url, skip_invalid="true").json()
    assert job.get("state") == "done" and job["report"]["digest"], job
    return job


def _apply(client, job) -> dict:
    body = json.dumps({"digest": job["report"]["digest"]})
    return client.post(job["apply_url"], body, content_type="application/json").json()


def test_the_later_confirm_is_refused_and_says_to_preview_again(
    world, tmp_path, capsys, at_the_same_moment
):
    sheet_a, sheet_b = _same_registry(capsys, tmp_path)
    clerk, colleague = world.client("township_a"), world.client("township_a")  # two tabs
    job_a, job_b = _preview(clerk, sheet_a), _preview(colleague, sheet_b)
    applied_a = {}
    at_the_same_moment.append(lambda: applied_a.update(_apply(clerk, job_a)))
    done_b = _apply(colleague, job_b)

    assert applied_a["state"] == "done" and applied_a["report"]["applied"], applied_a
    assert done_b["state"] == "failed", done_b
    assert "预览之后表格或登记数据已有变化" in done_b["error"]
    assert "请重新上传并预览" in done_b["error"]
    # What A imported stands; nothing of B was written.
    assert Household.objects.filter(household_no=f"{V_A}00003", status="new").exists()
    assert not Household.objects.filter(household_no=f"{V_A}00004").exists()


def test_without_a_preview_the_later_import_applies_on_top_of_the_first(
    world, tmp_path, capsys, at_the_same_moment
):
    sheet_a, sheet_b = _same_registry(capsys, tmp_path)
    first = {}

    def import_a() -> None:
        first["code"], first["report"] = run_import(capsys, sheet_a, "--skip-invalid")

    at_the_same_moment.append(import_a)
    code, report = run_import(capsys, sheet_b, "--skip-invalid")

    assert first["code"] == 2 and first["report"]["applied"], first
    assert code == 2 and report["applied"], report
    # B is the registry's latest word: household 4 refused (its head is registered in 3,
    # which B does not hold), household 3 cleared (清退) as absent from B's village.
    messages = " ".join(e["message"] for e in report["errors"])
    assert "已登记在户" in messages and f"{V_A}00003" in messages
    assert report["changes"] == {"清退": 1}
    assert Household.objects.get(household_no=f"{V_A}00003").status == "removed"
    assert not Household.objects.filter(household_no=f"{V_A}00004").exists()
    assert Person.objects.filter(household__household_no=f"{V_A}00003").count() == 3
