"""Search sees an import at once: the workers apply the index's queue every few seconds
whoever wrote it (no search has to come first), and until they have, every search says that
the index lags — on the page, in the API and on the command line — instead of finding
nothing in silence."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from fupin.cli import main
from fupin.search.models import SearchPending
from fupin.worker.beats import beats_run_due
from fupin.worker.models import WorkerBeat
from fupin.worker.runner import beats_check_seconds
from tests.households_samples import household, run_import, write_sheet

NAME = "欧阳春晓"


@pytest.fixture
def imported(world, tmp_path, capsys, monkeypatch):
    """Twelve households imported: more queued changes than a search applies itself."""
    monkeypatch.setattr("fupin.search.selectors.QUERY_SYNC_LIMIT", 5)
    rows = [row for n in range(1, 13) for row in household("420322100201", n)]
    rows[0]["姓名"] = NAME
    code, data = run_import(capsys, write_sheet(tmp_path / "sheet.xlsx", rows))
    assert code == 0, data
    assert SearchPending.objects.count() > 5
    return data


def api(world, q: str) -> dict:
    response = world.client("township_a").get("/api/v1/search/", {"q": q})
    assert response.status_code == 200
    return response.json()


def test_until_applied_every_surface_says_the_index_lags(world, imported, capsys):
    data = api(world, NAME)
    assert data["count"] == 0 and data["backlog"] > 5
    assert "尚未补入" in data["notice"] and "没有运行中的后台任务进程" in data["notice"]
    page = world.client("township_a").get("/search/", {"q": NAME}).content.decode()
    assert "索引正在更新" in page and "刚导入或修改的记录可能暂时检索不到" in page
    assert main(["search", NAME, "--as", "township_a"]) == 0
    assert "尚未补入" in capsys.readouterr().out
    # With a worker alive, the notice says it is being applied.
    WorkerBeat.objects.create(
        worker_id="w1", host="h", pid=1, started_at=timezone.now(), beat_at=timezone.now()
    )
    assert "后台任务进程正在补入" in api(world, NAME)["notice"]


def test_the_workers_apply_the_queue_without_anyone_searching(world, imported):
    outcomes = {o.name: o.ok for o in beats_run_due()}
    assert outcomes["search.sync"] is True
    assert not SearchPending.objects.exists()
    data = api(world, NAME)
    assert (data["count"], data["backlog"], data["notice"]) == (1, 0, "")
    assert data["items"][0]["kind"] == "household"
    assert api(world, "王建国")["count"] == 11


def test_workers_look_for_the_queue_every_few_seconds(world):
    assert beats_check_seconds() <= settings.FUPIN_SEARCH_SYNC_SECONDS <= 5
    beats_run_due()
    later = timezone.now() + datetime.timedelta(seconds=settings.FUPIN_SEARCH_SYNC_SECONDS)
    # Due again one period later, not after the beats' usual half minute.
    assert "search.sync" in {o.name for o in beats_run_due(now=later)}


def test_a_short_queue_is_applied_by_the_search_itself(world, imported):
    beats_run_due()
    assert api(world, NAME)["notice"] == ""
    from fupin.households.models import Person

    Person.objects.filter(name=NAME).update(name="欧阳秋实")
    data = api(world, "欧阳秋实")
    assert (data["count"], data["backlog"]) == (1, 0)
