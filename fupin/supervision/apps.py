from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fupin.supervision"
    verbose_name = "监督与统计"
