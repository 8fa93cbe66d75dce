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

# The coded columns: field name → the sheet's column.
CODED_COLUMNS = {
    "relation": "与户主关系",
    "education": "文化程度",
    "schooling": "在校生状况",
    "health": "健康状况",
    "labour_skill": "劳动技能",
    "work_status": "务工状况",
    "serious_illness_insurance": "参加大病医疗",
    "exit_status": "脱贫属性",
    "attribute": "贫困户属性",
    "main_cause": "主要致贫原因",
    "dilapidated_house": "危房户",
    "water_safe": "饮水安全",
    "water_difficulty": "饮水困难",
}
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
    lists = {column: CodeList(column, []) for column in CODED_COLUMNS}
    for column, value in CodeValue.objects.values_list("column", "value"):
        if column in lists:
            lists[column].values.append(value)
            lists[column].folded[fold(value)] = value
            lists[column].seen[value] = value
    for column, alias, value in CodeAlias.objects.values_list("column", "alias", "value"):
        if column in lists:
            lists[column].folded.setdefault(fold(alias), value)
    for code_list in lists.values():
        code_list.seen[""] = ""
    return lists
