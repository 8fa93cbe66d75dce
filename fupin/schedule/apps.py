from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "fupin.schedule"
    verbose_name = "归档范围和保管期限表"
