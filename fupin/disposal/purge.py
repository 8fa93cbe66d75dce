"""The one place that deletes a destroyed record's bytes from storage: every store the objects
app keeps them in (the first and the second), through its purge service; the destruction
keeps the digests itself (DestroyedFile)."""

from typing import Any

from fupin.objects.models import StoredObject
from fupin.objects.services import object_purge


def purge_object_bytes(*, actor: Any, obj: StoredObject, reason: str) -> list[str]:
    """Delete the object's bytes from every store; returns the stores confirmed empty of it.
    Deleting bytes already gone is not an error (a destruction resumed after a crash)."""
    return object_purge(actor=actor, obj=obj, reason=reason)
