from django.apps import AppConfig


class DisposalConfig(AppConfig):
    name = "fupin.disposal"
    verbose_name = "鉴定销毁与开放利用"
