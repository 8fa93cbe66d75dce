"""Keeping the index in step: apply queued changes (bounded), or rebuild it from the sources."""

import time
from collections import defaultdict
from typing import Any

from django.db import connection, transaction

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.core.planner import statistics_refresh
from fupin.search.backends import optimise_index
from fupin.search.indexing import build_all, clear_index, reindex
from fupin.search.models import SearchDoc, SearchPending

# A search request applies the queue itself only when it is this short (a clerk's own
# changes); a longer one (an import) is the workers' (`search_sync_beat`), and the page says so.
QUERY_SYNC_LIMIT = 500
# An update of the index this long changes its size enough to refresh the planner's figures.
REFRESH_AFTER = 1000
# The backlog is counted up to this many queued changes ("more than" beyond): a search after
# a province's import should not count a million rows to say so.
BACKLOG_COUNTED = 100_000


def search_sync(*, actor: Any = None, limit: int | None = None) -> int:
    """Apply queued changes (up to `limit` queue rows; all if None). Returns the rows applied.

    Not audited: it changes no record, only brings the index up to what the audit trail of
    the records already says.
    """
    if actor is not None:
        require_cap(actor, Cap.USERS_MANAGE)
    applied = 0
    while limit is None or applied < limit:
        step = 2000 if limit is None else min(2000, limit - applied)
        with transaction.atomic():
            rows = list(
                SearchPending.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", "kind", "object_id")[:step]
            )
            if not rows:
                break
            wanted: dict[str, set[int]] = defaultdict(set)
            for _, kind, object_id in rows:
                wanted[kind].add(object_id)
            for kind, ids in wanted.items():
                reindex(kind, ids)
            SearchPending.objects.filter(pk__in=[r[0] for r in rows]).delete()
        applied += len(rows)
    if applied >= REFRESH_AFTER:
        statistics_refresh(SearchDoc)
    return applied


def search_backlog(limit: int = BACKLOG_COUNTED) -> int:
    """Queued changes not yet in the index, counted up to `limit`. In SQL of its own: every
    search asks, and the ORM took 0.18 ms to write this read, ten times the read itself."""
    with connection.cursor() as cursor:
        table = SearchPending._meta.db_table
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) queued", [limit])
        return int(cursor.fetchone()[0])


def search_sync_beat() -> int:
    """The workers' periodic job: apply whatever is queued (see apps.py)."""
    if not SearchPending.objects.exists():
        return 0
    return search_sync(actor=None)


def search_rebuild(*, actor: Any = None) -> dict[str, Any]:
    """Throw the index away and build it again from the records, all or nothing."""
    if actor is not None:
        require_cap(actor, Cap.USERS_MANAGE)
    started = time.perf_counter()
    with transaction.atomic():
        SearchPending.objects.all().delete()
        clear_index()
        built = build_all()
        optimise_index()
        audit_record(
            actor=actor,
            action="search.rebuild",
            object_type="search",
            summary=f"重建全文检索索引：{built} 条",
        )
    seconds = time.perf_counter() - started
    return {"documents": built, "seconds": round(seconds, 3), "indexed": SearchDoc.objects.count()}
