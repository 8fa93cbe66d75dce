"""Periodic jobs ("beats") run by the workers: an app calls `beat_register` in its
AppConfig.ready, and every worker calls `beats_run_due` on each turn of its beats loop.
With any number of workers on any number of hosts, each beat runs once per period: the run
is claimed by a conditional UPDATE of its BeatRun row (`due_at <= now` → `due_at = now +
every`), which only one worker can win. A failed run is tried again after a short pause
(not a whole period), and its error is kept on the row for `fupin worker status`."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fupin.worker.models import BeatRun
from fupin.worker.services import error_words, this_host

log = logging.getLogger("fupin.worker")


@dataclass(frozen=True)
class Beat:
    name: str
    every: datetime.timedelta
    fn: Callable[[], object]


@dataclass(frozen=True)
class BeatOutcome:
    name: str
    ok: bool
    error: str = ""


_beats: dict[str, Beat] = {}


def beat_register(name: str, every: datetime.timedelta, fn: Callable[[], object]) -> None:
    """Run `fn()` about every `every` on one of the workers. Registering a name again
    replaces the earlier registration (AppConfig.ready may run more than once in tests)."""
    if every <= datetime.timedelta(0):
        raise ValueError(f"定时任务 {name} 的周期必须大于零")
    _beats[name] = Beat(name, every, fn)


def beats_registered() -> list[Beat]:
    return sorted(_beats.values(), key=lambda b: b.name)


def _claim(beat: Beat, now: datetime.datetime) -> bool:
    if not BeatRun.objects.filter(name=beat.name).exists():
        try:
            with transaction.atomic():
                BeatRun.objects.create(name=beat.name, due_at=now)
        except IntegrityError:
            pass  # another worker made the row at the same moment
    won = BeatRun.objects.filter(name=beat.name, due_at__lte=now).update(
        due_at=now + beat.every,
        runs=F("runs") + 1,
        started_at=now,
        host=this_host()[:120],
    )
    return won == 1


def beats_run_due(*, now: datetime.datetime | None = None) -> list[BeatOutcome]:
    """Run every registered beat that is due and that no other worker has claimed for this
    period. A beat that raises does not stop the others."""
    done: list[BeatOutcome] = []
    for beat in beats_registered():
        started = now or timezone.now()
        if not _claim(beat, started):
            continue
        try:
            beat.fn()
        except Exception as exc:
            words = error_words(exc)
            log.exception("定时任务 %s 失败：%s", beat.name, words)
            retry = min(beat.every, datetime.timedelta(seconds=settings.FUPIN_BEAT_RETRY_SECONDS))
            BeatRun.objects.filter(name=beat.name).update(
                due_at=started + retry, finished_at=timezone.now(), ok=False, error=words
            )
            done.append(BeatOutcome(beat.name, False, words))
        else:
            BeatRun.objects.filter(name=beat.name).update(
                finished_at=timezone.now(), ok=True, error=""
            )
            done.append(BeatOutcome(beat.name, True))
    return done
