"""The household list's rows and village picker, written out in Python: through the template
language the 50 rows and a county's 200-odd villages took about three quarters of the page's
time (some 1,400 template nodes per page)."""

from html import escape
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from fupin.accounts.access import visible_regions
from fupin.accounts.scoped_cache import scoped_cached
from fupin.households.models import Household
from fupin.regions.models import Level


def _village_options(actor: Any) -> str:
    villages = visible_regions(actor).filter(level=Level.VILLAGE).values_list("code", "name")
    return "".join(
        f'<option value="{escape(code)}">{escape(name)}（{escape(code)}）</option>'
        for code, name in villages
    )


def village_options(actor: Any, chosen: str) -> SafeString:
    """The villages in the person's scope as <option>s, `chosen` selected: written once per
    scope and data version (villages change only with an audited import), then the chosen
    one marked."""
    options = scoped_cached(actor, "household-village-options", lambda: _village_options(actor))
    if chosen:
        mark = f'<option value="{escape(chosen)}">'
        options = options.replace(mark, mark[:-1] + " selected>", 1)
    return mark_safe(options)


# What a row shows: the list reads only these (and its village's name), not the whole record.
LISTED = (
    "household_no", "head_name", "size", "attribute", "main_cause", "status", "exit_year",
    "phone", "village__name",
)  # fmt: skip


def listed(households: QuerySet[Household]) -> QuerySet[Household]:
    return households.select_related(None).select_related("village").only(*LISTED)


def household_rows(households: list[Household]) -> SafeString:
    if not households:
        return mark_safe('<tr><td colspan="8" class="muted">没有符合条件的户。</td></tr>')
    detail = reverse("households:detail", args=[0]).removesuffix("0/")
    return mark_safe("".join(_row(h, detail) for h in households))


def _row(h: Household, detail: str) -> str:
    cells = (h.head_name, h.village.name, h.size, h.attribute, h.main_cause, h.status_shown)
    shown = "".join(f"<td>{escape(str(c))}</td>" for c in cells)
    return (
        f'<tr><td><a href="{detail}{h.pk}/">{escape(h.household_no)}</a></td>{shown}'
        f'<td class="nowrap">{escape(h.shown_phone)}</td></tr>\n'
    )
