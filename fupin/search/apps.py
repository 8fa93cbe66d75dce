from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fupin.search"
    verbose_name = "全文检索"
