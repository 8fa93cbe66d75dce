"""Synthetic demo data: villages under real townships, and the national registration sheet.

Each generator is driven by a seeded Random, so a seed fixes the output, and rows stream out
one by one so that millions of households pass through in flat memory: ID numbers are made
unique by construction (a counter per county, birth date and sex), never by remembering them.
"""

import bisect
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import TypeVar

from fupin.demo.idnumbers import CHECK_CHARS, make_id
from fupin.households.registry import sheet
from fupin.households.registry.sheet import Part

T = TypeVar("T")

# Ages are as of the registration drive, which is when the sheet describes the household.
REFERENCE_YEAR = 2016

VILLAGE_HEADER = (
    "code",
    "name",
    "streetCode",
    "provinceCode",
    "cityCode",
    "areaCode",
    "isPoor",
    "exitYear",
)
FIRST_COMMITTEE = 1  # 001–199: residents' committees (居委会)
FIRST_VILLAGE = 201  # 200–399: villagers' committees (村委会)
MAX_PER_TOWNSHIP = 99  # with gaps of up to 2 the village codes stay below 400

NAME_HEADS = (
    "东西南北上下前后中新大小高长青红白黄金石龙凤马牛桃李柳杨松柏竹茶桑枣安太平和兴永福康丰"
)
NAME_TAILS = "岭沟湾坪坡岗峪坝口垭庄店桥塘堰泉溪河川山林园营寨庙关"
COMMUNITY_NAMES = ("城关", "新华", "解放", "人民", "建设", "东风", "文化", "和平", "朝阳", "滨河")
HAMLET_TAILS = "湾沟坪岭院坡垭河"

# Common surnames with their approximate share (per mille) of the population.
SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 20), ("吴", 20), ("周", 19), ("徐", 13), ("孙", 12), ("马", 11), ("朱", 11),
    ("胡", 11), ("郭", 10), ("何", 10), ("高", 9), ("林", 9), ("罗", 9), ("郑", 8),
    ("梁", 8), ("谢", 7), ("宋", 6), ("唐", 6), ("许", 6), ("韩", 6), ("冯", 6), ("邓", 6),
    ("曹", 6), ("彭", 6), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 5), ("潘", 5),
    ("蒋", 5), ("蔡", 5), ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("魏", 4), ("吕", 4),
    ("丁", 4), ("任", 4), ("沈", 4), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3),
    ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("付", 3), ("方", 3), ("邹", 3), ("熊", 3), ("柯", 2), ("詹", 2), ("向", 2), ("明", 1),
)  # fmt: skip
SURNAME_CHARS = [s for s, _ in SURNAMES]
SURNAME_CUMULATIVE = list(itertools.accumulate(w for _, w in SURNAMES))
# Given names changed with the generations: older villagers carry the older characters.
GIVEN = {
    (True, False): "建国军明华平林文志勇海山成兵德福贵春忠良全金宝富有才东生祥发荣",
    (True, True): "伟强涛杰磊鹏浩宇俊博轩子晨阳鑫睿航凯斌超辉",
    (False, False): "秀兰英芳玲梅华珍丽霞红琴云凤燕娟萍桂香莲翠花",
    (False, True): "婷雪慧欣怡雨佳梦琪涵悦颖静敏璐晶倩瑶",
}

HOUSEHOLD_SIZE_WEIGHTS = (12, 22, 25, 22, 12, 7)  # sizes 1–6, mean ≈ 3.2
# The code lists the generator draws from, and its weights, aligned with them.
ATTRIBUTES = sheet.BY_FIELD["attribute"].values
CAUSES = sheet.BY_FIELD["main_cause"].values
CAUSE_WEIGHTS = (40, 10, 8, 3, 1, 2, 1, 12, 8, 10, 2, 2, 1)
EXIT_STATUSES = sheet.BY_FIELD["exit_status"].values
EDUCATION = sheet.BY_FIELD["education"].values
HEALTH = sheet.BY_FIELD["health"].values
WORK_STATUSES = sheet.BY_FIELD["work_status"].values
WORK_WEIGHTS = (20, 25, 25, 30)
# 民族 is not a coded column: the groups of the demo county's area.
ETHNICITIES = ("汉族", "回族", "土家族", "苗族")
STUDENT_EDUCATION = {
    "学前教育": "学龄前儿童",
    "小学": "小学",
    "初中": "初中",
    "高中": "高中",
    "中职": "高中",
    "大专": "大专及以上",
    "本科及以上": "大专及以上",
}
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _weighted(rng: Random, values: Sequence[T], weights: Sequence[int]) -> T:
    return rng.choices(values, weights)[0]


def surname(rng: Random) -> str:
    # bisect on a precomputed table: choices() would re-accumulate the weights on every call.
    index = bisect.bisect(SURNAME_CUMULATIVE, rng.random() * SURNAME_CUMULATIVE[-1])
    return SURNAME_CHARS[index]


def person_name(rng: Random, male: bool, birth_year: int, family: str | None = None) -> str:
    chars = GIVEN[(male, birth_year >= 1985)]
    given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))
    return (family or surname(rng)) + given


# ---------------------------------------------------------------- villages


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    is_poor: bool = False
    exit_year: int | None = None

    def row(self) -> list[str]:
        code = self.code
        flag = "1" if self.is_poor else "0"
        exit_year = str(self.exit_year or "")
        return [code, self.name, code[:9], code[:2], code[:4], code[:6], flag, exit_year]


def _code_steps(rng: Random, first: int, count: int) -> list[int]:
    # Real code lists have holes where villages were merged away.
    numbers, current = [], first
    for _ in range(count):
        numbers.append(current)
        current += rng.choice((1, 1, 1, 1, 2))
    return numbers


def generate_villages(
    township_codes: Iterable[str], per_township: tuple[int, int], seed: int
) -> Iterator[Village]:
    """Villages (and a few residents' committees) for each township, 30% of villages poor.

    Each township has its own Random, so its villages do not depend on which other
    townships were asked for in the same call.
    """
    low, high = per_township
    if not 1 <= low <= high <= MAX_PER_TOWNSHIP:
        raise ValueError(f"每个乡镇的村数应在 1–{MAX_PER_TOWNSHIP} 之间：{low}–{high}")
    for township in township_codes:
        if len(township) != 9 or not township.isdigit():
            raise ValueError(f"乡镇代码应为 9 位数字：{township!r}")
        rng = Random(f"{seed}:{township}")
        count = rng.randint(low, high)
        part = int(township[6:])
        # Streets (001–099) are mostly urban, towns (100–199) have a community or two.
        committees = count // 2 if part < 100 else min(count - 1, rng.randint(0, 2)) * (part < 200)
        used: set[str] = set()
        for number in _code_steps(rng, FIRST_COMMITTEE, committees):
            name = _new_name(rng, used, "社区", COMMUNITY_NAMES)
            yield Village(f"{township}{number:03d}", name)
        for number in _code_steps(rng, FIRST_VILLAGE, count - committees):
            name = _new_name(rng, used, "村")
            poor = rng.random() < 0.3
            exit_year = None
            if poor and rng.random() < 0.75:
                exit_year = _weighted(rng, range(2016, 2021), (10, 20, 30, 25, 15))
            yield Village(f"{township}{number:03d}", name, poor, exit_year)


def _new_name(rng: Random, used: set[str], suffix: str, usual: Sequence[str] = ()) -> str:
    """A name not yet used in the township; over a thousand candidates for at most 99."""
    while True:
        if usual and rng.random() < 0.5:
            name = rng.choice(usual) + suffix
        else:
            name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS) + suffix
        if name not in used:
            used.add(name)
            return name


# ---------------------------------------------------------------- households

ID = sheet.INDEX["id_number"]
NAME = sheet.INDEX["name"]
HOUSEHOLD_NO = sheet.INDEX["household_no"]
# The place cells a household's rows share, the first columns of the sheet.
PLACE = ("county", "township", "village", "natural_village", "household_no")

DEFECTS = {
    "fullwidth": "证件号码使用全角数字",
    "lowercase_x": "校验码 X 写成小写 x",
    "spaces": "证件号码中夹有空格",
    "old15": "15 位旧身份证号",
    "bad_check": "校验码错误",
    "no_head": "该户缺少户主行",
    "duplicate": "证件号码与前面一人重复",
}


@dataclass(frozen=True)
class Injection:
    kind: str
    label: str
    row: int  # row in the sheet, the header being row 1
    household: str  # 户编号
    value: str  # what was written (for a missing head: the head's name)


class IdAllocator:
    """Hands out each sequence of a (county, birth date, sex) once; a full day moves on a day."""

    SLOTS = 499  # 001–997 odd for men, 002–998 even for women

    def __init__(self) -> None:
        self._taken: dict[tuple[str, int, bool], int] = {}
        # Numbers already registered to other people: never handed out.
        self.avoid: set[str] = set()

    def allocate(self, county: str, born: date, male: bool) -> str:
        while True:
            while (taken := self._taken.get((county, born.toordinal(), male), 0)) >= self.SLOTS:
                born += timedelta(days=1)
            self._taken[(county, born.toordinal(), male)] = taken + 1
            # Scatter the sequence so numbers do not all end in 001; 7 is coprime to 499.
            slot = (born.toordinal() * 37 + taken * 7) % self.SLOTS
            number = make_id(county, born, 2 * slot + (1 if male else 2), male)
            if number not in self.avoid:
                return number


class _Defects:
    """Puts one listed defect into each of a few households spread over the whole sheet."""

    def __init__(self, seed: int, households: int, injected: list[Injection]) -> None:
        self.rng = Random(f"{seed}:dirty")
        step = households // (len(DEFECTS) + 1)
        self.due = {kind: (k + 1) * step for k, kind in enumerate(DEFECTS)}
        self.first_id = ""
        self.injected = injected

    def apply(self, index: int, rows: list[list[str]], first_row: int) -> list[list[str]]:
        if not self.first_id:
            self.first_id = rows[0][ID]  # the duplicate's original, kept clean
            return rows
        for kind, due in self.due.items():
            target = self._target(kind, rows) if due <= index else None
            if target is not None:
                del self.due[kind]
                return self._inject(kind, rows, target, first_row)
        return rows

    def _target(self, kind: str, rows: list[list[str]]) -> int | None:
        if kind == "lowercase_x":
            return next((i for i, row in enumerate(rows) if row[ID].endswith("X")), None)
        if kind == "no_head":
            return 0 if len(rows) > 1 else None
        return self.rng.randrange(len(rows))

    def _inject(
        self, kind: str, rows: list[list[str]], target: int, first_row: int
    ) -> list[list[str]]:
        row = rows[target]
        ident = row[ID]
        if kind == "no_head":
            rows, value = rows[1:], row[NAME]
        else:
            value = {
                "fullwidth": lambda: ident.translate(FULL_WIDTH),
                "lowercase_x": ident.lower,
                "spaces": lambda: f"{ident[:6]} {ident[6:14]} {ident[14:]}",
                # The pre-1999 form: two-digit year and no check character.
                "old15": lambda: ident[:6] + ident[8:17],
                "bad_check": lambda: (
                    ident[:17] + self.rng.choice(CHECK_CHARS.replace(ident[17], ""))
                ),
                "duplicate": lambda: self.first_id,
            }[kind]()
            row[ID] = value
        self.injected.append(
            Injection(kind, DEFECTS[kind], first_row + target, row[HOUSEHOLD_NO], value)
        )
        return rows


@dataclass
class HouseholdSheet:
    """The national sheet for some villages. Iterate `rows()` once; counts fill in as it runs."""

    villages: Sequence[Village]
    households: int
    seed: int
    region_names: Mapping[str, str] = field(default_factory=dict)
    dirty: bool = False
    injected: list[Injection] = field(default_factory=list)
    people: int = 0
    # Shared with a next-year sheet made from this one, so its new people get unused IDs.
    ids: IdAllocator = field(default_factory=IdAllocator)

    def rows(self) -> Iterator[list[str]]:
        if not self.villages:
            raise ValueError("没有可用的村，无法生成农户。")
        rng = Random(self.seed)
        defects = _Defects(self.seed, self.households, self.injected) if self.dirty else None
        next_row, index = 2, 0
        for village, count in zip(
            self.villages, _spread(rng, self.villages, self.households), strict=True
        ):
            county = self.region_names.get(village.code[:6], village.code[:6])
            township = self.region_names.get(village.code[:9], village.code[:9])
            hamlets = _hamlets(Random(f"{self.seed}:{village.code}"))
            for number in range(1, count + 1):
                household_no = f"{village.code}{number:05d}"
                place = (county, township, village.name, rng.choice(hamlets), household_no)
                rows = household_rows(
                    rng, self.ids, village.code[:6], dict(zip(PLACE, place, strict=True))
                )
                if defects:
                    rows = defects.apply(index, rows, next_row)
                yield from rows
                next_row += len(rows)
                self.people += len(rows)
                index += 1


def _spread(rng: Random, villages: Sequence[Village], total: int) -> list[int]:
    """Split the households over the villages, poor villages holding most of them."""
    weights = [rng.uniform(0.5, 1.5) * (3 if v.is_poor else 1) for v in villages]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - weights[i] * scale)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _hamlets(rng: Random) -> list[str]:
    return [f"{surname(rng)}家{rng.choice(HAMLET_TAILS)}" for _ in range(rng.randint(3, 6))]


def _compose(rng: Random) -> list[tuple[str, bool, int]]:
    """Relation, sex and age of each member: spouses of an age, children a generation down."""
    size = _weighted(rng, range(1, 7), HOUSEHOLD_SIZE_WEIGHTS)
    head_male = rng.random() < 0.85
    if size == 1:
        return [(sheet.HEAD, head_male, rng.randint(50, 90))]
    head_age = rng.randint(28, 80)
    members = [(sheet.HEAD, head_male, head_age)]
    if head_age <= 50 and size >= 4 and rng.random() < 0.4:
        male = rng.random() < 0.4
        members.append(("之父" if male else "之母", male, head_age + rng.randint(22, 32)))
    if rng.random() < 0.85:
        members.append(("配偶", not head_male, max(20, head_age + rng.randint(-5, 5))))
    if head_age >= 55 and size - len(members) >= 3:
        son_age = head_age - rng.randint(22, 30)
        members.append(("之子", True, son_age))
        members.append(("之儿媳", False, max(20, son_age + rng.randint(-4, 3))))
        while len(members) < size:
            male = rng.random() < 0.5
            members.append(("之孙子" if male else "之孙女", male, rng.randint(0, son_age - 20)))
    while len(members) < size:
        male = rng.random() < 0.5
        age = rng.randint(max(0, head_age - 40), head_age - 20)
        members.append(("之子" if male else "之女", male, age))
    return members


def household_rows(
    rng: Random, ids: IdAllocator, county: str, place: dict[str, str]
) -> list[list[str]]:
    """One household's rows; `place` holds the cells of PLACE."""
    members = _compose(rng)
    size = len(members)
    head_male = members[0][1]
    # Children carry the father's surname: a male head's, else mostly a (late) husband's.
    family = surname(rng)
    head_surname = family if head_male or rng.random() < 0.3 else surname(rng)
    attribute = _weighted(rng, ATTRIBUTES, (20, 40, 40) if size == 1 else (72, 24, 4))
    cause = _weighted(rng, CAUSES, CAUSE_WEIGHTS)
    exit_status = _weighted(rng, EXIT_STATUSES, (45, 50, 5))
    income = rng.uniform(3100, 9000) if exit_status == "已脱贫" else rng.uniform(1800, 3000)
    water_safe = rng.random() < 0.88
    ethnicity = _ethnicity(rng, place["township"])
    shared = {
        **place,
        "size": str(size),
        "identified_year": str(identified_year(place["household_no"])),
        "ethnicity": ethnicity,
        "exit_status": exit_status,
        "attribute": attribute,
        "main_cause": cause,
        "dilapidated_house": _yes(rng.random() < 0.15),
        "water_safe": _yes(water_safe),
        "water_difficulty": _yes(not water_safe and rng.random() < 0.7),
        "income_per_capita": f"{income:.2f}",
        "phone": "",
    }
    shared.update(_drawn_from_code_lists(rng, Part.HOUSEHOLD, shared))
    rows = []
    for number, (relation, male, age) in enumerate(members, start=1):
        born = date(REFERENCE_YEAR - age, 1, 1) + timedelta(days=rng.randrange(365))
        if relation == sheet.HEAD:
            own = head_surname
        elif relation in ("配偶", "之母", "之儿媳"):
            own = surname(rng)
        else:
            own = family
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if number == 1 else ""
        row = {
            **shared,
            "person_no": f"{place['household_no']}{number:02d}",
            "name": person_name(rng, male, born.year, own),
            "id_number": ids.allocate(county, born, male),
            "relation": relation,
            **_person_columns(rng, age),
            "phone": phone,
        }
        row.update(_drawn_from_code_lists(rng, Part.PERSON, row))
        rows.append(sheet.row_of(row))
    return rows


def identified_year(household_no: str) -> int:
    """The sheet's 识别年度: most households identified when 建档立卡 began in 2014, the rest
    added by the 2015 review (回头看) and 2016's adjustment. Drawn from its own generator, so
    the rest of the sheet is what it was before the column was written."""
    years = range(sheet.FIRST_IDENTIFICATION_YEAR, REFERENCE_YEAR + 1)
    return _weighted(Random(f"identified:{household_no}"), years, (70, 20, 10))


def _drawn_from_code_lists(rng: Random, part: Part, drawn: dict[str, str]) -> dict[str, str]:
    """A value from its code list for each coded column of `part` that the rules here do not
    draw (a column new to the sheet); other columns they do not know stay blank."""
    return {
        c.field: rng.choice(c.values)
        for c in sheet.COLUMNS
        if c.part == part and c.values and c.field not in drawn
    }


def _person_columns(rng: Random, age: int) -> dict[str, str]:
    """A member's education, schooling, health, work …, each drawn to fit the person's age."""
    schooling = _schooling(rng, age)
    if schooling:
        education = STUDENT_EDUCATION[schooling]
    elif age < 6:
        education = "学龄前儿童"
    else:
        older = age >= 50
        weights = (25, 40, 25, 8, 2) if older else (3, 20, 50, 20, 7)
        education = _weighted(rng, EDUCATION[1:], weights)
    health = _weighted(rng, HEALTH, (50, 35, 8, 7) if age >= 60 else (85, 7, 4, 4))
    labour = _labour(rng, age, bool(schooling), health)
    work, months = "", ""
    if labour in ("普通劳动力", "技能劳动力") and rng.random() < 0.6:
        work = _weighted(rng, WORK_STATUSES, WORK_WEIGHTS)
        months = str(rng.randint(3, 12))
    return {
        "education": education,
        "schooling": schooling,
        "health": health,
        "labour_skill": labour,
        "work_status": work,
        "work_months": months,
        "serious_illness_insurance": _yes(rng.random() < 0.95),
    }


def _schooling(rng: Random, age: int) -> str:
    if 3 <= age <= 5:
        return "学前教育" if rng.random() < 0.7 else ""
    if 6 <= age <= 11:
        return "小学"
    if 12 <= age <= 14:
        return "初中"
    if 15 <= age <= 17:
        return _weighted(rng, ("高中", "中职", ""), (60, 25, 15))
    if 18 <= age <= 22 and rng.random() < 0.2:
        return rng.choice(("大专", "本科及以上"))
    return ""


def _labour(rng: Random, age: int, student: bool, health: str) -> str:
    if age < 16 or student:
        return "无劳动力"
    if health in ("患有大病", "残疾"):
        return _weighted(rng, ("丧失劳动力", "弱劳动力或半劳动力"), (60, 40))
    if age >= 65:
        return _weighted(rng, ("无劳动力", "弱劳动力或半劳动力"), (70, 30))
    if age >= 60:
        return "弱劳动力或半劳动力"
    return _weighted(rng, ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力"), (80, 12, 8))


def _ethnicity(rng: Random, township_name: str) -> str:
    if "回族" in township_name and rng.random() < 0.45:
        return "回族"
    return _weighted(rng, ETHNICITIES, (97, 0, 2, 1))


def _yes(flag: bool) -> str:
    return "是" if flag else "否"
