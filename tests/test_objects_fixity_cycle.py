"""Fixity audits in the background: a beat of the workers reads its share of the store each
run (longest-unchecked first, every overdue object, paced in bytes/s); each check is a
PREMIS-style event; an unrepairable copy reaches the custodian's home page and the quarter's
figures."""

import datetime
import io
import time

from django.utils import timezone

from fupin.objects.models import PreservationEvent, StoredObject
from fupin.objects.services import FIXITY_AGENT, object_capture, objects_fixity_cycle
from fupin.supervision.reports.figures import BY_KEY
from fupin.worker.beats import beats_registered, beats_run_due
from tests import objects_samples as samples


def capture(world, text: str, unit: str = "committee_a"):
    done = object_capture(
        actor=None,
        stream=io.BytesIO(samples.pdf(text=text)),
        filename=f"{text}.pdf",
        category="WS",
        unit=world.units[unit],
    )
    return done.object


def fixity_events():
    return PreservationEvent.objects.filter(type="fixity check")


def test_the_cycle_is_a_worker_beat_that_checks_and_records(world):
    assert "objects.fixity" in [b.name for b in beats_registered()]
    obj = capture(world, "甲")
    outcomes = {o.name: o for o in beats_run_due()}
    assert outcomes["objects.fixity"].ok
    event = fixity_events().get(object=obj)
    assert (event.outcome, event.store, event.agent) == ("success", "primary", FIXITY_AGENT)
    obj.refresh_from_db()
    assert obj.fixity_checked_at is not None and obj.fixity_problem == ""


def test_each_run_takes_its_share_longest_unchecked_first(world, settings):
    settings.FUPIN_FIXITY_DAYS = 90
    first, second, third = (capture(world, t) for t in ("一", "二", "三"))

    # 90 days of 15-minute runs: a tiny share each, so one object per run when none is overdue.
    assert objects_fixity_cycle().checked == 1
    assert objects_fixity_cycle().checked == 1
    checked = set(fixity_events().values_list("object_id", flat=True))
    assert checked == {first.pk, second.pk}
    assert objects_fixity_cycle().checked == 1
    assert objects_fixity_cycle().checked == 1  # the cycle starts again with the oldest check
    counts = {o: fixity_events().filter(object=o).count() for o in (first, second, third)}
    assert counts == {first: 2, second: 1, third: 1}


def test_overdue_objects_are_all_checked(world, settings):
    settings.FUPIN_FIXITY_DAYS = 7
    objs = [capture(world, t) for t in ("一", "二", "三")]
    long_ago = timezone.now() - datetime.timedelta(days=8)
    StoredObject.objects.update(created_at=long_ago, fixity_checked_at=long_ago)

    assert objects_fixity_cycle().checked == len(objs)


def test_reading_is_paced_and_a_run_is_bounded_in_time(world, settings):
    objs = [capture(world, t) for t in ("一", "二", "三")]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    StoredObject.objects.update(created_at=long_ago)
    settings.FUPIN_FIXITY_RATE = objs[0].size  # one object's bytes per second
    settings.FUPIN_FIXITY_RUN_SECONDS = 0.5

    started = time.monotonic()
    report = objects_fixity_cycle()
    took = time.monotonic() - started
    assert report.checked == 1 and took >= 0.8


def test_unrepairable_copy_reaches_home_page_and_figures(world, media_root):
    bad = capture(world, "坏")
    capture(world, "好")
    (media_root / bad.storage_name).write_bytes(b"rotten")

    StoredObject.objects.update(created_at=timezone.now() - datetime.timedelta(days=400))
    objects_fixity_cycle()
    bad.refresh_from_db()
    assert "内容与其地址（SHA-256 文件名）不符" in bad.fixity_problem
    page = world.client("village_a").get("/").content.decode()
    assert "1 个电子文件固定性检查未通过" in page and "坏.pdf" in page
    assert "固定性检查未通过" not in world.client("village_b").get("/").content.decode()
    now = timezone.now()
    span = (now - datetime.timedelta(days=1), now + datetime.timedelta(days=1))
    figure = BY_KEY["files_fixity_failed"]
    assert figure.by_unit(span, [world.units["committee_a"].pk]) == {
        world.units["committee_a"].pk: 1
    }
    assert figure.by_region(span, "420322100201", exact=True) == {"420322100201": 1}
    old = (now - datetime.timedelta(days=100), now - datetime.timedelta(days=9))
    assert figure.by_unit(old, [world.units["committee_a"].pk]) == {}
