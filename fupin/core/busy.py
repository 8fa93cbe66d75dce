"""Errors that mean "the database is busy or away for a moment", not "this is wrong": a
SQLite write lock held by a long import, a PostgreSQL lock wait that timed out, a server
restarting or out of reach. The worker waits and tries again; pages answer 503."""

from django.db import InterfaceError, OperationalError

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
