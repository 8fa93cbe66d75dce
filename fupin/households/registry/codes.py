"""The code lists of the registration sheet's coded columns, read from the database (seeded
from the national code tables; an administrator adds aliases on a page).

A cell is matched as written first; a miss is folded (full width → half width, spaces
removed) and matched again, and the answer is remembered — a province's sheet spells each
value a handful of ways, a million times over.
"""

import difflib
import unicodedata
from dataclasses import dataclass, field

from fupin.households.models import CodeAlias, CodeValue
from fupin.households.registry import sheet

# The coded columns: field name → the sheet's column.
CODED_COLUMNS = sheet.CODED
MISSING = object()


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class CodeList:
    column: str
    values: list[str]  # as stored, in order
    folded: dict[str, str] = field(default_factory=dict)  # folded spelling → value
    seen: dict[str, str | None] = field(default_factory=dict)  # as written → value / None

    def match(self, text: str) -> str | None:
        """The stored value a cell means, or None when the list does not know it."""
        found = self.seen.get(text, MISSING)
        if found is MISSING:
            found = self.folded.get(fold(text))
            self.seen[text] = found
        return found  # type: ignore[return-value]

    def refusal(self, text: str) -> str:
        """The Chinese message for a value the list does not know: every allowed value and
        the closest spelling known."""
        label = CODED_COLUMNS[self.column]
        message = f"{label}“{text}”不在代码表中（应为：{'、'.join(self.values)}，或留空"
        close = difflib.get_close_matches(fold(text), list(self.folded), n=1, cutoff=0.3)
        if close:
            value = self.folded[close[0]]
            shown = close[0] if close[0] == fold(value) else f"{close[0]}（即“{value or '空'}”）"
            message += f"；最接近的是“{shown}”"
        return message + "）"


def code_lists() -> dict[str, CodeList]:
    """Every coded column's list, as the database holds it now."""
    stored: dict[str, list[str]] = {column: [] for column in CODED_COLUMNS}
    for column, value in CodeValue.objects.values_list("column", "value"):
        if column in stored:
            stored[column].append(value)
    lists = {}
    for column, values in stored.items():
        # A column new to the sheet starts from its declared national values until a
        # migration or an administrator stores its list.
        code_list = lists[column] = CodeList(column, values or list(sheet.BY_FIELD[column].values))
        for value in code_list.values:
            code_list.folded[fold(value)] = value
            code_list.seen[value] = value
    for column, alias, value in CodeAlias.objects.values_list("column", "alias", "value"):
        if column in lists:
            lists[column].folded.setdefault(fold(alias), value)
    for code_list in lists.values():
        code_list.seen[""] = ""
    return lists
