from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "fupin.custody"
    verbose_name = "库房与实体保管"
