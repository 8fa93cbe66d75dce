from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fupin.audit"
    verbose_name = "审计日志"
