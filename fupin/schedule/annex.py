"""Parse the annex of 鄂档〔2016〕25号 (the scope and retention table) from the policy's text.

The text is the table as a word processor exported it: each cell starts on a line beginning
with a tab; a cell's further lines (and blank lines inside it) follow without a tab. Section
headings (一、二、三、) are one-cell rows; every other row has four cells: category, scope,
retention, responsible units. Blank cells repeat the cell above, as printed tables do.

Normalisation inside a cell: a run of white space (spaces, tabs, line breaks, blank lines) is
removed when it touches a Chinese character or Chinese punctuation, since printed Chinese has
no spaces and what the file has there is layout ("录        像", "光盘\n\n移动硬盘",
"按有关规定\n\n执行", "各活动\n\n主办单位"); between two Latin letters or digits it becomes one
space, so a code such as "GB/T 18894" keeps its word break. Leading and trailing space goes.

`python -m fupin.schedule.annex SEED.txt > fupin/schedule/data/hubei_2016.json` regenerates
the data file shipped in the repository.
"""

import json
import re
import sys
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from fupin.schedule.retention import options_from_text

LEVELS = {"一": "county", "二": "township", "三": "village"}
CATEGORIES = {"文书": "documents", "科技": "scitech", "专业": "professional"}
CATEGORIES |= {"声像": "audiovisual", "电子": "electronic"}
# Removable white space: a run next to a CJK character or Chinese punctuation (incl. “”—…).
CJK = r"\u2010-\u2027\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
LAYOUT_SPACE = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
NUMBERED = re.compile(r"^(\d+)\.(.*)$", re.S)
HEADING = re.compile(r"^([一二三])、(.+)$")


@dataclass(frozen=True)
class AnnexRow:
    level: str
    category: str
    category_heading: str
    number: str
    scope_text: str
    retention_text: str
    retention_options: list[str]
    responsible_units: str
    responsible_inherited: bool
    position: int


def _cells(text: str) -> list[str]:
    body = text.split("湖北省精准扶贫文件材料归档范围和保管期限表", 2)[-1]
    cells: list[list[str]] = []
    for line in body.splitlines():
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
    return [normalise("\n".join(parts)) for parts in cells]


def normalise(cell: str) -> str:
    return " ".join(LAYOUT_SPACE.sub("", cell).split())


def parse_annex(text: str) -> list[AnnexRow]:
    cells = _cells(text)
    if cells[:4] != ["门类", "归档范围", "保管期限", "责任单位"]:
        raise ValueError("未找到附件表头（门类、归档范围、保管期限、责任单位）")
    rows: list[AnnexRow] = []
    level = category = heading = retention = responsible = ""
    i = 4
    while i < len(cells):
        if match := HEADING.match(cells[i]):
            level, category, heading, retention, responsible = LEVELS[match[1]], "", "", "", ""
            i += 1
            continue
        cat_cell, scope, ret_cell, resp_cell = cells[i : i + 4]
        i += 4
        if cat_cell:
            heading = cat_cell
            category = CATEGORIES[cat_cell[:2]]
        if ret_cell:
            retention = ret_cell
        number, text = ("", scope)
        if match := NUMBERED.match(scope):
            number, text = match[1], match[2].strip()
        rows.append(
            AnnexRow(
                level=level,
                category=category,
                category_heading=heading,
                number=number,
                scope_text=text,
                retention_text=retention,
                retention_options=options_from_text(retention),
                responsible_units=resp_cell or responsible,
                responsible_inherited=not resp_cell,
                position=len(rows) + 1,
            )
        )
        responsible = resp_cell or responsible
    return rows


@cache
def shipped() -> tuple[AnnexRow, ...]:
    """The provincial annex as shipped with the system (data/hubei_2016.json), read once."""
    data = resources.files("fupin.schedule").joinpath("data/hubei_2016.json").read_text("utf-8")
    return tuple(AnnexRow(**row) for row in json.loads(data))


def main() -> None:
    rows = parse_annex(Path(sys.argv[1]).read_text(encoding="utf-8"))
    json.dump([asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
