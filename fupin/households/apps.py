from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "fupin.households"
    verbose_name = "建档立卡农户"

    def ready(self) -> None:
        # No yearly papers are owed after the campaign's end: setting it (in the regions app,
        # below this one) recomputes the completeness of the files under the region.
        from fupin.households.completeness import files_refresh_under
        from fupin.regions.services import register_campaign_end_listener

        register_campaign_end_listener(files_refresh_under)

        # Uploaded registration sheets and error workbooks (full ID numbers) are cleared
        # after FUPIN_UPLOAD_KEEP_MINUTES by the workers.
        import datetime

        from fupin.households.import_jobs import imports_forget_expired
        from fupin.worker.beats import beat_register

        beat_register(
            "households.forget_uploads", datetime.timedelta(minutes=5), imports_forget_expired
        )
