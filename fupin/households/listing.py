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
from fupin.households.models import Household, status_text
from fupin.households.registry.selectors import shown_phone
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


# What a row shows, read as plain rows: 50 model instances of household and village, and each
# status through get_status_display, were a quarter of the page's time.
LISTED = (
    "pk", "household_no", "head_name", "village__name", "size", "attribute", "main_cause",
    "status", "exit_year", "phone",
)  # fmt: skip


def listed(households: QuerySet[Household]) -> QuerySet:
    return households.select_related(None).values_list(*LISTED)


def household_rows(rows: list[tuple]) -> SafeString:
    """The rows `listed` reads, the phone masked."""
    if not rows:
        return mark_safe('<tr><td colspan="8" class="muted">没有符合条件的户。</td></tr>')
    detail = reverse("households:detail", args=[0]).removesuffix("0/")
    return mark_safe("".join(_row(row, detail) for row in rows))


def _row(row: tuple, detail: str) -> str:
    pk, number, head, village, size, attribute, cause, status, exit_year, phone = row
    cells = (head, village, size, attribute, cause, status_text(status, exit_year))
    shown = "".join(f"<td>{escape(str(c))}</td>" for c in cells)
    return (
        f'<tr><td><a href="{detail}{pk}/">{escape(number)}</a></td>{shown}'
        f'<td class="nowrap">{escape(shown_phone(phone, False))}</td></tr>\n'
    )
