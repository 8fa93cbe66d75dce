from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "fupin.households"
    verbose_name = "建档立卡农户"
