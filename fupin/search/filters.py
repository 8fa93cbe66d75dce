"""The search filters, declared once: the page's form, the API's parameters, the command's
options, the query conditions, the engine's reserved tokens, the facets and the index's
columns are all read from `FILTERS`.

Adding a filter on a value the records already hold touches three files: a `Filter` here
(naming where the index reads it from the records), its column on `SearchDoc` (models.py),
and the migration that adds the column and queues every document for re-indexing.

The declaration imports no models when it is loaded (the command line builds its options
from it before Django is set up): choices and pickers read them when called.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import Any

from django import forms
from django.db.models import Q

ANY = [("", "不限")]
YES_NO = [*ANY, ("1", "是"), ("0", "否")]
# A picker lists at most about this many options: regions down to the deepest level that
# stays under it, units of the chosen region (or the first of the scope's).
PICKER_MAX = 300

Options = list[tuple[str, str]]
ITEM = "item"  # search.models.Kind.ITEM


def _choices(module: str, name: str, skip: int = 0) -> Callable[[], Options]:
    """The choices of a model's choice class (or a function returning them), read when asked."""

    def read() -> Options:
        found = getattr(import_module(module), name)
        return list(found.choices if hasattr(found, "choices") else found())[skip:]

    return read


@dataclass(frozen=True)
class Filter:
    """One filter. `shape` says how it is asked and compared:

    - "choice": one of `choices` (a function, read when the form is made), equality;
    - "number": a whole number between `low` and `high`, equality;
    - "prefix": a region code, "starts with" (the engine indexes every prefix as a token);
    - "flag": 是/否 → True/False, shown in facets as `flag_labels`.

    `item` and `household` name the value in the source records (a `values()` path; None:
    not held by that kind, or worked out by the index itself — has_scan, complete).
    `items_only`: the filter speaks of items only, so choosing it leaves households out.
    `picker`: options offered on the page instead of a box (actor, the asked values)."""

    name: str
    label: str
    column: str
    tag: str  # the reserved token's prefix; one letter, unique
    shape: str
    choices: Callable[[], Options] | None = None
    low: int | None = None
    high: int | None = None
    item: str | None = None
    household: str | None = None
    items_only: bool = False
    facet: bool = False
    flag_labels: tuple[str, str] = ("是", "否")
    picker: Callable[[Any, dict[str, str]], Options] | None = None
    picker_label: str = ""
    # What "no value" means for a choice: the option standing for the empty column.
    empty_option: tuple[str, str] | None = field(default=None)

    def form_field(self) -> forms.Field:
        from fupin.search.forms import QuickNumber, QuickSelect, QuickText

        if self.shape == "number":
            return forms.IntegerField(
                label=self.label, min_value=self.low, max_value=self.high, required=False,
                widget=QuickNumber,
            )  # fmt: skip
        if self.shape == "prefix":
            return forms.RegexField(
                label=self.label, regex=r"^[0-9]{2,12}$", required=False, widget=QuickText
            )
        return forms.ChoiceField(
            label=self.label, choices=self.options(), required=False, widget=QuickSelect
        )

    def options(self) -> Options:
        if self.shape == "flag":
            return YES_NO
        empty = [self.empty_option] if self.empty_option else []
        return [*ANY, *empty, *(self.choices() if self.choices else [])]

    def parse(self, cleaned: Any) -> Any:
        """The form's cleaned value as the column's value; None: not filtering."""
        if cleaned in (None, ""):
            return None
        if self.shape == "flag":
            return cleaned == "1"
        if self.empty_option and cleaned == self.empty_option[0]:
            return ""
        return cleaned

    def facet_labels(self) -> Callable[[Any], str]:
        """The label of each of a facet's values, its choices read once for them all."""
        if self.shape == "flag":
            return lambda value: self.flag_labels[0] if value else self.flag_labels[1]
        labels = dict(self.choices() if self.choices else [])
        return lambda value: labels.get(value, str(value))


def _region_options(actor: Any, asked: dict[str, str]) -> Options:
    """The scope's regions, indented by level, down to the deepest level that fits."""
    from django.db.models import Count

    from fupin.accounts.access import visible_regions
    from fupin.regions.models import CODE_LENGTH

    regions = visible_regions(actor)
    levels: list[str] = list(CODE_LENGTH)
    per_level = dict(regions.values_list("level").annotate(n=Count("code")).order_by())
    depth, total = 0, 0
    while depth < len(levels) and (
        total + per_level.get(levels[depth], 0) <= PICKER_MAX or not total
    ):
        total += per_level.get(levels[depth], 0)
        depth += 1
    shown = regions.filter(level__in=levels[:depth]).order_by("code")
    rows = list(shown.values_list("code", "level", "name"))
    top = min((levels.index(level) for _, level, _ in rows), default=0)
    return [(code, "\u3000" * (levels.index(level) - top) + name) for code, level, name in rows]


def _unit_options(actor: Any, asked: dict[str, str]) -> Options:
    """Units by name and place (two villages' committees may share a name), of the chosen
    region when there is one."""
    from fupin.accounts.access import visible_units

    units = visible_units(actor).order_by("region_id", "name")
    if asked.get("region"):
        units = units.filter(region__code__startswith=asked["region"])
    named = units.values_list("pk", "name", "region__name")[:PICKER_MAX]
    return [(str(pk), f"{name}（{place}）") for pk, name, place in named]


def _row_options(actor: Any, asked: dict[str, str]) -> Options:
    from fupin.schedule.selectors import base_version

    version = base_version()
    if version is None:
        return []
    return list(_rows_of(version.pk, version.rows.count()))


@lru_cache(maxsize=4)
def _rows_of(version_id: int, rows: int) -> tuple[tuple[str, str], ...]:
    """A version's rows as options: labelled once per process (110 rows took 15 ms a page);
    rows are frozen once written, so the version and its row count name the list."""
    from fupin.schedule.models import ScheduleVersion
    from fupin.schedule.selectors import rows_in_force

    found = rows_in_force(ScheduleVersion.objects.get(pk=version_id))
    return tuple((str(r.pk), str(r)) for r in found)


# fmt: off
FILTERS: tuple[Filter, ...] = (
    Filter(
        "kind", "类别", "kind", "k", "choice", _choices("fupin.search.models", "Kind"),
        facet=True,
    ),
    Filter(
        "year", "年度", "year", "y", "number", low=1949, high=2100,
        item="year", household="identified_year", facet=True,
    ),
    Filter(
        "level", "层级", "level", "l", "choice", _choices("fupin.regions.models", "Level"),
        item="unit__region__level", household="village__level", facet=True,
    ),
    Filter(
        "region", "区划代码", "region_code", "g", "prefix",
        item="unit__region_id", household="village_id",
        picker=_region_options, picker_label="区划",
    ),
    Filter(
        "unit", "立档单位编号", "unit_id", "u", "number", low=1, item="unit_id",
        picker=_unit_options, picker_label="立档单位",
    ),
    Filter(
        "category", "门类", "category", "c", "choice", _choices("fupin.objects.models", "Category"),
        item="category", facet=True,
    ),
    Filter(
        "schedule_row", "归档范围条目编号", "schedule_row_id", "w", "number", low=1,
        item="schedule_row_id", picker=_row_options, picker_label="归档范围条目",
    ),
    Filter(
        "retention", "保管期限", "retention", "t", "choice",
        _choices("fupin.schedule.retention", "choices"),
        item="retention", facet=True,
    ),
    Filter(
        "secrecy", "密级", "secrecy", "s", "choice",
        _choices("fupin.records.models", "Secrecy", skip=1),
        item="secrecy", items_only=True, empty_option=("none", "非涉密"),
    ),
    Filter(
        "has_scan", "有扫描件", "has_scan", "h", "flag", items_only=True, facet=True,
        flag_labels=("有扫描件", "无扫描件"),
    ),
    Filter("complete", "完整（已归档且有扫描件）", "complete", "f", "flag", items_only=True),
)
# fmt: on
BY_NAME = {f.name: f for f in FILTERS}
KIND = BY_NAME["kind"]


@dataclass(frozen=True)
class Filters:
    """The chosen filters: name → the column's value (names not chosen are left out)."""

    chosen: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, **values: Any) -> "Filters":
        return cls(tuple((n, v) for n, v in values.items() if v is not None and n in BY_NAME))

    @classmethod
    def from_form(cls, cleaned: dict[str, Any]) -> "Filters":
        return cls.of(**{f.name: f.parse(cleaned.get(f.name)) for f in FILTERS})

    def q(self) -> Q:
        """The filters as a query condition: every pair of `condition()` must hold."""
        q = Q()
        for ((column, value),) in self.condition():
            q &= Q(**{f"{column}__startswith" if column in PREFIX_COLUMNS else column: value})
        return q

    def condition(self) -> tuple[tuple[tuple[str, Any], ...], ...]:
        """The filters as (column, value) pairs, one clause each: read by `q()` and handed to
        the engine's tags, so both hold the same conditions."""
        pairs: list[tuple[str, Any]] = []
        for name, value in self.chosen:
            found = BY_NAME[name]
            if found.items_only:
                pairs.append((KIND.column, ITEM))
            pairs.append((found.column, value))
        return tuple((pair,) for pair in dict.fromkeys(pairs))


NO_FILTERS = Filters()
# The index's tag letter of each filtered column (the region's: of every prefix).
TAG_PREFIX = {f.column: f.tag for f in FILTERS}
PREFIX_COLUMNS = frozenset(f.column for f in FILTERS if f.shape == "prefix")
FACETS = tuple(f for f in FILTERS if f.facet)


def source_fields(kind: str) -> dict[str, str]:
    """Column → the `values()` path of its value in the records of that kind."""
    path = "item" if kind == ITEM else "household"
    return {f.column: getattr(f, path) for f in FILTERS if getattr(f, path)}
