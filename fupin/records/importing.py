"""Importing a catalogue (归档文件目录) with its scans, all or nothing.

The first sheet of the workbook is read; its header row is the first row with a 题名 cell.
Columns are found by name (brackets, spaces and full-width letters in the header do not matter):

    序号        optional; kept in the error workbook only (also: 顺序号)
    档号        optional; matches scans, compared with the code the system assigns
    文号        optional; matches scans (also: 文件编号, 发文字号)
    责任者      required
    题名        required; a title in [ ] was made up by the archivist (also: 文件题名)
    日期        required; 2016.3.18, 2016-03-18, 2016/3/18, 2016年3月18日, 20160318,
                a date cell or an Excel serial number (also: 成文日期, 文件日期)
    密级        optional; empty or 无, 内部, 秘密, 机密
    页数        required; a whole number
    备注        optional
    年度        optional; defaults to the year of 日期
    保管期限    required; 永久/30年/10年 or Y/D30/D10 (also: 保管期限代码)
    机构（问题）required; code or name of a class of the fonds (also: 机构问题, 机构, 问题)
    门类        optional; code or name (WS or 文书 …); default 文书, or the one 归档范围 implies
    归档范围    required; the schedule row number at the unit's level: 3, 文书3, 专业1
                (also: 归档范围序号, 归档范围条目)
    事由        optional; items of one matter are numbered together

Scans in the files folder are matched to rows by file name: the stem is the row's 档号 or 文号
(full-width letters, spaces, 〔〕/[]/() and middle-dot variants do not matter); several files of
one row carry -1, -2 (or _1, _2) after it. Every row and file is checked before anything is
kept: the rows go through item_create and the files through the capture service inside one
transaction that is rolled back on any error, and an error workbook (the input plus a 错误
column, and a 文件错误 sheet) is written instead.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from fupin.accounts.access import access_unit
from fupin.accounts.roles import Cap
from fupin.core.folders import folder_files, open_inside
from fupin.core.tabular import Book
from fupin.objects.models import Derivative, StoredObject
from fupin.objects.services import object_capture
from fupin.records.files import item_attach
from fupin.records.models import (
    IMPLIED_CATEGORY,
    SCHEDULE_CATEGORY,
    CategoryCode,
    ClassCode,
    RecordItem,
    Secrecy,
)
from fupin.records.services import (
    UNIT_SCHEDULE_LEVEL,
    fonds_settings,
    item_create,
    items_arrange,
)
from fupin.regions.models import Level, Unit
from fupin.schedule import retention as retention_rule
from fupin.schedule.models import Category, ScheduleLevel, ScheduleRow
from fupin.schedule.selectors import rows_in_force, version_in_force

HEADERS = {
    "序号": ("序号", "顺序号"),
    "档号": ("档号",),
    "文号": ("文号", "文件编号", "发文字号", "发文号"),
    "责任者": ("责任者",),
    "题名": ("题名", "文件题名"),
    "日期": ("日期", "成文日期", "文件日期", "形成日期"),
    "密级": ("密级",),
    "页数": ("页数",),
    "备注": ("备注",),
    "年度": ("年度",),
    "保管期限": ("保管期限", "保管期限代码", "期限"),
    "机构问题": ("机构问题", "机构问题代码", "机构", "问题", "机构代码", "问题代码"),
    "门类": ("门类", "门类代码"),
    "归档范围": ("归档范围", "归档范围序号", "归档范围条目", "归档范围号", "归档范围条目号"),
    "事由": ("事由",),
}
REQUIRED = ("责任者", "题名", "日期", "页数", "保管期限", "机构问题", "归档范围")
HEADER_LABELS = {"机构问题": "机构（问题）"}

# Full-width digits, letters and the ideographic space, as typed with a Chinese input method.
# Only these: full-width punctuation (，：（）) is ordinary Chinese text in a title.
_FULL_WIDTH = {
    c: c - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for c in range(r[0], r[1] + 1)
} | {0x3000: 0x20}
_BRACKETS = str.maketrans("〔〕【】[]［］", "()()()()")
_DOTS = str.maketrans({c: "·" for c in "・•‧･.．"})
_DATE = re.compile(r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?")
_SECRECY = {"": "", "无": "", "-": "", "—": "", "公开": ""} | {
    label: value for value, label in Secrecy.choices if value
}
_SCHEDULE_LABELS = {label: value for value, label in Category.choices}
# The service's generic message for a field this module has already explained precisely.
_SERVICE_MESSAGES = {
    "date": "请填写有效的日期。",
    "pages": "页数必须是大于 0 的整数。",
    "secrecy": "密级无效。",
    "class_code_id": "请选择本全宗的机构（问题）。",
    "category": "请选择门类。",
    "schedule_row_id": "请选择现行归档范围中的条目。",
    "retention": "该归档范围条目的保管期限只能是",
}


def _text(value: Any) -> str:
    """A cell as text: full-width digits and letters made plain, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).translate(_FULL_WIDTH).split())


def _fold(value: Any) -> str:
    """For comparing codes and headers: no spaces, brackets or case differences."""
    text = unicodedata.normalize("NFKC", _text(value)).translate(_BRACKETS)
    return "".join(text.split()).replace("(", "").replace(")", "").replace("*", "").upper()


def match_key(value: Any) -> str:
    """A 档号 or 文号 as written in a file name: 〔〕, [] and () alike, any middle dot."""
    text = unicodedata.normalize("NFKC", _text(value)).translate(_BRACKETS).translate(_DOTS)
    return "".join(text.split()).upper()


def parse_date(value: Any) -> datetime.date | None:
    """None when the value is not a date in any form a catalogue uses."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            return None
        number = int(value)
        if 10_000_000 <= number <= 99_991_231:
            return parse_date(str(number))
        try:
            serial = from_excel(number)
        except (OverflowError, ValueError):
            return None
        return serial.date() if isinstance(serial, datetime.datetime) else None
    text = "".join(unicodedata.normalize("NFKC", _text(value)).split())
    found = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if found is None:
        return None
    try:
        return datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


@dataclass
class CatalogueRow:
    number: int
    cells: tuple[Any, ...]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Fields whose problem this module explained itself: the service's generic words are dropped.
    explained: set[str] = field(default_factory=set)
    code: str = ""
    item: RecordItem | None = None
    files: list[tuple[int, Path]] = field(default_factory=list)

    def refuse(self, name: str, message: str) -> None:
        self.explained.add(name)
        self.errors.append(message)


@dataclass
class ImportReport:
    rows: int = 0
    items: int = 0
    files: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    file_errors: list[dict[str, str]] = field(default_factory=list)
    error_workbook: str | None = None
    years: list[int] = field(default_factory=list)
    code_differences: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "items": self.items,
            "files": self.files,
            "errors": self.errors,
            "file_errors": self.file_errors,
            "error_workbook": self.error_workbook,
            "years": self.years,
            "code_differences": self.code_differences,
            "notes": self.notes,
        }


class _RollBack(Exception):
    """Leaves the checking transaction so that nothing of a failed import is kept."""


@dataclass
class _Sheet:
    title: str
    rows: list[tuple[int, tuple[Any, ...]]]
    header: int
    columns: dict[str, int]


def _read_sheet(path: Path) -> _Sheet:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise ValidationError(
            f"无法读取目录文件 {path.name}：应为 Excel 工作簿（.xlsx）。"
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = [(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
        title = sheet.title
    finally:
        book.close()
    aliases = {alias: name for name, names in HEADERS.items() for alias in names}
    for number, cells in rows:
        folded = [_fold(c) for c in cells]
        if "题名" in folded or "文件题名" in folded:
            columns: dict[str, int] = {}
            for index, header in enumerate(folded):
                if header in aliases:
                    columns.setdefault(aliases[header], index)
            missing = [HEADER_LABELS.get(n, n) for n in REQUIRED if n not in columns]
            if missing:
                raise ValidationError(f"目录缺少必需的列：{'、'.join(missing)}。")
            return _Sheet(title, rows, number, columns)
    raise ValidationError("目录中找不到表头行（含“题名”的一行）。")


class _Describer:
    """Turns a catalogue row into the arguments of item_create, explaining what it cannot read."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.earliest = fonds_settings(unit).earliest_year
        self.today = timezone.localdate()
        self.level = UNIT_SCHEDULE_LEVEL[Level(unit.region.level)]
        self.classes = list(ClassCode.objects.filter(unit=unit))
        self._rows: dict[int, dict[tuple[str, str], ScheduleRow]] = {}

    def describe(self, row: CatalogueRow, cell: dict[str, Any]) -> None:
        title = _text(cell.get("题名")).translate(str.maketrans("［］【】", "[][]"))
        by_archivist = len(title) > 1 and title[0] == "[" and title[-1] == "]"
        date = self._date(row, cell.get("日期"))
        category = self._category(row, cell)
        row.code = _text(cell.get("档号"))
        row.data = {
            "title": title[1:-1].strip() if by_archivist else title,
            "title_by_archivist": by_archivist,
            "doc_number": _text(cell.get("文号")),
            "responsible": _text(cell.get("责任者")),
            "date": date,
            "year": self._year(row, cell.get("年度")),
            "pages": self._pages(row, cell.get("页数")),
            "secrecy": self._secrecy(row, cell.get("密级")),
            "notes": _text(cell.get("备注")),
            "matter": _text(cell.get("事由")),
            "retention": self._retention(row, cell.get("保管期限")),
            "class_code_id": self._class(row, cell.get("机构问题")),
            "category": category,
            "schedule_row_id": self._schedule_row(row, cell.get("归档范围"), category, date),
        }

    def _date(self, row: CatalogueRow, value: Any) -> datetime.date | None:
        if _text(value) == "":
            return None
        found = parse_date(value)
        if found is None:
            row.refuse(
                "date", f"日期“{_text(value)}”无效，应写作 2016.3.18、2016-03-18 或 20160318。"
            )
        elif found > self.today:
            row.refuse(
                "date", f"日期列“{_text(value)}”晚于今天（{self.today}），不可能是文件日期。"
            )
        elif found.year < self.earliest:
            row.refuse(
                "date",
                f"日期列“{_text(value)}”早于本全宗可收的最早年度 {self.earliest} 年，请核对。",
            )
        return found

    def _year(self, row: CatalogueRow, value: Any) -> int | None:
        text = _fold(value)
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text):
            row.refuse("year", f"年度“{_text(value)}”无效，应为四位年份。")
            return None
        year = int(text)
        if not self.earliest <= year <= self.today.year:
            row.refuse(
                "year",
                f"年度列“{year}”不在本全宗可收的 {self.earliest}–{self.today.year} 年之间。",
            )
        return year

    def _pages(self, row: CatalogueRow, value: Any) -> int | None:
        text = _fold(value).removesuffix("页")
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            row.refuse("pages", f"页数“{_text(value)}”无效，应为大于 0 的整数。")
            return None
        return int(text)

    def _secrecy(self, row: CatalogueRow, value: Any) -> str:
        text = _fold(value)
        if text not in _SECRECY:
            row.refuse("secrecy", f"密级“{_text(value)}”无效，应为空、内部、秘密或机密。")
            return ""
        return _SECRECY[text]

    def _retention(self, row: CatalogueRow, value: Any) -> str | None:
        text = _fold(value)
        spellings = retention_rule.accepted_spellings()
        if not text:
            row.refuse("retention", f"请填写保管期限（{spellings}）。")
            return None
        code = retention_rule.parse(text)
        if code is None:
            row.refuse("retention", f"保管期限“{_text(value)}”无效，应为{spellings}。")
        return code

    def _class(self, row: CatalogueRow, value: Any) -> int | None:
        text = _fold(value)
        if not text:
            row.refuse("class_code_id", "请填写机构（问题）。")
            return None
        for klass in self.classes:
            if text in (klass.code.upper(), _fold(klass.name)):
                return klass.pk
        known = "、".join(f"{k.code} {k.name}" for k in self.classes) or "（尚未设置）"
        row.refuse(
            "class_code_id", f"机构（问题）“{_text(value)}”不是本全宗的类别，可用：{known}。"
        )
        return None

    def _category(self, row: CatalogueRow, cell: dict[str, Any]) -> str | None:
        text = _fold(cell.get("门类"))
        if not text:
            prefix = re.match(r"\D+", _fold(cell.get("归档范围")))
            implied = IMPLIED_CATEGORY.get(_SCHEDULE_LABELS.get(prefix[0], "")) if prefix else None
            return (implied or CategoryCode.WS).value
        for value, label in CategoryCode.choices:
            if text in (value, label):
                return value
        row.refuse("category", f"门类“{_text(cell.get('门类'))}”无效，应为 WS 文书、KJ 科技等。")
        return None

    def _schedule_row(
        self, row: CatalogueRow, value: Any, category: str | None, date: datetime.date | None
    ) -> int | None:
        text = _fold(value)
        found = re.fullmatch(r"(\D*?)(\d+)", text)
        if found is None:
            message = "请填写归档范围条目序号（如 3、文书3）。"
            if text:
                message = f"归档范围“{_text(value)}”无效，应写条目序号，如 3、文书3、专业1。"
            row.refuse("schedule_row_id", message)
            return None
        label, number = found[1], found[2]
        if label and label not in _SCHEDULE_LABELS:
            row.refuse("schedule_row_id", f"归档范围“{_text(value)}”中的门类“{label}”无效。")
            return None
        if label:
            schedule = _SCHEDULE_LABELS[label]
        elif category is not None:
            schedule = SCHEDULE_CATEGORY[CategoryCode(category)]
        else:
            # Without a valid 门类 the row cannot be looked up; the 门类 error says why.
            row.explained.add("schedule_row_id")
            return None
        schedule_row = self._rows_on(date).get((schedule, number))
        if schedule_row is None:
            level = ScheduleLevel(self.level).label
            row.refuse(
                "schedule_row_id",
                f"现行归档范围（{level}）中没有“{Category(schedule).label}{number}”条目。",
            )
            return None
        return schedule_row.pk

    def _rows_on(self, date: datetime.date | None) -> dict[tuple[str, str], ScheduleRow]:
        version = version_in_force(unit=self.unit, on=date)
        if version is None:
            return {}
        if version.pk not in self._rows:
            self._rows[version.pk] = {
                (r.category, r.number): r
                for r in rows_in_force(version)
                if r.parent_row_id is None and r.level == self.level
            }
        return self._rows[version.pk]


_NUMBERED = re.compile(r"(.+)[-_](\d{1,3})")


def _match_files(folder: Path, rows: list[CatalogueRow], report: ImportReport) -> None:
    """Give each row its files in order; a file that names no row, or several, is an error."""
    if not folder.is_dir():
        raise ValidationError(f"电子文件目录 {folder} 不存在。")
    by_key: dict[str, list[CatalogueRow]] = defaultdict(list)
    for row in rows:
        for key in {match_key(row.code), match_key(row.data["doc_number"])} - {""}:
            by_key[key].append(row)
    found, refused = folder_files(folder)
    for name, reason in refused:
        report.file_errors.append({"file": name, "reason": f"{name} {reason}"})
    for path in found:
        key, position = match_key(path.stem), 0
        holders: list[CatalogueRow] | None = by_key.get(key)
        numbered = _NUMBERED.fullmatch(key)
        if not holders and numbered:
            holders, position = by_key.get(numbered[1]), int(numbered[2])
        if not holders:
            report.file_errors.append(
                {
                    "file": path.name,
                    "reason": "目录中没有与文件名对应的行：文件名应为该行的档号或文号，"
                    "同一行的多个文件在其后加 -1、-2。",
                }
            )
        elif len(holders) > 1:
            lines = "、".join(str(r.number) for r in holders)
            report.file_errors.append(
                {
                    "file": path.name,
                    "reason": f"文件名对应目录中的多行（第 {lines} 行），无法确定。",
                }
            )
        else:
            holders[0].files.append((position, path))


def _check_codes(rows: list[CatalogueRow]) -> None:
    first: dict[str, CatalogueRow] = {}
    for row in rows:
        key = match_key(row.code)
        if key and key in first:
            row.errors.append(f"档号与第 {first[key].number} 行重复。")
        first.setdefault(key, row)


def _check_rows(actor: Any, unit: Unit, rows: list[CatalogueRow]) -> None:
    for row in rows:
        try:
            # A savepoint per row: one refused row must not end the checking of the others.
            with transaction.atomic():
                row.item = item_create(actor=actor, unit_id=unit.pk, **row.data)
        except ValidationError as exc:
            generic = {_SERVICE_MESSAGES[n] for n in row.explained if n in _SERVICE_MESSAGES}
            row.errors.extend(m for m in exc.messages if not any(m.startswith(g) for g in generic))


def _check_files(
    actor: Any, rows: list[CatalogueRow], report: ImportReport, stored: list[str]
) -> None:
    """Each file is opened inside its folder only: a link put there after the listing is
    refused too."""
    for row in rows:
        ordered = sorted(row.files)
        for index, (_, path) in enumerate(ordered):
            try:
                with transaction.atomic(), open_inside(path, path.parent) as stream:
                    if row.item is None:
                        # The row is refused already, but its scan is still checked.
                        result = object_capture(
                            actor=actor,
                            stream=stream,
                            filename=path.name,
                            category=row.data["category"] or CategoryCode.WS,
                            strict=True,
                        )
                        notes = list(result.notes)
                    else:
                        _, result, notes = item_attach(
                            actor=actor, item_id=row.item.pk, stream=stream, filename=path.name
                        )
                        # Scanned pages are compared with 页数 once the row's last file is on.
                        if index < len(ordered) - 1:
                            notes = list(result.notes)
            except ValidationError as exc:
                report.file_errors.append({"file": path.name, "reason": "；".join(exc.messages)})
                continue
            except OSError as exc:
                reason = exc.args[0] if len(exc.args) == 1 else exc.strerror
                report.file_errors.append({"file": path.name, "reason": f"无法读取文件：{reason}"})
                continue
            if not result.duplicate:
                stored.append(result.object.storage_name)
                # A scan's page thumbnails were stored with it and go with it on a rollback.
                stored.extend(
                    Derivative.objects.filter(source=result.object).values_list(
                        "object__storage_name", flat=True
                    )
                )
            report.files += 1
            report.notes.extend({"row": row.number, "file": path.name, "note": n} for n in notes)


def _arrange(actor: Any, unit: Unit, rows: list[CatalogueRow], report: ImportReport) -> None:
    items = [r.item for r in rows if r.item is not None]
    report.years = sorted({i.year for i in items})
    for year in report.years:
        items_arrange(actor=actor, unit_id=unit.pk, year=year)
    assigned = dict(
        RecordItem.objects.filter(pk__in=[i.pk for i in items]).values_list("pk", "reference_code")
    )
    for row in rows:
        if row.item is None or not row.code:
            continue
        code = assigned[row.item.pk] or ""
        if match_key(code) != match_key(row.code):
            report.code_differences.append({"row": row.number, "given": row.code, "assigned": code})


def _discard(stored: list[str]) -> None:
    """Bytes stored by a rolled-back import have no object any more; bytes another capture
    committed meanwhile under the same name (their digest) are theirs and stay."""
    kept = set(
        StoredObject.objects.filter(storage_name__in=stored).values_list("storage_name", flat=True)
    )
    for name in set(stored) - kept:
        default_storage.delete(name)


def _write_error_workbook(
    path: Path, sheet: _Sheet, rows: list[CatalogueRow], report: ImportReport
) -> None:
    book = Book()
    out = book.sheet(sheet.title)
    width = max(len(cells) for _, cells in sheet.rows)
    reasons = {r.number: "；".join(r.errors) for r in rows if r.errors}
    for number, cells in sheet.rows:
        extra = "错误" if number == sheet.header else reasons.get(number)
        out.append([*cells, *[None] * (width - len(cells)), extra])
    files = book.sheet("文件错误")
    files.append(["文件", "原因"])
    for error in report.file_errors:
        files.append([error["file"], error["reason"]])
    general = [e["reason"] for e in report.errors if e["row"] is None]
    if general:
        other = book.sheet("其他错误")
        other.append(["原因"])
        for reason in general:
            other.append([reason])
    book.save(path)


def catalogue_import(
    *,
    actor: Any,
    unit_id: int,
    catalogue: Path,
    files: Path | None = None,
    errors_path: Path | None = None,
) -> ImportReport:
    """Import every row and file of a catalogue, or nothing: with any error the transaction is
    rolled back, the bytes it stored are deleted, and an error workbook is written."""
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    fonds_settings(unit)
    sheet = _read_sheet(catalogue)
    describer = _Describer(unit)
    rows: list[CatalogueRow] = []
    for number, cells in sheet.rows[sheet.header :]:
        cell = {name: cells[i] if i < len(cells) else None for name, i in sheet.columns.items()}
        if all(_text(c) == "" for c in cells):
            continue
        row = CatalogueRow(number, cells)
        describer.describe(row, cell)
        rows.append(row)
    if not rows:
        raise ValidationError("目录中没有文件行。")
    report = ImportReport(rows=len(rows))
    _check_codes(rows)
    if files is not None:
        _match_files(files, rows, report)
    stored: list[str] = []
    try:
        with transaction.atomic():
            _check_rows(actor, unit, rows)
            _check_files(actor, rows, report, stored)
            report.errors = [{"row": r.number, "reason": e} for r in rows for e in r.errors]
            if report.ok:
                try:
                    with transaction.atomic():
                        _arrange(actor, unit, rows, report)
                except ValidationError as exc:
                    report.errors.extend({"row": None, "reason": m} for m in exc.messages)
            if not report.ok:
                raise _RollBack
    except _RollBack:
        _discard(stored)
    except BaseException:
        _discard(stored)
        raise
    if report.ok:
        report.items = len(rows)
        return report
    report.files = 0
    target = errors_path or catalogue.with_name(f"{catalogue.stem}-错误.xlsx")
    _write_error_workbook(target, sheet, rows, report)
    report.error_workbook = str(target)
    return report
