"""The one place that deletes a destroyed record's bytes from storage.

Until the objects app's purge service (`fupin.objects.services.object_purge`, with its second
store and deletion rows) is on main, the bytes are deleted here through Django's storage API
from the one store that exists; the destruction keeps the digests itself (DestroyedFile).
Pointing this function at the purge service is the only change the merge needs.
"""

from typing import Any

from django.core.files.storage import default_storage

from fupin.objects.models import StoredObject

STORE_KEY = "default"


def purge_object_bytes(*, actor: Any, obj: StoredObject, reason: str) -> list[str]:
    """Delete the object's bytes from every store; returns the stores confirmed empty of it.
    Deleting bytes already gone is not an error (a destruction resumed after a crash)."""
    default_storage.delete(obj.storage_name)
    return [STORE_KEY] if not default_storage.exists(obj.storage_name) else []
