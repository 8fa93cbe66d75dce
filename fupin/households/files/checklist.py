"""The household file's checklist: the village-level 专业 rows of the annex (read from the
schedule), and which of them a household needs at each stage (identification, assistance,
exit) and in which years.

The annex lists the types; it does not say which apply to whom. The rules below follow the
lifecycle in the domain notes: the identification papers every household has, the
conditional proofs only where the household's attribute, cause or measures call for them, the
yearly income proof and 明白卡 for every year of assistance, and the exit review form once the
household has left poverty.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from fupin.schedule.annex import shipped
from fupin.schedule.models import Category, ScheduleLevel


class Stage(StrEnum):
    IDENTIFICATION = "identification"
    ASSISTANCE = "assistance"
    EXIT = "exit"


STAGE_LABELS = {
    Stage.IDENTIFICATION: "识别",
    Stage.ASSISTANCE: "帮扶",
    Stage.EXIT: "脱贫",
}


class MeasureKind(StrEnum):
    INDUSTRY = "industry"
    RELOCATION = "relocation"
    EMPLOYMENT = "employment"
    EDUCATION = "education"
    YULU = "yulu"
    HEALTH = "health"
    SECURITY = "security"
    CREDIT = "credit"
    OTHER = "other"


MEASURE_LABELS = {
    MeasureKind.INDUSTRY: "产业发展",
    MeasureKind.RELOCATION: "易地扶贫搬迁",
    MeasureKind.EMPLOYMENT: "就业扶贫",
    MeasureKind.EDUCATION: "教育扶贫",
    MeasureKind.YULU: "雨露计划",
    MeasureKind.HEALTH: "健康扶贫",
    MeasureKind.SECURITY: "保障兜底",
    MeasureKind.CREDIT: "扶贫小额信贷",
    MeasureKind.OTHER: "其他",
}

# Attributes (current and older sheets) that make the 低保/五保 proof (type 4) required.
WELFARE_ATTRIBUTES = frozenset({"低保贫困户", "特困供养贫困户", "五保户", "低保户"})
# Causes whose proof is type 5.
PROVEN_CAUSES = frozenset({"因病", "因学", "因灾"})


@dataclass(frozen=True)
class Owed:
    """When a type of the annex is owed: what the annex leaves to the household rules."""

    stage: Stage
    yearly: bool = False
    measures: frozenset[MeasureKind] = frozenset()


# By the annex row's number.
OWED = {
    1: Owed(Stage.IDENTIFICATION),
    2: Owed(Stage.IDENTIFICATION),
    3: Owed(Stage.IDENTIFICATION),
    4: Owed(Stage.IDENTIFICATION),  # for welfare households (WELFARE_ATTRIBUTES)
    5: Owed(Stage.IDENTIFICATION),  # for the PROVEN_CAUSES
    6: Owed(Stage.ASSISTANCE, yearly=True),
    7: Owed(Stage.IDENTIFICATION),
    8: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.RELOCATION})),
    9: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.YULU})),
    10: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.CREDIT})),
    11: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.INDUSTRY})),
    12: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.EDUCATION, MeasureKind.HEALTH})),
    13: Owed(Stage.ASSISTANCE, measures=frozenset({MeasureKind.SECURITY})),
    14: Owed(Stage.EXIT),
    15: Owed(Stage.ASSISTANCE, yearly=True),
}


@dataclass(frozen=True)
class DocType:
    number: int
    name: str  # the annex's wording up to its note in brackets
    stage: Stage
    yearly: bool = False
    measures: frozenset[MeasureKind] = frozenset()
    scope: str = ""  # the annex's whole wording


# The annex's section the household file is filed under (村级 专业文件材料, “按一户一档要求进行
# 整理”): its rows are the checklist's types, and what they keep is what the file keeps.
ANNEX_SECTION = {"level": ScheduleLevel.VILLAGE, "category": Category.PROFESSIONAL}


def _types() -> tuple[DocType, ...]:
    rows = [
        r
        for r in shipped()
        if (r.level, r.category) == (ANNEX_SECTION["level"], ANNEX_SECTION["category"])
    ]
    if sorted(int(r.number) for r in rows) != sorted(OWED):
        raise RuntimeError("归档范围表的村级专业文件材料条目与一户一档材料类型不一致。")
    types = []
    for row in rows:
        owed = OWED[int(row.number)]
        name = row.scope_text.split("（", 1)[0]
        types.append(
            DocType(int(row.number), name, owed.stage, owed.yearly, owed.measures, row.scope_text)
        )
    return tuple(types)


# In the annex's printed order.
TYPES: tuple[DocType, ...] = _types()
BY_NUMBER = {t.number: t for t in TYPES}
# Statuses past the exit: the exit stage applies to them.
EXITED_STATUSES = frozenset({"exited", "stable"})
IN_POVERTY_STATUSES = frozenset({"poor", "new", "returned"})


@dataclass(frozen=True)
class Need:
    """One required document: a type, and the year for the yearly types."""

    number: int
    year: int | None
    stage: Stage

    @property
    def label(self) -> str:
        name = BY_NUMBER[self.number].name
        return f"{name}（{self.year}年）" if self.year else name


@dataclass(frozen=True)
class Facts:
    """What the rules read about a household."""

    status: str
    attribute: str
    main_cause: str
    identified_year: int | None
    exit_year: int | None
    measures: frozenset[str]
    # The year poverty-alleviation work ended in the household's region (精准扶贫工作结束):
    # no yearly papers are owed for the years after it.
    campaign_end_year: int | None = None


def _years(facts: Facts, this_year: int) -> range:
    first = facts.identified_year or this_year
    last = facts.exit_year if facts.status in EXITED_STATUSES and facts.exit_year else this_year
    if facts.campaign_end_year:
        last = min(last, facts.campaign_end_year)
        first = min(first, last)
    last = min(max(last, first), this_year)
    return range(min(first, last), last + 1)


def _applies(doc: DocType, facts: Facts) -> bool:
    if doc.number == 4:
        return facts.attribute in WELFARE_ATTRIBUTES
    if doc.number == 5:
        return facts.main_cause in PROVEN_CAUSES
    if doc.measures:
        return bool(doc.measures & facts.measures)
    return True


def stages_of(status: str) -> tuple[Stage, ...]:
    if status in EXITED_STATUSES:
        return (Stage.IDENTIFICATION, Stage.ASSISTANCE, Stage.EXIT)
    if status in IN_POVERTY_STATUSES:
        return (Stage.IDENTIFICATION, Stage.ASSISTANCE)
    return ()  # 清退: wrongly identified, no file is owed


def needs(facts: Facts, this_year: int) -> list[Need]:
    """Every document the household's file must hold, in the annex's printed order."""
    stages = stages_of(facts.status)
    found: list[Need] = []
    for doc in TYPES:
        if doc.stage not in stages or not _applies(doc, facts):
            continue
        if doc.yearly:
            found += [Need(doc.number, y, doc.stage) for y in _years(facts, this_year)]
        else:
            found.append(Need(doc.number, None, doc.stage))
    return found


def exit_needs(facts: Facts, this_year: int) -> list[Need]:
    """What the exit acceptance (同步验收) checks: the exit form and the exit year's papers."""
    year = facts.exit_year or this_year
    found = [Need(14, None, Stage.EXIT)]
    found += [Need(d.number, year, Stage.EXIT) for d in TYPES if d.yearly]
    return found


def missing(wanted: Iterable[Need], present: set[tuple[int, int | None]]) -> list[Need]:
    """Needs not met; a yearly need is met by a document of that type and year."""
    have_any = {number for number, _ in present}
    return [
        n
        for n in wanted
        if ((n.number, n.year) not in present if n.year else n.number not in have_any)
    ]


def mask(found: Iterable[Need]) -> int:
    """Bit n set when some document of type n is missing (for per-type counts in roll-ups)."""
    bits = 0
    for need in found:
        bits |= 1 << need.number
    return bits
