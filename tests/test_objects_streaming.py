"""Capture streams: memory stays bounded, and an oversize stream is cut off early."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError

from fupin.objects.digests import CHUNK
from fupin.objects.models import StoredObject
from fupin.objects.services import object_capture


class LazyZeros(io.RawIOBase):
    """A stream of `size` zero bytes that never exists in memory at once; counts what was read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        self.served += n
        return b"\0" * n


def test_large_stream_is_captured_with_bounded_memory(world, media_root):
    size = 64 * 1024 * 1024
    tracemalloc.start()
    result = object_capture(actor=None, stream=LazyZeros(size), filename="d.bin", category="SJ")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.object.size == size
    assert (media_root / result.object.storage_name).stat().st_size == size
    assert peak < 8 * 1024 * 1024


def test_ten_gigabytes_are_refused_after_reading_just_past_the_limit(world, media_root):
    stream = LazyZeros(10 * 1024**3)
    with pytest.raises(ValidationError, match="超过允许的大小上限（1 MB）"):
        object_capture(
            actor=None, stream=stream, filename="huge.bin", category="SJ", max_bytes=1024**2
        )
    assert stream.served <= 1024**2 + CHUNK
    assert StoredObject.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_default_limit_comes_from_settings(world, settings):
    settings.FUPIN_MAX_UPLOAD_BYTES = 2 * CHUNK
    stream = LazyZeros(10 * 1024**3)
    with pytest.raises(ValidationError, match="大小上限（2 MB）"):
        object_capture(actor=None, stream=stream, filename="huge.bin", category="SJ")
    assert stream.served <= 3 * CHUNK
