from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "fupin.checks"
    verbose_name = "四性检测"
