from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "fupin.transfer"
    verbose_name = "移交与接收进馆"

    def ready(self) -> None:
        # The access layer sits below this app: it learns which records an archives has taken
        # in (and so which the sending unit may no longer change) through this registration.
        from fupin.accounts.access import register_custody_source
        from fupin.transfer.selectors import held_item_ids_q

        register_custody_source(held_item_ids_q)
