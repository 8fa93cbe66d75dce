"""How the registry keeps the household file's figures right without knowing the file.

A household row carries its file's completeness (docs_required, docs_missing, missing_mask,
file_complete), so a province's roll-up is one grouped scan; an import writes households by
the hundred thousand, so it sets those columns as it writes. What they are is the household
file's business (fupin/households/files): it registers how to compute them in the app's
ready(), as the regions app hears of a campaign's end, and the registry never imports it.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol


class FileColumns(Protocol):
    """One import pass's view of the file columns."""

    def new(self, households: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The columns of households about to be created with these values (no papers yet),
        in their order."""
        ...

    def refresh(self, household_ids: Iterable[int]) -> None:
        """Recompute the columns of registered households the import changed."""
        ...

    def owed_nothing(self) -> dict[str, Any]:
        """The columns of a household that owes no file (清退)."""
        ...


_factories: list[Callable[[], FileColumns]] = []


def register_file_columns(factory: Callable[[], FileColumns]) -> None:
    _factories[:] = [factory]


def file_columns() -> FileColumns:
    if not _factories:
        raise RuntimeError("一户一档尚未注册完整情况的计算（households 应用未就绪）。")
    return _factories[0]()
