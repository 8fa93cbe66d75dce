"""Errors that mean "the database is busy or away for a moment", not "this is wrong": a
SQLite write lock held by a long import, a PostgreSQL lock wait that timed out, a server
restarting or out of reach. The worker waits and tries again; pages answer 503."""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection, transaction

_BUSY = (
    "database is locked",
    "database table is locked",
    "lock timeout",
    "canceling statement due to lock timeout",
    "could not obtain lock",
)
_AWAY = (
    "connection",  # refused, reset, closed, failed, to server … lost
    "server closed",
    "terminating connection",
    "the database system is",  # starting up, shutting down, in recovery mode
    "does not allow connections",
    "is not currently accepting connections",
    "unable to open database file",
    "disk i/o error",
)


def is_busy(exc: BaseException) -> bool:
    """A write lock held elsewhere: waiting helps."""
    return isinstance(exc, OperationalError) and any(w in str(exc).lower() for w in _BUSY)


def is_transient(exc: BaseException) -> bool:
    """Busy, or the database unreachable for now: trying again later helps."""
    if isinstance(exc, InterfaceError):
        return True
    return is_busy(exc) or (
        isinstance(exc, OperationalError) and any(w in str(exc).lower() for w in _AWAY)
    )


def try_write(write: Callable[[], object], *, wait_ms: int = 200) -> bool:
    """Run a write that can wait for a better moment (renewing a session's expiry, applying
    the search queue): it waits for a lock at most `wait_ms`, and when the database is busy
    it is left undone (False) instead of failing the page."""
    sqlite = connection.vendor == "sqlite"
    try:
        if sqlite:  # before BEGIN: an IMMEDIATE transaction waits for the lock at BEGIN
            _sqlite_wait(wait_ms)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = {int(wait_ms)}")
            write()
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        return False
    finally:
        if sqlite:
            _sqlite_wait(int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000))
    return True


def _sqlite_wait(wait_ms: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
