"""A periodic job runs once per period; one that fails is tried again after the short retry
pause rather than a whole period later, and `fupin worker status` shows the failure."""

import datetime
import json

import pytest
from django.utils import timezone

from fupin.cli import main
from fupin.worker import beats


@pytest.fixture
def only_test_beats(monkeypatch):
    monkeypatch.setattr(beats, "_beats", {})


def test_periods_and_retry(db, only_test_beats, settings, capsys):
    settings.FUPIN_BEAT_RETRY_SECONDS = 300
    calls: list[str] = []
    broken = {"yes": True}

    def hourly() -> None:
        calls.append("hourly")

    def flaky() -> None:
        calls.append("flaky")
        if broken["yes"]:
            raise RuntimeError("磁盘已满")

    beats.beat_register("test.hourly", datetime.timedelta(hours=1), hourly)
    beats.beat_register("test.flaky", datetime.timedelta(days=1), flaky)
    t = timezone.now()

    first = beats.beats_run_due(now=t)
    assert {(o.name, o.ok) for o in first} == {("test.hourly", True), ("test.flaky", False)}
    assert beats.beats_run_due(now=t + datetime.timedelta(minutes=4)) == []

    capsys.readouterr()
    assert main(["worker", "status", "--json"]) == 0
    shown = {b["name"]: b for b in json.loads(capsys.readouterr().out)["beats"]}
    assert not shown["test.flaky"]["ok"] and "磁盘已满" in shown["test.flaky"]["error"]

    broken["yes"] = False
    again = beats.beats_run_due(now=t + datetime.timedelta(minutes=6))
    assert [(o.name, o.ok) for o in again] == [("test.flaky", True)]
    assert beats.beats_run_due(now=t + datetime.timedelta(minutes=59)) == []
    later = beats.beats_run_due(now=t + datetime.timedelta(minutes=61))
    assert [o.name for o in later] == ["test.hourly"]
    assert calls == ["flaky", "hourly", "flaky", "hourly"]
