"""Hashing many files on every core: one file per worker thread, read in large chunks into one
reused buffer (hashlib releases the GIL on them, so SHA-256 and SM3 run truly in parallel and
each chunk costs the thread one GIL hand-over, not one per MiB); memory stays one buffer per
worker whatever the number or size of files."""

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fupin.objects.digests import CHUNK, new_hasher

WORKERS = max(2, min(8, os.cpu_count() or 2))
# Files are read this much at a time: large enough that a thread seldom waits for the GIL
# (the interpreter hands it over every 5 ms while another thread runs Python), small enough
# that the workers' buffers stay a few MiB in all.
FILE_CHUNK = 4 * CHUNK
# At most this many small files make one task.
BATCH = 64


def hash_stream(
    source: Any,
    algorithms: Iterable[str],
    sink: Callable[[Any], object] | None = None,
    chunk_size: int = CHUNK,
) -> tuple[dict[str, str], int]:
    """Digests of a stream (and each chunk handed to `sink`, e.g. a file being written), read
    `chunk_size` at a time into one buffer."""
    hashers = [(alg, new_hasher(alg)) for alg in algorithms]
    updates = [hasher.update for _alg, hasher in hashers]
    size = 0
    # Storage files (S3, Django's File) may not offer readinto; plain files reuse one buffer.
    raw: Any = getattr(source, "file", source)
    if not hasattr(raw, "readinto"):
        raw = source
    if hasattr(raw, "readinto"):
        view = memoryview(bytearray(chunk_size))
        while read := raw.readinto(view):
            size += read
            chunk = view[:read]
            for update in updates:
                update(chunk)
            if sink is not None:
                sink(chunk)
    else:
        while data := raw.read(chunk_size):
            size += len(data)
            for update in updates:
                update(data)
            if sink is not None:
                sink(data)
    return {alg: hasher.hexdigest() for alg, hasher in hashers}, size


def fitted_chunk(size: int) -> int:
    """The read size for a file of `size` bytes: a buffer is zero-filled when made, so a small
    file gets one no larger than itself (for many small files that costs more than hashing)."""
    return max(1, min(FILE_CHUNK, size))


def hash_file(path: Path, algorithms: Iterable[str]) -> tuple[dict[str, str], int]:
    with path.open("rb", buffering=0) as handle:
        chunk = fitted_chunk(os.fstat(handle.fileno()).st_size)
        return hash_stream(handle, algorithms, chunk_size=chunk)


def _hash_batch(
    paths: Sequence[Path], algorithms: tuple[str, ...]
) -> list[tuple[dict[str, str], int]]:
    return [hash_file(path, algorithms) for path in paths]


def _batches(order: list[int], sizes: Sequence[int] | None) -> list[list[int]]:
    """The files in `order`, grouped so that each task is worth handing to a worker: a large
    file alone, small ones together up to FILE_CHUNK bytes or BATCH files (one task per small
    file costs more, in futures and hand-overs, than hashing it)."""
    batches: list[list[int]] = []
    batch: list[int] = []
    filled = 0
    for n in order:
        batch.append(n)
        filled += sizes[n] if sizes is not None else FILE_CHUNK
        if filled >= FILE_CHUNK or len(batch) >= BATCH:
            batches.append(batch)
            batch, filled = [], 0
    if batch:
        batches.append(batch)
    return batches


def hash_files(
    paths: Sequence[Path],
    algorithms: Iterable[str],
    workers: int = WORKERS,
    *,
    sizes: Sequence[int] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[tuple[Path, dict[str, str], int]]:
    """(path, digests, size) for each path, in the given order, hashed `workers` at a time.
    With `sizes` (of the same paths) the largest files are started first, so no core is left
    alone with a large file at the end, and small files are hashed in batches. `meanwhile`
    runs on the calling thread while the workers hash."""
    chosen = tuple(algorithms)
    order = list(range(len(paths)))
    if sizes is not None:
        order.sort(key=lambda n: -sizes[n])
    results: list[tuple[dict[str, str], int]] = [({}, 0)] * len(paths)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fixity") as pool:
        futures = [
            (batch, pool.submit(_hash_batch, [paths[n] for n in batch], chosen))
            for batch in _batches(order, sizes)
        ]
        try:
            if meanwhile is not None:
                meanwhile()
            for batch, future in futures:
                for n, result in zip(batch, future.result(), strict=True):
                    results[n] = result
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return [(path, *results[n]) for n, path in enumerate(paths)]
