from django.db import models


class WorkerBeat(models.Model):
    """A worker process's sign of life, written every few seconds by a thread of its own:
    which task it runs now. A running task whose worker is silent, gone, or busy with
    something else has lost its worker and is taken over (fupin.worker.services)."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=120)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    # The django-tasks-db result the worker is running, as its UUID text; empty when idle.
    task_id = models.CharField(max_length=36, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class BeatRun(models.Model):
    """When a periodic job (fupin.worker.beats) is next due, and how its last run went. One
    row per job name: a worker claims a run by moving `due_at` forward with a conditional
    UPDATE, so with several workers on several hosts each period runs once."""

    name = models.CharField(max_length=100, unique=True)
    due_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    host = models.CharField(max_length=120, blank=True)
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
