from django_tasks import task

from fupin.search.services import search_sync


@task()
def search_sync_task() -> int:
    """The worker drains what the query path left in the queue."""
    return search_sync(actor=None)
