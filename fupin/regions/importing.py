"""Reading the official division CSVs (modood's layout) into checked rows; no database writes.

Everything is validated before anything is written, so a batch is either wholly imported or
refused with one list of errors naming file, line and reason.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from fupin.regions.models import CODE_LENGTH, LEVEL_ORDER, Level

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
POVERTY_COLUMNS = ("isPoor", "exitYear")
FIRST_EXIT_YEAR = 2013  # 精准扶贫 began in 2013; no division exited before it.
LAST_EXIT_YEAR = 2020
TRUE_WORDS = frozenset({"是", "1", "true", "yes", "y"})
FALSE_WORDS = frozenset({"否", "0", "false", "no", "n"})


@dataclass(frozen=True)
class FileKind:
    level: Level
    columns: tuple[str, ...]
    parent_column: str | None
    file_label: str

    @property
    def takes_poverty(self) -> bool:
        return self.level in (Level.COUNTY, Level.VILLAGE)


KINDS = (
    FileKind(Level.PROVINCE, ("code", "name"), None, "省级"),
    FileKind(Level.CITY, ("code", "name", "provinceCode"), "provinceCode", "市级"),
    FileKind(Level.COUNTY, ("code", "name", "cityCode", "provinceCode"), "cityCode", "县级"),
    FileKind(
        Level.TOWNSHIP,
        ("code", "name", "areaCode", "provinceCode", "cityCode"),
        "areaCode",
        "乡级",
    ),
    FileKind(
        Level.VILLAGE,
        ("code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"),
        "streetCode",
        "村级",
    ),
)
# Which ancestor level each code column names; every one must be a prefix of the row's code.
ANCESTOR_COLUMNS = {
    "provinceCode": Level.PROVINCE,
    "cityCode": Level.CITY,
    "areaCode": Level.COUNTY,
    "streetCode": Level.TOWNSHIP,
}


@dataclass(frozen=True)
class ImportIssue:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} 第 {self.line} 行" if self.line else self.file
        return f"{where}：{self.reason}"


@dataclass
class RegionRow:
    code: str
    name: str
    level: Level
    file: str
    line: int
    # None (no isPoor column, or a blank cell): existing flags are left as they are, so a
    # re-import of the demo set does not undo flags set since. A blank exitYear keeps the year.
    is_poor: bool | None = None
    exit_year: int | None = None

    @property
    def parent_code(self) -> str | None:
        index = LEVEL_ORDER.index(self.level)
        return self.code[: CODE_LENGTH[LEVEL_ORDER[index - 1]]] if index else None


@dataclass
class ParsedBatch:
    rows: list[RegionRow] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)


def demo_region_files() -> list[Path]:
    """The small demo set shipped here: 湖北省, 十堰市 and its counties, 郧西县's townships."""
    return sorted(DEMO_DIR.glob("*.csv"))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Chinese office software often saves GBK instead."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def detect_kind(header: list[str]) -> FileKind | None:
    header = [h.strip() for h in header]
    for kind in KINDS:
        size = len(kind.columns)
        extra = header[size:]
        if tuple(header[:size]) == kind.columns and (
            not extra or (kind.takes_poverty and set(extra) <= set(POVERTY_COLUMNS))
        ):
            return kind
    return None


def parse_poverty(cells: dict[str, str]) -> tuple[bool | None, int | None]:
    """Raises ValueError with a Chinese reason for the row's error entry."""
    flag = cells.get("isPoor", "").strip().lower()
    if flag in TRUE_WORDS:
        is_poor: bool | None = True
    elif flag in FALSE_WORDS:
        is_poor = False
    elif not flag:
        is_poor = None
    else:
        raise ValueError(f"isPoor 应为 是/否/1/0/true/false，而不是“{cells['isPoor']}”")
    year_text = cells.get("exitYear", "").strip()
    if not year_text:
        return is_poor, None
    if not year_text.isdigit():
        raise ValueError(f"exitYear 应为四位年份，而不是“{year_text}”")
    year = int(year_text)
    check_exit_year(is_poor, year)
    return is_poor, year


def check_exit_year(is_poor: bool | None, year: int | None) -> None:
    if year is None:
        return
    if not is_poor:
        raise ValueError("填写了摘帽/出列年度，但未标记为贫困县/贫困村")
    if not FIRST_EXIT_YEAR <= year <= LAST_EXIT_YEAR:
        raise ValueError(
            f"摘帽/出列年度应在 {FIRST_EXIT_YEAR}–{LAST_EXIT_YEAR} 之间，而不是 {year}"
        )


def parse_file(path: Path) -> tuple[FileKind | None, list[RegionRow], list[ImportIssue]]:
    name = path.name
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        return None, [], [ImportIssue(name, 0, f"无法读取文件：{exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [], [ImportIssue(name, 0, "文件编码无法识别（应为 UTF-8 或 GBK）")]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    kind = detect_kind(header)
    if kind is None:
        expected = "；".join(",".join(k.columns) for k in KINDS)
        found = ",".join(header) or "（空文件）"
        return (
            None,
            [],
            [ImportIssue(name, 1, f"无法识别的表头“{found}”，应为以下之一：{expected}")],
        )
    columns = [h.strip() for h in header]
    rows: list[RegionRow] = []
    errors: list[ImportIssue] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            errors.append(ImportIssue(name, line, f"应有 {len(columns)} 列，实有 {len(cells)} 列"))
            continue
        row, reason = parse_row(kind, dict(zip(columns, cells, strict=True)), name, line)
        if reason:
            errors.append(ImportIssue(name, line, reason))
        elif row:
            rows.append(row)
    return kind, rows, errors


def parse_row(
    kind: FileKind, cells: dict[str, str], file: str, line: int
) -> tuple[RegionRow | None, str]:
    code, name = cells["code"].strip(), cells["name"].strip()
    length = CODE_LENGTH[kind.level]
    # isdigit() alone would accept full-width and other Unicode digits.
    if not (code.isascii() and code.isdigit()) or len(code) != length:
        return None, f"代码“{code}”应为 {length} 位数字（{kind.file_label}区划）"
    if not name:
        return None, f"代码 {code} 缺少名称"
    for column, level in ANCESTOR_COLUMNS.items():
        if column in cells and cells[column].strip() != code[: CODE_LENGTH[level]]:
            return None, f"{column}“{cells[column].strip()}”与代码 {code} 的前缀不符"
    row = RegionRow(code=code, name=name, level=kind.level, file=file, line=line)
    if any(c in cells for c in POVERTY_COLUMNS):
        try:
            row.is_poor, row.exit_year = parse_poverty(cells)
        except ValueError as exc:
            return None, str(exc)
    return row, ""


def parse_files(paths: list[Path]) -> ParsedBatch:
    """All files, parents' levels first whatever the order given; duplicates across files caught."""
    batch = ParsedBatch()
    parsed = []
    for path in paths:
        kind, rows, errors = parse_file(Path(path))
        batch.errors.extend(errors)
        if kind is not None:
            parsed.append((LEVEL_ORDER.index(kind.level), rows))
    seen: dict[str, RegionRow] = {}
    for _, rows in sorted(parsed, key=lambda item: item[0]):
        for row in rows:
            first = seen.get(row.code)
            if first is not None:
                reason = f"代码 {row.code} 重复（首次出现在 {first.file} 第 {first.line} 行）"
                batch.errors.append(ImportIssue(row.file, row.line, reason))
                continue
            seen[row.code] = row
            batch.rows.append(row)
    return batch
