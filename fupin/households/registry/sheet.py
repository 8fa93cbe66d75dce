"""The national registration sheet (全国扶贫开发信息系统导出表), declared once.

Each column says what the sheet calls it, which registry field it feeds (a household's, a
member's, or only the row's place), how a cell is read (a code list, 是/否, a bounded number,
an ID number, …), whether it must be filled, and how a difference from the registry enters
the change history. The importer, the change history, the models' labels, the API schemas,
the member table and the demo generator read this table, so adding a column is an entry here,
the model field and its migration.

Pure data: nothing here imports the models, which take their labels from it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Part(StrEnum):
    PLACE = "place"  # finds the row's village; not stored
    HOUSEHOLD = "household"  # read from the head row only
    PERSON = "person"  # read from every row


class Kind(StrEnum):
    TEXT = "text"  # as written
    CODE = "code"  # matched through the column's code list (data: CodeValue, CodeAlias)
    YES_NO = "yes_no"  # a code list of 是/否, stored as a boolean
    INT = "int"  # a whole number within `low`–`high`
    MONEY = "money"  # a non-negative amount, two decimals
    ID = "id"  # a resident ID number (GB 11643), normalised and checked
    PHONE = "phone"  # digits and dashes
    ETHNIC = "ethnic"  # an ethnic group's full name (汉族, not 汉)


class Need(StrEnum):
    NO = "no"
    ROW = "row"  # every row
    HEAD = "head"  # the head's row


class Compare(StrEnum):
    """How a re-import compares the column with what the registry holds."""

    NONE = "none"  # places the row or names it (a different ID is a different person)
    VALUE = "value"  # each difference is one 属性变更 entry under the column's label
    STATUS = "status"  # moves the household's status: a 脱贫/返贫/新识别 entry under 状态


@dataclass(frozen=True)
class Column:
    label: str  # the header as the national system writes it
    field: str  # the registry field it feeds (for a place column, the name used in code)
    part: Part
    kind: Kind = Kind.TEXT
    need: Need = Need.NO
    compare: Compare = Compare.VALUE
    # The national code table's values (2014–2020), the first being what the registry
    # stores; older and other spellings are aliases, kept as data.
    values: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    masked: bool = False  # personal: shown masked unless revealed

    @property
    def coded(self) -> bool:
        return self.kind in (Kind.CODE, Kind.YES_NO)

    @property
    def python_type(self) -> type:
        """What the registry stores (None when blank, for the non-text kinds)."""
        return {Kind.INT: int, Kind.MONEY: Decimal, Kind.YES_NO: bool}.get(self.kind, str)


HEAD = "户主"
# 建档立卡 began in 2014; the national system identified its last households in 2020.
FIRST_IDENTIFICATION_YEAR = 2014
LAST_IDENTIFICATION_YEAR = 2020
YES_NO = ("是", "否")
MAX_HOUSEHOLD_SIZE = 30


def _place(label: str, field: str) -> Column:
    return Column(label, field, Part.PLACE, need=Need.ROW, compare=Compare.NONE)


def _household(label: str, field: str, kind: Kind = Kind.TEXT, **rest: Any) -> Column:
    return Column(label, field, Part.HOUSEHOLD, kind, **rest)


def _person(label: str, field: str, kind: Kind = Kind.TEXT, **rest: Any) -> Column:
    return Column(label, field, Part.PERSON, kind, **rest)


# In the order the national system exports them.
COLUMNS: tuple[Column, ...] = (
    _place("县(市、区)", "county"),
    _place("乡(镇)", "township"),
    _place("行政村", "village"),
    _household("自然村", "natural_village"),
    _household("户编号", "household_no", need=Need.ROW, compare=Compare.NONE),
    _person("人编号", "person_no", need=Need.ROW),
    _person("姓名", "name", need=Need.ROW),
    _person("证件号码", "id_number", Kind.ID, need=Need.ROW, compare=Compare.NONE, masked=True),
    _household("人数", "size", Kind.INT, low=1, high=MAX_HOUSEHOLD_SIZE),
    _person(
        "与户主关系",
        "relation",
        Kind.CODE,
        need=Need.ROW,
        values=(
            *(HEAD, "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之外孙子"),
            *("之外孙女", "之父", "之母", "之岳父", "之岳母", "之公公", "之婆婆", "之祖父"),
            *("之祖母", "之外祖父", "之外祖母", "之兄弟姐妹", "之曾孙子", "之曾孙女", "其他"),
        ),
    ),
    _person("民族", "ethnicity", Kind.ETHNIC),
    _person(
        "文化程度",
        "education",
        Kind.CODE,
        values=("学龄前儿童", "文盲或半文盲", "小学", "初中", "高中", "大专及以上"),
    ),
    _person(
        "在校生状况",
        "schooling",
        Kind.CODE,
        values=("学前教育", "小学", "初中", "高中", "中职", "大专", "本科及以上"),
    ),
    _person("健康状况", "health", Kind.CODE, values=("健康", "长期慢性病", "患有大病", "残疾")),
    _person(
        "劳动技能",
        "labour_skill",
        Kind.CODE,
        values=("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"),
    ),
    _person(
        "务工状况",
        "work_status",
        Kind.CODE,
        values=("乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工"),
    ),
    _person("务工时间(月)", "work_months", Kind.INT, low=0, high=12),
    _person("参加大病医疗", "serious_illness_insurance", Kind.YES_NO, values=YES_NO),
    # Optional: the year the household was identified (精准识别). A sheet without it leaves
    # the year to the import's data year; a blank cell never clears a year already known.
    _household(
        "识别年度",
        "identified_year",
        Kind.INT,
        compare=Compare.NONE,
        low=FIRST_IDENTIFICATION_YEAR,
        high=LAST_IDENTIFICATION_YEAR,
    ),
    _household(
        "脱贫属性",
        "exit_status",
        Kind.CODE,
        need=Need.HEAD,
        compare=Compare.STATUS,
        values=("未脱贫", "已脱贫", "返贫"),
    ),
    _household(
        "贫困户属性",
        "attribute",
        Kind.CODE,
        need=Need.HEAD,
        values=("一般贫困户", "低保贫困户", "特困供养贫困户"),
    ),
    _household(
        "主要致贫原因",
        "main_cause",
        Kind.CODE,
        need=Need.HEAD,
        values=(
            *("因病", "因残", "因学", "因灾", "因婚", "缺土地", "缺水", "缺技术", "缺劳力"),
            *("缺资金", "交通条件落后", "自身发展动力不足", "其他"),
        ),
    ),
    _household("危房户", "dilapidated_house", Kind.YES_NO, values=YES_NO),
    _household("饮水安全", "water_safe", Kind.YES_NO, values=YES_NO),
    _household("饮水困难", "water_difficulty", Kind.YES_NO, values=YES_NO),
    _household("人均纯收入", "income_per_capita", Kind.MONEY),
    _household("联系电话", "phone", Kind.PHONE, masked=True),
)

# Registry fields that are not a column of their own, compared like one.
HEAD_NAME = Column("户主姓名", "head_name", Part.HOUSEHOLD)  # the head row's 姓名
STATUS_LABEL = "状态"  # what 脱贫属性 moves

# A village code column is not part of the national export; when a sheet carries one it wins
# over the names, which are ambiguous across counties (every county has a 城关镇).
VILLAGE_CODE_LABELS = ("行政村代码", "村代码", "行政区划代码")

HEADER: tuple[str, ...] = tuple(c.label for c in COLUMNS)
BY_FIELD: Mapping[str, Column] = {c.field: c for c in COLUMNS}
INDEX: Mapping[str, int] = {c.field: i for i, c in enumerate(COLUMNS)}
LABELS: Mapping[str, str] = {
    **{c.field: c.label for c in COLUMNS},
    HEAD_NAME.field: HEAD_NAME.label,
    "status": STATUS_LABEL,
}
ID_LABEL = BY_FIELD["id_number"].label  # the header row is the one that holds it
# The coded columns: field → label, in sheet order (the code lists page lists them so).
CODED: Mapping[str, str] = {c.field: c.label for c in COLUMNS if c.coded}
# What a re-import compares, in the order the history lists the differences.
HOUSEHOLD_COMPARED: tuple[Column, ...] = (
    HEAD_NAME,
    *(c for c in COLUMNS if c.part == Part.HOUSEHOLD and c.compare == Compare.VALUE),
)
PERSON_COMPARED: tuple[Column, ...] = tuple(
    c for c in COLUMNS if c.part == Part.PERSON and c.compare == Compare.VALUE
)
PERSON_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.part == Part.PERSON)
HOUSEHOLD_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.part == Part.HOUSEHOLD)


def shown(value: object) -> str:
    """A stored value as the sheet writes it: 是/否, two decimals, blank for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO[0] if value else YES_NO[1]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def row_of(values: Mapping[str, str]) -> list[str]:
    """A sheet row from cells by field (a field not given is blank)."""
    return [values.get(c.field, "") for c in COLUMNS]
