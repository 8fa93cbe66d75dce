"""Errors with a code, a field and a row, not plain strings.

An importer that finds the same fault in ten thousand rows should say so once with the count,
and a page or an error workbook should be able to point at the cell. The message stays the
Chinese sentence a clerk reads; the code (e.g. "code_list.unknown") is for grouping, tests and
scripts, never shown alone.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    # The column or form field the problem is in ("" when it is about the whole row or file).
    field: str = ""
    # The sheet row (1-based as the user sees it), or None when it is not about one row.
    row: int | None = None

    def where(self) -> str:
        """ "第 12 行，健康状况列" — the place as a clerk looks for it."""
        parts = []
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.field:
            parts.append(f"{self.field}列")
        return "，".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field": self.field, "row": self.row}


class ProblemError(ValidationError):
    """A refusal carrying its problems; still a ValidationError for every existing caller."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = unique(problems)
        super().__init__([p.message for p in self.problems] or ["输入有误。"])


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, in the order first found."""
    return list(dict.fromkeys(problems))


def said(exc: Exception) -> str:
    """What a refusal says to a person: a ValidationError's messages joined, else its text."""
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
