from typing import Any

from django.apps import AppConfig


def _import_task_lost(task: Any) -> bool:
    from django.db import transaction

    from fupin.households.registry.import_jobs import import_lost
    from fupin.worker.services import attempts_left

    token, stage = task.args_kwargs["args"]
    retry, attempts = attempts_left(task), len(task.worker_ids)
    transaction.on_commit(lambda: import_lost(token, stage, retry=retry, attempts=attempts))
    return False  # the queue itself queues the task again, or fails it after the last attempt


class HouseholdsConfig(AppConfig):
    name = "fupin.households"
    verbose_name = "建档立卡农户"

    def ready(self) -> None:
        # No yearly papers are owed after the campaign's end: setting it (in the regions app,
        # below this one) recomputes the completeness of the files under the region.
        from fupin.households.files.completeness import ImportedFiles, files_refresh_under
        from fupin.households.registry.hooks import register_file_columns
        from fupin.regions.services import register_campaign_end_listener

        register_campaign_end_listener(files_refresh_under)
        # The registry writes the file's completeness columns as it imports, without
        # importing the file's rules (registry/hooks.py).
        register_file_columns(ImportedFiles)

        # Uploaded registration sheets and error workbooks (full ID numbers) are cleared
        # after FUPIN_UPLOAD_KEEP_MINUTES by the workers.
        import datetime

        from fupin.households.registry.import_jobs import imports_forget_expired
        from fupin.worker.beats import beat_register

        beat_register(
            "households.forget_uploads", datetime.timedelta(minutes=5), imports_forget_expired
        )
        # A worker killed during a web import leaves its job "正在处理": on the take-over the
        # job is told it was queued again, or failed with the reason.
        from fupin.worker.services import register_reclaim_hook

        register_reclaim_hook("fupin.households.tasks.households_import_job", _import_task_lost)
