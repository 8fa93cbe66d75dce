"""Reads about the workers, for the pages that depend on them."""

import datetime

from django.conf import settings
from django.utils import timezone

from fupin.worker.models import WorkerBeat


def workers_running() -> bool:
    """Whether some worker gave a sign of life lately (its heartbeat is not stale)."""
    since = timezone.now() - datetime.timedelta(seconds=settings.FUPIN_WORKER_STALE_SECONDS)
    return WorkerBeat.objects.filter(stopped_at__isnull=True, beat_at__gte=since).exists()
