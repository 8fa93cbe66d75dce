"""Run a producer in a thread a little ahead of its consumer.

For pipelines whose stages spend their time in code that releases the GIL (calamine parsing a
sheet, SQLite executing a statement): while one stage waits in C, the other runs Python. The
queue is bounded, so at most `depth` batches are held; an exception in the producer is raised
in the consumer; a consumer that stops early stops the producer.
"""

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _offer(out: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Put unless the consumer has gone away (then the thread must not wait for it forever)."""
    while not stop.is_set():
        try:
            out.put(item, timeout=0.2)
            return True
        except queue.Full:
            continue
    return False


def _produce(items: Iterable, size: int, out: queue.Queue, stop: threading.Event) -> None:
    source = iter(items)
    try:
        batch = []
        for item in source:
            batch.append(item)
            if len(batch) >= size:
                if not _offer(out, batch, stop):
                    return
                batch = []
        if batch and not _offer(out, batch, stop):
            return
        _offer(out, _DONE, stop)
    except Exception as exc:  # handed to the consumer, which raises it
        _offer(out, _Failed(exc), stop)
    finally:
        # A generator left half-way is closed here, so its own clean-up (files, threads of
        # its own) runs now rather than whenever it is collected.
        if close := getattr(source, "close", None):
            close()


def ahead(items: Iterable[T], batch: int = 1, depth: int = 2) -> Iterator[T]:
    """The items of `items`, produced in a thread up to `depth` batches of `batch` ahead."""
    out: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    worker = threading.Thread(target=_produce, args=(items, batch, out, stop), daemon=True)
    worker.start()
    try:
        while (found := out.get()) is not _DONE:
            if isinstance(found, _Failed):
                raise found.error
            yield from found
    finally:
        stop.set()
        worker.join()
