"""Reading and checking the national registration sheet (one row per person, head first).

The sheet is read as a stream of households rather than held in memory; the check keeps only
what the whole-sheet rules need (the ID numbers and household numbers seen, the moves between
households), so a province-wide file of a million people passes through in bounded memory.
"""

import codecs
import csv
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from python_calamine import CalamineError, CalamineWorkbook

from fupin.accounts.access import Scope
from fupin.accounts.roles import Cap
from fupin.core.ahead import ahead
from fupin.core.tabular import Book
from fupin.core.xlsx_rows import SheetError, cell_text, xlsx_rows
from fupin.households.models import Household, Person
from fupin.households.registry import idcard, sheet
from fupin.households.registry.codes import CodeList, code_lists
from fupin.households.registry.sheet import Column, Kind, Need
from fupin.regions.models import CODE_LENGTH, Level, Region

# Fields read from every row whatever their part: they place the row and name its household.
PLACE_FIELDS = ("county", "township", "village")
HOUSEHOLD_KEY = "household_no"
HEADER_SEARCH_ROWS = 5
ERROR_COLUMN = "错误"
WHOLE_HOUSEHOLD_SKIPPED = "同户其他行有错误，整户未导入"
log = logging.getLogger("fupin.households")
UNREADABLE = (
    "无法读取表格文件：文件已损坏，或并非 Excel 工作簿。"
    "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。"
)


# ---------------------------------------------------------------- reading


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030 (⊇ GBK)."""
    with path.open("rb") as source:
        if source.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        source.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := source.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def read_cells(path: Path) -> Iterator[list[str]]:
    """Every row of the first sheet (or the CSV), cells as stripped text. A file that breaks
    a reader — binary bytes named .csv, a zip that is no workbook — is refused in Chinese."""
    try:
        yield from _read_cells(path)
    except ValidationError:
        raise
    except (UnicodeError, csv.Error):
        raise ValidationError(
            "CSV 文件无法按文本读取（可能是二进制文件改了扩展名，或编码不是 UTF-8/GBK）。"
        ) from None
    except Exception as exc:  # an uploaded file: any reader failure means "unreadable"
        log.warning("建档立卡表无法读取：%s：%s", type(exc).__name__, exc)
        raise ValidationError(UNREADABLE) from None


def _read_cells(path: Path) -> Iterator[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        # Streamed: a province's sheet has a million rows, too many to hold in memory.
        try:
            yield from xlsx_rows(path)
        except SheetError:
            raise ValidationError(UNREADABLE) from None
    elif suffix == ".xls":
        # The old binary format (at most 65,536 rows) through calamine.
        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.iter_rows()
        except CalamineError:
            raise ValidationError(UNREADABLE) from None
        for row in rows:
            yield [cell_text(v) for v in row]
    elif suffix == ".csv":
        with path.open(encoding=csv_encoding(path), newline="") as source:
            for line in csv.reader(source):
                yield [c.strip() for c in line]
    else:
        require_sheet_format(path)


# The formats a registration sheet may come in (the upload page checks the same list).
SHEET_SUFFIXES = (".xlsx", ".xls", ".csv")


def require_sheet_format(path: Path) -> None:
    """Refuse a file this importer cannot read, before anything reads it."""
    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise ValidationError(f"不支持的文件格式“{path.suffix}”，请用 .xlsx、.xls 或 .csv。")
    if not path.is_file():
        raise ValidationError(f"找不到建档立卡表文件：{path}")


# One cell to its stored value; complaints go to the row's errors and warnings.
Reader = Callable[[str, list[str], list[str]], Any]
_INDEX = sheet.INDEX
_VILLAGE_CODE = len(sheet.COLUMNS)  # where a row's picked cells hold the village code column
_REQUIRED = tuple((_INDEX[c.field], c.label) for c in sheet.COLUMNS if c.need == Need.ROW)
_HEAD_REQUIRED = tuple((_INDEX[c.field], c.label) for c in sheet.COLUMNS if c.need == Need.HEAD)


@dataclass(frozen=True)
class Layout:
    header_row: int  # 1-based; title rows above it are carried over to the error workbook
    columns: dict[str, int]
    width: int
    # Read from the database before the sheet is: rows are parsed in a thread of their own.
    codes: dict[str, CodeList] = field(default_factory=dict, compare=False)

    def get(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    def read(self, cells: list[str]) -> tuple[str, ...]:
        """The row's cells in the order of `sheet.COLUMNS`, then the village code ("" where
        the sheet has no such column), picked in one step: a dict of the row by column name
        cost more than the rest of the row's checks, a million times over."""
        short = self.width - len(cells)
        # Padded to the header's width, plus one "" where the absent columns point.
        row = cells + [""] * (short + 1) if short >= 0 else [*cells[: self.width], ""]
        return self._pick(row)

    @cached_property
    def _pick(self) -> Callable[[list[str]], tuple[str, ...]]:
        code = next((c for c in sheet.VILLAGE_CODE_LABELS if c in self.columns), "")
        labels = [*sheet.HEADER, code]
        return itemgetter(*(self.columns.get(label, self.width) for label in labels))

    @cached_property
    def person(self) -> list[tuple[int, str, Reader | None]]:
        return [(_INDEX[c.field], c.field, _reader(c, self.codes)) for c in sheet.PERSON_COLUMNS]

    @cached_property
    def household(self) -> list[tuple[int, str, Reader | None]]:
        return [
            (_INDEX[c.field], c.field, _reader(c, self.codes))
            for c in sheet.HOUSEHOLD_COLUMNS
            if c.field != HOUSEHOLD_KEY
        ]


def find_layout(path: Path) -> Layout:
    for number, cells in enumerate(read_cells(path), start=1):
        if sheet.ID_LABEL in cells:
            columns = {name: i for i, name in enumerate(cells) if name}
            needed = (c.label for c in sheet.COLUMNS if c.need != Need.NO)
            missing = [label for label in needed if label not in columns]
            if missing:
                raise ValidationError(f"{path.name} 缺少列：{'、'.join(missing)}")
            return Layout(number, columns, len(cells), code_lists())
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ValidationError(
        f"{path.name} 前 {HEADER_SEARCH_ROWS} 行中没有找到表头（含“{sheet.ID_LABEL}”列）。"
    )


def data_rows(path: Path, layout: Layout) -> Iterator[tuple[int, list[str]]]:
    for number, cells in enumerate(read_cells(path), start=1):
        if number > layout.header_row and any(cells):
            yield number, cells


# ---------------------------------------------------------------- one row


@dataclass
class ParsedRow:
    number: int
    household_no: str
    is_head: bool
    person: dict[str, Any]
    household: dict[str, Any]  # filled on head rows only
    place: tuple[str, str, str, str]  # county, township, village names; village code column
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _reader(column: Column, codes: dict[str, CodeList]) -> Reader | None:
    """How a column's cell becomes the value the registry stores (None: the text as it is)."""
    label, kind = column.label, column.kind
    if kind == Kind.CODE:
        return partial(_coded, codes[column.field])
    if kind == Kind.YES_NO:
        return partial(_yes_no, codes[column.field])
    if kind == Kind.INT:
        return partial(_int, label, column.low, column.high)
    if kind == Kind.MONEY:
        return partial(_money, label)
    if kind == Kind.ID:
        return _id_number
    if kind == Kind.PHONE:
        return partial(_phone, label)
    if kind == Kind.ETHNIC:
        return partial(_ethnic, label)
    return None


def _coded(code_list: CodeList, text: str, errors: list[str], warnings: list[str]) -> str:
    """The value the registry stores, whichever spelling the sheet used."""
    value = code_list.match(text)
    if value is None:
        errors.append(code_list.refusal(text))
        return text
    return value


YES_NO = {sheet.YES_NO[0]: True, sheet.YES_NO[1]: False}


def _yes_no(code_list: CodeList, text: str, errors: list[str], warnings: list[str]) -> bool | None:
    return YES_NO.get(_coded(code_list, text, errors, warnings))


def _int(
    label: str, low: int, high: int, text: str, errors: list[str], warnings: list[str]
) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        errors.append(f"{label}“{text}”不是整数")
        return None
    if not low <= value <= high:
        errors.append(f"{label} {value} 超出 {low}–{high}")
        return None
    return value


def _money(label: str, text: str, errors: list[str], warnings: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        errors.append(f"{label}“{text}”不是数字")
        return None
    if not value.is_finite() or value < 0 or value >= 10**10:
        errors.append(f"{label}“{text}”超出范围")
        return None
    return value.quantize(Decimal("0.01"))


def _id_number(text: str, errors: list[str], warnings: list[str]) -> str:
    """The normalised number, or "" when it is wrong (a blank one is reported as missing)."""
    if not text:
        return ""
    ident = idcard.check(text)
    if ident.error:
        errors.append(ident.error)
        return ""
    if ident.warning:
        warnings.append(ident.warning)
    return ident.value


def _phone(label: str, text: str, errors: list[str], warnings: list[str]) -> str:
    phone = "".join(text.split())
    if phone and not (7 <= len(phone) <= 20 and phone.replace("-", "").isdigit()):
        errors.append(f"{label}“{phone}”格式不对")
    return phone


def _ethnic(label: str, text: str, errors: list[str], warnings: list[str]) -> str:
    if text and not text.endswith("族"):
        errors.append(f"{label}“{text}”应为民族全称（如“汉族”）")
    return text


_COUNTY, _TOWNSHIP, _VILLAGE = (_INDEX[f] for f in PLACE_FIELDS)
_HOUSEHOLD_NO = _INDEX[HOUSEHOLD_KEY]


def parse_row(number: int, cells: list[str], layout: Layout) -> ParsedRow:
    errors: list[str] = []
    warnings: list[str] = []
    row = layout.read(cells)
    for index, label in _REQUIRED:
        if not row[index]:
            errors.append(f"{label}为空")
    person: dict[str, Any] = {}
    for index, name, read in layout.person:
        person[name] = row[index] if read is None else read(row[index], errors, warnings)
    is_head = person["relation"] == sheet.HEAD
    household: dict[str, Any] = {}
    if is_head:
        for index, label in _HEAD_REQUIRED:
            if not row[index]:
                errors.append(f"户主行的{label}为空")
        household[sheet.HEAD_NAME.field] = person["name"]
        for index, name, read in layout.household:
            household[name] = row[index] if read is None else read(row[index], errors, warnings)
    place = (row[_COUNTY], row[_TOWNSHIP], row[_VILLAGE], row[_VILLAGE_CODE])
    return ParsedRow(
        number, row[_HOUSEHOLD_NO], is_head, person, household, place, errors, warnings
    )


# ---------------------------------------------------------------- villages


class VillageResolver:
    """Finds a row's village: by the code column if present, else by the three names.

    Names are matched exactly: the village under the township under the county, where the
    county column may also hold the 6-digit county code. Several matches are refused rather
    than guessed. The village must lie within the actor's DATA_WRITE scope.

    A county's villages are read in one query the first time the sheet names it: a query per
    village costs the import more than it seems, since the main thread waits for the GIL
    after each one while the reading threads hold it.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._cache: dict[tuple[str, str, str, str], tuple[str, str]] = {}
        self._by_name: dict[str, dict[tuple[str, str], list[str]]] = {}  # county → places
        self._by_code: dict[str, set[str]] = {}  # county code → its village codes

    def resolve(self, place: tuple[str, str, str, str]) -> tuple[str, str]:
        """(village code, error)."""
        if place not in self._cache:
            self._cache[place] = self._lookup(place)
        return self._cache[place]

    def _lookup(self, place: tuple[str, str, str, str]) -> tuple[str, str]:
        county, township, village, code = place
        if code:
            codes = [code] if code in self._county_codes(code) else []
            where = f"行政村代码 {code}"
        else:
            codes = self._county_places(county).get((township, village), [])[:2]
            where = f"{county}{township}{village}"
        if not codes:
            return "", f"区划中没有“{where}”，请核对县、乡、村名称或先导入区划"
        if len(codes) > 1:
            return "", f"“{where}”对应多个行政村，请加“行政村代码”列"
        if not self.scope.covers_region(Cap.DATA_WRITE, codes[0]):
            return "", f"“{where}”（{codes[0]}）不在您的录入范围内"
        return codes[0], ""

    def _county_codes(self, code: str) -> set[str]:
        """The village codes of the county a village code names (none for a code of another
        length: no village has it)."""
        if len(code) != CODE_LENGTH[Level.VILLAGE]:
            return set()
        county = code[: CODE_LENGTH[Level.COUNTY]]
        if county not in self._by_code:
            villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=county)
            self._by_code[county] = set(villages.values_list("code", flat=True))
        return self._by_code[county]

    def _county_places(self, county: str) -> dict[tuple[str, str], list[str]]:
        """(township, village) names → village codes in code order, under every county of
        that name (or that code)."""
        if county not in self._by_name:
            county_q = {
                "parent__parent__code" if county.isdigit() else "parent__parent__name": county
            }
            places: dict[tuple[str, str], list[str]] = defaultdict(list)
            villages = Region.objects.filter(level=Level.VILLAGE, **county_q).order_by("code")
            for township, name, code in villages.values_list("parent__name", "name", "code"):
                places[township, name].append(code)
            self._by_name[county] = places
        return self._by_name[county]


# ---------------------------------------------------------------- checking the whole sheet


@dataclass
class Group:
    """A household's rows as the sheet lists them: its head, then its members. Rows of a
    household whose head is not just above them form groups of one, without a head."""

    household_no: str
    rows: list[ParsedRow]

    @property
    def head(self) -> ParsedRow | None:
        return self.rows[0] if self.rows[0].is_head else None


def row_groups(path: Path, layout: Layout) -> Iterator[Group]:
    # Parsed in a thread: it runs while the import waits on the database, up to a whole
    # write chunk (about 3,300 rows) ahead.
    rows = (parse_row(n, cells, layout) for n, cells in data_rows(path, layout))
    parsed = ahead(rows, batch=500, depth=8)
    current: Group | None = None
    for row in parsed:
        if (
            current
            and current.head
            and not row.is_head
            and row.household_no == current.household_no
        ):
            current.rows.append(row)
            continue
        if current:
            yield current
        current = Group(row.household_no, [row])
    if current:
        yield current


@dataclass
class Move:
    """A person the registry holds in another household (`owner`) than the sheet's."""

    owner: str
    household_no: str
    row: int


@dataclass
class SheetCheck:
    """What the sheet holds and what is wrong with it, built group by group as it is read.

    Kept small per row (the ID numbers and household numbers seen), since a province's sheet
    has a million rows."""

    layout: Layout
    rows: int = 0
    errors: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[tuple[int, str]] = field(default_factory=list)
    households: dict[str, str] = field(default_factory=dict)  # household no. → village
    orphans: set[str] = field(default_factory=set)
    bad: set[str] = field(default_factory=set)
    ids: dict[str, int] = field(default_factory=dict)  # ID → row
    villages: set[str] = field(default_factory=set)
    moves: dict[str, Move] = field(default_factory=dict)  # ID → where it is registered now
    # People this import already took out of a household written earlier: should that
    # household turn out wrong later, the person must stay in it, so the move is checked too.
    left: dict[str, str] = field(default_factory=dict)  # ID → household no.
    # Nothing was registered before this sheet: no registry rule can be broken.
    first_import: bool = False
    data_year: int | None = None  # the import's 数据年度: no one is identified after it

    def error(self, row: int, household_no: str, message: str) -> None:
        self.errors[row].append(message)
        self.bad.add(household_no)

    @property
    def numbers(self) -> set[str]:
        return set(self.households) | self.orphans

    def take(self, group: Group, resolver: VillageResolver) -> None:
        """The rules one household's rows must keep, and those against the rows before."""
        no = group.household_no
        self.rows += len(group.rows)
        for row in group.rows:
            if row.warnings:
                self.warnings.extend((row.number, w) for w in row.warnings)
            for message in row.errors:
                self.error(row.number, no, message)
        head = group.head
        if head is None:
            self.orphans.add(no)
            self.error(group.rows[0].number, no, f"户 {no} 缺少户主行（户主行须在该户成员之前）")
            return
        if no in self.households or no in self.orphans:
            self.orphans.add(no)
            for row in group.rows:
                self.error(row.number, no, f"户编号 {no} 在本表中已出现过：一户只能有一个户主")
            return
        village, problem = resolver.resolve(head.place)
        if problem:
            self.error(head.number, no, problem)
        else:
            self.villages.add(village)
        self.households[no] = village
        identified = head.household["identified_year"]
        if identified and self.data_year and identified > self.data_year:
            self.error(
                head.number, no, f"识别年度 {identified} 晚于本次导入的数据年度 {self.data_year}"
            )
        size = head.household["size"]
        if size is not None and size != len(group.rows):
            self.error(head.number, no, f"人数填为 {size}，但该户有 {len(group.rows)} 行")
        for row in group.rows:
            ident = row.person["id_number"]
            if not ident:
                continue
            if ident in self.ids:
                self.error(
                    row.number, no, f"证件号码 {idcard.mask(ident)} 与第 {self.ids[ident]} 行重复"
                )
            else:
                self.ids[ident] = row.number

    def registry(self, groups: list[Group]) -> None:
        """The registry-wide rules for these households, read before they are written: a
        household stays in its village; an ID registered elsewhere is a move between two
        households of the sheet, which `finish` confirms once the whole sheet is read."""
        if self.first_import:
            return  # the rows written so far are this sheet's own, checked by `take`
        heads = {g.household_no: g.head for g in groups if g.head}
        for no, village, exit_year in Household.objects.filter(
            household_no__in=list(heads)
        ).values_list("household_no", "village_id", "exit_year"):
            head = heads[no]
            wanted = self.households.get(no)
            if head and wanted and wanted != village:
                self.error(head.number, no, f"户编号 {no} 已登记在行政村 {village}")
            identified = head.household.get("identified_year") if head else None
            if head and identified and exit_year and identified > exit_year:
                self.error(
                    head.number, no, f"识别年度 {identified} 晚于该户已登记的脱贫年度 {exit_year}"
                )
        rows = {r.person["id_number"]: (g.household_no, r.number) for g in groups for r in g.rows}
        rows.pop("", None)
        registered = Person.objects.filter(id_number__in=list(rows)).values_list(
            "id_number", "household__household_no"
        )
        owners = {i: self.left[i] for i in rows if i in self.left}
        owners.update(registered)
        for ident, owner in owners.items():
            no, row = rows[ident]
            if owner != no:
                self.moves[ident] = Move(owner, no, row)

    def finish(self) -> None:
        """Moves are allowed only from a household of this sheet that is itself imported."""
        present = self.numbers
        for ident, move in self.moves.items():
            if move.owner not in present:
                self.error(
                    move.row,
                    move.household_no,
                    f"证件号码 {idcard.mask(ident)} 已登记在户 {move.owner}（不在本表中），"
                    "一人只能登记一次",
                )
        while stuck := [
            (i, m)
            for i, m in self.moves.items()
            if m.owner in self.bad and m.household_no not in self.bad
        ]:
            for ident, move in stuck:
                self.error(
                    move.row,
                    move.household_no,
                    f"证件号码 {idcard.mask(ident)} 仍登记在户 {move.owner}，而该户有错误未导入",
                )


# ---------------------------------------------------------------- the error workbook


_HOUSEHOLD_NO_LABEL = sheet.BY_FIELD[HOUSEHOLD_KEY].label


def error_workbook_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-错误.xlsx")


def write_error_workbook(path: Path, check: SheetCheck, skipped: set[str]) -> Path:
    """The input plus a 错误 column: what is wrong with each row.

    It echoes the sender's own file back so they can correct it, so ID numbers stay as typed.
    """
    out = error_workbook_path(path)
    book = Book(streaming=True)
    sheet_out = book.sheet("错误")
    width = check.layout.width
    for number, cells in enumerate(read_cells(path), start=1):
        padded = cells + [""] * (width - len(cells))
        if number == check.layout.header_row:
            sheet_out.append([*padded, ERROR_COLUMN])
            continue
        reasons = check.errors.get(number) or []
        if not reasons and check.layout.get(cells, _HOUSEHOLD_NO_LABEL) in skipped:
            reasons = [WHOLE_HOUSEHOLD_SKIPPED]
        sheet_out.append([*padded, "；".join(reasons)])
    book.save(out)
    return out
