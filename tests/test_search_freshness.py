"""The index follows every change in the same transaction (database triggers queue it, the
query path applies it), a rolled-back change (a crash) leaves no trace, and
`fupin search rebuild` restores an index that was lost."""

import json
from datetime import date

import pytest
from django.db import connection, transaction

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.households.models import Person
from fupin.records.models import RecordItem
from fupin.records.services import item_create
from fupin.scans.models import ScanPage
from fupin.search.backends import check_index
from fupin.search.models import SearchDoc, SearchPending
from tests.search_fixtures import build_corpus


class Crash(Exception):
    pass


@pytest.fixture
def corpus(world):
    return build_corpus(world)


def ids(world, query: str, persona: str = "township_a") -> set[int]:
    data = world.client(persona).get("/api/v1/search/", {"q": query, "per_page": 100}).json()
    return {h["id"] for h in data["items"]}


def new_item(corpus, title: str) -> RecordItem:
    model = corpus["a_ledger"]
    return item_create(
        actor=None, unit_id=model.unit_id, category="WS", schedule_row_id=model.schedule_row_id,
        retention="Y", class_code_id=model.class_code_id, date=date(2016, 5, 1), pages=1,
        title=title, responsible="东岭村委会",
    )  # fmt: skip


def test_a_change_is_found_inside_its_transaction_and_gone_after_a_crash(world, corpus):
    assert ids(world, "雨露计划")
    before = SearchDoc.objects.count()
    with pytest.raises(Crash), transaction.atomic():
        item = new_item(corpus, "光伏扶贫电站验收报告")
        assert ids(world, "光伏电站") == set()
        assert ids(world, "光伏扶贫") == {item.pk}
        raise Crash
    assert ids(world, "光伏扶贫") == set()
    assert SearchDoc.objects.count() == before
    assert not SearchPending.objects.exists()


def test_changes_behind_the_services_back_are_queued_by_the_database(world, corpus):
    item = corpus["a_ledger"]
    RecordItem.objects.filter(pk=item.pk).update(title="东岭村产业发展台账")
    assert SearchPending.objects.exists()
    assert ids(world, "产业发展") == {item.pk}
    assert ids(world, "精准扶贫工作台账") == set()
    ScanPage.objects.filter(item=corpus["a_scan"], number=2).delete()
    assert ids(world, "李四光") == set()
    Person.objects.filter(name="李秀兰").update(name="李秀英")
    assert ids(world, "李秀英") == {corpus["a_wang"].pk}
    assert ids(world, "李秀兰") == set()
    assert not SearchPending.objects.exists()


def test_a_backlog_beyond_the_bound_is_left_to_the_worker(world, corpus, monkeypatch, capsys):
    monkeypatch.setattr("fupin.search.selectors.QUERY_SYNC_LIMIT", 1)
    for n in range(3):
        new_item(corpus, f"第{n}批到户项目公示")
    page = world.client("village_a").get("/search/", {"q": "到户项目"}).content.decode()
    assert "索引正在更新" in page
    assert main(["search", "sync", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] >= 2
    assert len(ids(world, "到户项目", "village_a")) == 3


def test_rebuild_restores_a_lost_index(world, corpus, capsys):
    expected = ids(world, "雨露计划")
    assert expected
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_doc")
    assert ids(world, "雨露计划") == set()
    assert main(["search", "rebuild", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["documents"] == RecordItem.objects.count() + 3
    assert ids(world, "雨露计划") == expected
    check_index()
    assert AuditEvent.objects.filter(action="search.rebuild").exists()
