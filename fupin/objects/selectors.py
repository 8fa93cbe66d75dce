"""Reads of electronic files. What a user may see goes through the access layer: an object is
visible where it was captured for a unit in the user's scope (or derived from such an object)."""

from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import Http404

from fupin.accounts.access import access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.objects.digests import file_digests
from fupin.objects.models import CaptureEvent, StoredObject


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
    """The stored bytes, for reading; the caller closes it (use it as a context manager)."""
    return default_storage.open(obj.storage_name, "rb")


@dataclass(frozen=True)
class FixityResult:
    sha256: str
    ok: bool
    reason: str = ""


def object_verify(obj: StoredObject) -> FixityResult:
    """Recompute SHA-256 and SM3 from storage, streaming, and compare with the recorded ones."""
    if not default_storage.exists(obj.storage_name):
        return FixityResult(obj.sha256, False, f"存储中找不到文件 {obj.storage_name}")
    with object_open(obj) as handle:
        found, size = file_digests(handle)
    recorded = {d.algorithm: d.value for d in obj.digests.all()}
    if set(recorded) != set(found):
        return FixityResult(obj.sha256, False, "摘要记录不全（应有 SHA-256 与 SM3）")
    differs = [alg for alg, value in recorded.items() if found[alg] != value]
    if differs:
        reason = f"{'、'.join(differs)} 摘要与记录不符（现为 {size} 字节，记录为 {obj.size} 字节）"
        return FixityResult(obj.sha256, False, reason)
    return FixityResult(obj.sha256, True)
