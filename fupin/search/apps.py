import datetime

from django.apps import AppConfig
from django.conf import settings


class SearchConfig(AppConfig):
    name = "fupin.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from fupin.search.services import search_sync_beat
        from fupin.worker.beats import beat_register

        # The workers drain the index queue every few seconds, whoever wrote it (an import
        # of any size, a change behind the services' back): nobody has to search first.
        every = datetime.timedelta(seconds=settings.FUPIN_SEARCH_SYNC_SECONDS)
        beat_register("search.sync", every, search_sync_beat)
