from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "fupin.photos"
    verbose_name = "照片与声像档案"
