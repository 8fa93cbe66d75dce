"""Reads of electronic files. What a user may see goes through the access layer: an object is
visible where it was captured for a unit in the user's scope (or derived from such an object)."""

import datetime
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.models import AuditEvent
from fupin.objects.models import CaptureEvent, DigestAlgorithm, StoredObject
from fupin.objects.stores import (
    PRIMARY,
    Expected,
    copy_check,
    store,
    store_keys,
    store_walk,
    temp_leftovers,
)


def visible_capture_events(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[CaptureEvent]:
    scope_q = user_scope(actor).unit_q(cap, unit_field="unit_id", region_field="unit__region__code")
    return CaptureEvent.objects.filter(scope_q).select_related("unit", "object")


def unit_capture_events(actor: Any, unit_id: int) -> QuerySet[CaptureEvent]:
    unit = access_unit(actor, unit_id)
    return CaptureEvent.objects.filter(unit=unit).select_related("object")


def visible_objects(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[StoredObject]:
    if user_scope(actor).everything:
        return StoredObject.objects.all()
    captured = visible_capture_events(actor, cap).filter(object__isnull=False).values("object_id")
    return StoredObject.objects.filter(
        Q(pk__in=captured) | Q(derived_from__source_id__in=captured)
    ).distinct()


def object_by_sha256(actor: Any, sha256: str) -> StoredObject:
    found = visible_objects(actor).filter(sha256=sha256.lower()).first()
    if found is None:
        raise Http404("未找到该电子文件，或不在您的管辖范围内。")
    return found


def object_open(obj: StoredObject) -> File:
    """The stored bytes, for reading; the caller closes it (use it as a context manager).
    A copy missing from the first store is first repaired from the second (audited)."""
    try:
        return default_storage.open(obj.storage_name, "rb")
    except FileNotFoundError:
        from fupin.objects.services import object_repair_on_read

        if not object_repair_on_read(obj=obj):
            raise
        return default_storage.open(obj.storage_name, "rb")


def object_expected(obj: StoredObject) -> Expected:
    """Every record of what the object's bytes are: its address (the SHA-256 it is stored
    under), its size, its digest rows, and the digests the audit trail kept when it was
    captured (hash-chained, so a changed digest row does not go unnoticed)."""
    sources = [("摘要记录", {d.algorithm: d.value for d in obj.digests.all()})]
    first = CaptureEvent.objects.filter(object=obj).order_by("pk").values_list("pk", flat=True)
    event_id = first.first()
    if event_id is not None:
        row = AuditEvent.objects.filter(
            action="object.capture",
            object_type=CaptureEvent._meta.label_lower,
            object_id=str(event_id),
        ).first()
        after = row.after if row is not None and isinstance(row.after, dict) else {}
        kept = {alg: after[alg] for alg in DigestAlgorithm.values if alg in after}
        if kept:
            sources.append(("接收时审计记录的摘要", kept))
    return Expected(obj.storage_name, obj.sha256, obj.size, sources)


@dataclass(frozen=True)
class FixityResult:
    sha256: str
    ok: bool
    reason: str = ""


def object_verify(obj: StoredObject, store_key: str = PRIMARY) -> FixityResult:
    """Recompute SHA-256 and SM3 of one store's copy, streaming, and compare them with every
    record of the object (read only; repairs are the services' job)."""
    expected = object_expected(obj)
    if {alg for alg in expected.sources[0][1]} != set(DigestAlgorithm.values):
        return FixityResult(obj.sha256, False, "摘要记录不全（应有 SHA-256 与 SM3）")
    state = copy_check(store_key, expected)
    return FixityResult(obj.sha256, state.ok, state.reason)


@dataclass(frozen=True)
class Leftover:
    """Bytes nobody refers to: a file in a store with no object row (an orphan), or a
    temporary file a crashed capture left behind."""

    kind: str  # "orphan" or "temp"
    store: str
    name: str
    size: int
    modified: datetime.datetime
    # Older than the grace period: the next sweep removes it.
    due: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "store": self.store,
            "name": self.name,
            "size": self.size,
            "modified": self.modified.isoformat(),
            "due": self.due,
        }


def objects_leftovers(now: datetime.datetime | None = None) -> list[Leftover]:
    """Every orphan in every store and every temporary file left over; the grace period
    (FUPIN_ORPHAN_GRACE_HOURS) spares files a capture is still writing or committing."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(hours=settings.FUPIN_ORPHAN_GRACE_HOURS)
    found: list[Leftover] = []
    for key in store_keys():
        names = list(store_walk(key))
        for start in range(0, len(names), 500):
            batch = names[start : start + 500]
            known = set(
                StoredObject.objects.filter(storage_name__in=batch).values_list(
                    "storage_name", flat=True
                )
            )
            for name in batch:
                if name in known:
                    continue
                where = store(key)
                modified = where.get_modified_time(name)
                found.append(
                    Leftover("orphan", key, name, where.size(name), modified, modified < grace)
                )
    for path in temp_leftovers():
        stat = os.stat(path)
        modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
        found.append(Leftover("temp", PRIMARY, path, stat.st_size, modified, modified < grace))
    return found
