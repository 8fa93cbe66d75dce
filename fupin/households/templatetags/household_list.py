from typing import Any

from django import template
from django.utils.safestring import SafeString

from fupin.households.listing import household_rows, village_options

register = template.Library()


@register.filter
def rows_html(page: Any) -> SafeString:
    return household_rows(list(page))


@register.simple_tag(takes_context=True)
def village_options_html(context: Any, chosen: str) -> SafeString:
    return village_options(context["request"].user, chosen)
