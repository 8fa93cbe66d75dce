"""The second store for the tests: a directory, or a bucket on a real S3-protocol server
(moto's server mode, started once per session by tests/objects_s3.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from fupin.objects.services import object_capture
from fupin.objects.storeconf import FS_BACKEND


def use_replica(settings, entry: dict) -> None:
    settings.STORAGES = {**settings.STORAGES, "replica": entry}


@pytest.fixture
def disk_replica(settings, tmp_path):
    use_replica(settings, {"BACKEND": FS_BACKEND, "OPTIONS": {"location": str(tmp_path / "copy2")}})
    return storages["replica"]


class Captures:
    """Capture through the service and run what it leaves for after the commit (the copy to
    the second store), as a committed request would."""

    def __init__(self, run_on_commit):
        self.run_on_commit = run_on_commit

    def __call__(self, content: bytes, name: str = "a.pdf", category: str = "WS"):
        with self.run_on_commit(execute=True):
            done = object_capture(
                actor=None, stream=io.BytesIO(content), filename=name, category=category
            )
        return done


def overwrite(storage, name: str, content: bytes) -> None:
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name
