"""Caching a page's expensive, rarely changing parts for one person, without ever showing stale
or foreign data where it matters.

A cached value's key holds everything its content may depend on: the person, their grants
(roles, regions, units, stationed villages) and clearance, today's date, and the data version —
the audit chain's head, which every write through a service advances in the same transaction.
So any audited write, anywhere, makes the next page compute afresh; nothing one person sees is
ever served to another. Writes that leave no audit row (a worker's bookkeeping, such as a fixity
check that found nothing wrong, or completeness columns recomputed in bulk) show within
SCOPED_CACHE_SECONDS. The cache is Django's (per process by default: the keys carry the version,
so processes never need to tell each other anything).
"""

import hashlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.audit.models import AuditHead

T = TypeVar("T")

# The longest a value may miss a write that the audit chain did not record.
SCOPED_CACHE_SECONDS = 60

# Bumped when a setting changes (tests override settings a panel reads, such as the report
# reminder window), so nothing computed under the old settings is served after.
_generation = [0]


def _settings_changed(**kwargs: Any) -> None:
    _generation[0] += 1


setting_changed.connect(_settings_changed, dispatch_uid="fupin.scoped_cache")


def data_version() -> int:
    """The audit chain's head: advanced by every audited write, in that write's transaction.
    Read in SQL of its own: every cached part of every page asks, and the ORM took 0.25 ms to
    write this one-row read, twenty times the read itself."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq FROM {AuditHead._meta.db_table} WHERE id = 1")
        found = cursor.fetchone()
    return (found and found[0]) or 0


def scoped_key(actor: Any, name: str) -> str:
    """The key of `name` for this person as they are now: read the version before computing the
    value, so the value is at least as new as the key says."""
    scope = user_scope(actor)
    grants = sorted(
        (g.role, g.region_code or "", g.unit_id or 0, g.stationed) for g in scope.grants
    )
    who = repr((actor.pk, scope.everything, grants, getattr(actor, "clearance", "")))
    digest = hashlib.blake2b(who.encode(), digest_size=16).hexdigest()
    day = timezone.localdate().isoformat()
    return f"fupin:{name}:{_generation[0]}:{digest}:{day}:{data_version()}"


# Keys being computed in this process, each with the lock its computing thread holds.
_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def scoped_cached(actor: Any, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for this person, from the cache when nothing was written since.

    Computed by one thread of the process at a time per key: after a write every thread
    serving that person misses at once (a worker reading scans writes audit rows every few
    seconds), and the others wait for the first one's value instead of computing it too."""
    key = scoped_key(actor, name)
    found = cache.get(key)
    if found is not None:
        return found
    with _computing_guard:
        lock = _computing.setdefault(key, threading.Lock())
    try:
        with lock:
            found = cache.get(key)
            if found is None:
                found = compute()
                cache.set(key, found, SCOPED_CACHE_SECONDS)
    finally:
        with _computing_guard:
            _computing.pop(key, None)
    return found
