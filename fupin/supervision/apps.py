from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fupin.supervision"
    verbose_name = "监督与统计"

    def ready(self) -> None:
        from fupin.regions.panels import register_region_panel, register_unit_panel
        from fupin.supervision.inspections.guidance_views import unit_panel, village_panel

        register_region_panel(village_panel)
        register_unit_panel(unit_panel)
