"""The retention rule (保管期限): the one place that knows the options, how long each keeps a
record, and when a record's keeping ends. Records, photos, volumes, household files, the
schedule, imports, appraisal, transfer and reports all ask here.

A retention period runs from 1 January of the year after the record's year: a 2016 record kept
10 years is kept through 31 December 2026 and may be appraised for destruction from then on.
永久 never ends.

Adding an option is one entry in `_OPTIONS` (model fields take `choices` as this module's
callable, so no migration is needed for a new option).
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q

if TYPE_CHECKING:
    from fupin.schedule.models import ScheduleRow


@dataclass(frozen=True)
class _Option:
    code: str
    label: str
    # None: kept for ever.
    years: int | None
    # Other spellings seen in catalogues and sheets (normalised: NFKC, no spaces).
    aliases: tuple[str, ...]


_OPTIONS: tuple[_Option, ...] = (
    _Option("Y", "永久", None, ("永久", "永久保存", "永久保管", "长期")),
    _Option("D30", "30年", 30, ("30年", "定期30年", "30", "三十年", "定期三十年")),
    _Option("D10", "10年", 10, ("10年", "定期10年", "10", "十年", "定期十年")),
)
_BY_CODE = {o.code: o for o in _OPTIONS}
_ALIASES = {a: o.code for o in _OPTIONS for a in (o.code, o.code.lower(), *o.aliases)}
# Longer keeping ranks higher; 永久 above every period.
_RANK = {o.code: (o.years if o.years is not None else 10**6) for o in _OPTIONS}

CODES: tuple[str, ...] = tuple(o.code for o in _OPTIONS)
# 永久, the option that never ends.
PERMANENT: str = next(o.code for o in _OPTIONS if o.years is None)


def choices() -> list[tuple[str, str]]:
    """For model and form fields: `choices=retention.choices`."""
    return [(o.code, o.label) for o in _OPTIONS]


def label(code: str) -> str:
    option = _BY_CODE.get(code)
    return option.label if option else code


def labels(codes: Iterable[str]) -> str:
    """ "永久或30年": a row's options as the annex prints them."""
    return "或".join(label(c) for c in codes)


def years(code: str) -> int | None:
    return _BY_CODE[code].years


def rank(code: str) -> int:
    return _RANK[code]


def parse(text: object) -> str | None:
    """The code a cell means ("永久", "Y", "定期30年", "３０年", "d10" …), or None."""
    if text is None:
        return None
    normal = unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip()
    return _ALIASES.get(normal) or _ALIASES.get(normal.upper())


# The annex's "as the regulations say": any option may be chosen.
_ANY_OPTION = "按有关规定执行"


def options_from_text(text: str) -> list[str]:
    """A schedule row's options from its printed retention ("永久或30年" → ["Y", "D30"])."""
    if text == _ANY_OPTION:
        return list(CODES)
    codes = [parse(part) for part in text.split("或")]
    if None in codes:
        raise ValueError(f"无法识别的保管期限“{text}”")
    return [c for c in codes if c is not None]


def accepted_spellings() -> str:
    return "、".join(o.label for o in _OPTIONS) + "，或 " + "、".join(CODES)


def longer(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def longest(codes: Iterable[str]) -> str:
    found = list(codes)
    if not found:
        raise ValueError("没有保管期限可比较")
    best = found[0]
    for code in found[1:]:
        best = longer(best, code)
    return best


def by_length(codes: Iterable[str]) -> list[str]:
    """Longest first, each once."""
    return sorted(set(codes), key=lambda c: -_RANK[c])


def allowed(row: "ScheduleRow") -> list[str]:
    return list(row.retention_options)


def unchosen(rows: Iterable["ScheduleRow"]) -> str:
    """What a record (or a volume of records) filed under these rows keeps when nobody chooses:
    the longest any of them allows, so no record is kept shorter than its row permits."""
    return longest(code for row in rows for code in allowed(row))


def allowed_error(row: "ScheduleRow", code: object, subject: str = "该归档范围条目") -> str:
    """The message for a retention the row does not allow; "" when it is allowed."""
    options = allowed(row)
    if code in options:
        return ""
    return f"{subject}的保管期限只能是：{'、'.join(map(label, options))}。"


def require_not_shorter(base: Iterable[str], options: Iterable[str]) -> None:
    """A refinement may keep longer than its row, never shorter."""
    options = list(options)
    if not options or any(o not in _BY_CODE for o in options):
        raise ValidationError(f"请选择有效的保管期限（{'、'.join(o.label for o in _OPTIONS)}）。")
    shortest = min(_RANK[o] for o in base)
    if any(_RANK[o] < shortest for o in options):
        allowed_here = "、".join(o.label for o in _OPTIONS if _RANK[o.code] >= shortest)
        raise ValidationError(
            f"细化条目的保管期限不能短于原条目允许的期限（可选：{allowed_here}）。"
        )


def ends_on(year: int, code: str) -> date | None:
    """The last day a record of `year` is kept; None for 永久."""
    kept = years(code)
    return None if kept is None else date(year + kept, 12, 31)


def has_ended(year: int, code: str, today: date) -> bool:
    """Whether the keeping is over (it is over on its last day: appraisal may begin then)."""
    last = ends_on(year, code)
    return last is not None and last <= today


def kept_years(year: int, today: date) -> int:
    """Whole years kept so far (已保管期限), counted from 1 January after the record's year."""
    return max(0, today.year - year - (0 if (today.month, today.day) == (12, 31) else 1))


def ending_by_q(day: date, *, year_field: str = "year", retention_field: str = "retention") -> Q:
    """Rows whose keeping ends on or before `day` (never 永久): for a period of N years the
    last day is 31 December of year + N, so the record's year must be at most day's year − N,
    or one less when `day` is not itself 31 December."""
    last_full_year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    condition = Q(pk__in=[])
    for option in _OPTIONS:
        if option.years is not None:
            condition |= Q(
                **{
                    retention_field: option.code,
                    f"{year_field}__lte": last_full_year - option.years,
                }
            )
    return condition
