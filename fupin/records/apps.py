from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "fupin.records"
    verbose_name = "文件整理与归档"
