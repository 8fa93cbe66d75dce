import datetime

from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "fupin.worker"
    verbose_name = "后台任务进程"

    def ready(self) -> None:
        from fupin.worker.beats import beat_register
        from fupin.worker.services import workers_forget_stopped

        beat_register("worker.forget_stopped", datetime.timedelta(days=1), workers_forget_stopped)
        beat_register("audit.anchor", datetime.timedelta(days=1), _daily_anchor)


def _daily_anchor() -> None:
    from fupin.audit.anchors import anchor_publish

    anchor_publish(reason="每日锚点")
