import datetime

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

        from fupin.transfer.services import sync_offer
        from fupin.worker.beats import beat_register

        # 同步接收: each day the workers offer synchronous units' newly locked records.
        beat_register("transfer.sync_offer", datetime.timedelta(days=1), sync_offer)
