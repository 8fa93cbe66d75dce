from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "fupin.objects"
    verbose_name = "电子文件"
