"""Hashing many files on every core: one file per worker thread, read in 1 MiB chunks (hashlib
releases the GIL on them, so SHA-256 and SM3 run truly in parallel); memory stays a few chunks
per worker whatever the number or size of files."""

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fupin.objects.digests import CHUNK, new_hasher

WORKERS = max(2, min(8, os.cpu_count() or 2))


def hash_stream(
    source: Any, algorithms: Iterable[str], sink: Callable[[bytes], object] | None = None
) -> tuple[dict[str, str], int]:
    """Digests of a stream (and each chunk handed to `sink`, e.g. a file being written)."""
    hashers = {alg: new_hasher(alg) for alg in algorithms}
    size = 0
    # Storage files (S3, Django's File) may not offer readinto; plain files reuse one buffer.
    raw: Any = getattr(source, "file", source)
    if not hasattr(raw, "readinto"):
        raw = source
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while True:
        if hasattr(raw, "readinto"):
            read = raw.readinto(buffer)
            chunk: Any = view[:read] if read else b""
        else:
            chunk = raw.read(CHUNK)
            read = len(chunk)
        if not read:
            break
        size += read
        for hasher in hashers.values():
            hasher.update(chunk)
        if sink is not None:
            sink(chunk)
    return {alg: h.hexdigest() for alg, h in hashers.items()}, size


def hash_file(path: Path, algorithms: Iterable[str]) -> tuple[dict[str, str], int]:
    with path.open("rb", buffering=0) as handle:
        return hash_stream(handle, algorithms)


def hash_files(
    paths: Iterable[Path], algorithms: Iterable[str], workers: int = WORKERS
) -> Iterator[tuple[Path, dict[str, str], int]]:
    """(path, digests, size) for each path, in the given order, hashed `workers` at a time."""
    chosen = tuple(algorithms)
    listed = list(paths)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fixity") as pool:
        # map() submits everything at once; the futures hold only small results.
        results = pool.map(lambda p: hash_file(p, chosen), listed)
        for path, (digests, size) in zip(listed, results, strict=True):
            yield path, digests, size
