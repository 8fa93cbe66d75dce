"""One page of a query for the API: the same four fields on every paged endpoint."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Paginator


def api_page(rows: Iterable[Any], per_page: int, number: int, item: Callable[[Any], Any]) -> dict:
    page = Paginator(rows, per_page).get_page(number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [item(row) for row in page],
    }
