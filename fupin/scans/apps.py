from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "fupin.scans"
    verbose_name = "数字化与全文识别"
