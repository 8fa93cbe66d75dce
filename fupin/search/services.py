"""Keeping the index in step: apply queued changes (bounded), or rebuild it from the sources."""

import time
from collections import defaultdict
from typing import Any

from django.db import transaction

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.search.backends import optimise_index
from fupin.search.indexing import build_all, clear_index, reindex
from fupin.search.models import SearchDoc, SearchPending

# What one search request applies of the queue before it runs; the rest goes to the worker.
QUERY_SYNC_LIMIT = 500


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
    return applied


def search_backlog() -> int:
    return SearchPending.objects.count()


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
