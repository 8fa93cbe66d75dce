from django.apps import AppConfig


class UseConfig(AppConfig):
    name = "fupin.use"
    verbose_name = "档案利用与借阅"

    def ready(self) -> None:
        # The access layer sits below this app; it learns of grants through this registration.
        from fupin.accounts.access import register_grant_source
        from fupin.use.selectors import granted_items

        register_grant_source(granted_items)
