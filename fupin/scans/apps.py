from typing import Any

from django.apps import AppConfig


def _ocr_task_lost(task: Any) -> bool:
    from fupin.scans.services import scan_task_lost

    return scan_task_lost(job_id=int(task.args_kwargs["args"][0]))


class ScansConfig(AppConfig):
    name = "fupin.scans"
    verbose_name = "数字化与全文识别"

    def ready(self) -> None:
        # An OCR job keeps its own attempts and progress: when its task loses its worker,
        # the job is given back through the job, not by re-running the task blindly.
        from fupin.worker.services import register_reclaim_hook

        register_reclaim_hook("fupin.scans.tasks.ocr_job", _ocr_task_lost)
        # Every attached scan becomes pages read by OCR, whichever page or import attached it.
        from fupin.records.files import register_attach_follower
        from fupin.scans.services import scan_pages_follow

        register_attach_follower(scan_pages_follow)
