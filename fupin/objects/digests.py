"""SHA-256 and SM3 of a stream in one pass. SM3 (GB/T 32905) comes from OpenSSL through
hashlib; it is about five times slower than SHA-256, so it runs on a second thread
(hashlib releases the GIL on large buffers) while the caller's thread does SHA-256 and I/O."""

import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from fupin.objects.models import DigestAlgorithm

CHUNK = 1 << 20
# One thread for the process: the updates of one digest stay in order, and parallel
# requests share it fairly.
_SM3_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sm3")
# Chunks handed to the SM3 thread and not yet hashed: bounds memory to a few chunks.
_IN_FLIGHT = 2


def new_sm3() -> Any:
    try:
        return hashlib.new("sm3")
    except ValueError as exc:
        raise ImproperlyConfigured(
            "本机 Python 的 OpenSSL 不支持 SM3 摘要（GB/T 32905），请使用带 OpenSSL 3 的 Python。"
        ) from exc


class StreamDigests:
    """Feed chunks with update(); read both hex digests with finish()."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()
        self.sm3 = new_sm3()
        self.size = 0
        self._pending: deque[Future[None]] = deque()

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._pending.append(_SM3_THREAD.submit(self.sm3.update, chunk))
        self.sha256.update(chunk)
        while len(self._pending) > _IN_FLIGHT:
            self._pending.popleft().result()

    def finish(self) -> dict[str, str]:
        """The digests keyed by algorithm name (as stored in Digest.algorithm)."""
        while self._pending:
            self._pending.popleft().result()
        return {
            DigestAlgorithm.SHA256: self.sha256.hexdigest(),
            DigestAlgorithm.SM3: self.sm3.hexdigest(),
        }

    def abandon(self) -> None:
        wait(self._pending)
        self._pending.clear()


def file_digests(handle: Any) -> tuple[dict[str, str], int]:
    digests = StreamDigests()
    try:
        while chunk := handle.read(CHUNK):
            digests.update(chunk)
    except BaseException:
        digests.abandon()
        raise
    return digests.finish(), digests.size


def new_hasher(algorithm: str) -> Any:
    """A fresh hash object for a digest algorithm as stored in Digest.algorithm."""
    if algorithm == DigestAlgorithm.SM3:
        return new_sm3()
    if algorithm == DigestAlgorithm.SHA256:
        return hashlib.sha256()
    raise ValueError(f"未知的摘要算法“{algorithm}”")
