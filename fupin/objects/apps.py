import datetime

from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "fupin.objects"
    verbose_name = "电子文件"

    def ready(self) -> None:
        from fupin.objects.services import FIXITY_EVERY, objects_fixity_cycle, objects_sweep_beat
        from fupin.worker.beats import beat_register

        # Small runs often rather than one long one: each run takes its share of the cycle.
        beat_register("objects.fixity", FIXITY_EVERY, objects_fixity_cycle)
        beat_register("objects.sweep", datetime.timedelta(hours=6), objects_sweep_beat)
