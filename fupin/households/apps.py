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
