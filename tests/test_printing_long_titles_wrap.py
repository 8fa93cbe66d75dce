"""Long titles wrap inside their column: no text runs past its cell or off the page."""

from collections.abc import Callable
from typing import Any

import pytest
from reportlab.lib.units import mm

from fupin.printing import catalogue_pdf, volume_list_pdf
from fupin.printing.columns import CATALOGUE, VOLUME_LIST, ListForm
from tests.printing_samples import (
    COVER,
    LONG_TITLE,
    VOLUME_TITLE,
    catalogue_entries,
    pages,
    text_runs,
    volume_entries,
)


@pytest.mark.parametrize("form", [CATALOGUE, VOLUME_LIST], ids=["catalogue", "volume_list"])
def test_columns_fill_exactly_the_width_between_margins(form: ListForm[Any]) -> None:
    total = sum(column.width_mm for column in form.columns) * mm
    assert total == pytest.approx(form.text_width)


@pytest.mark.parametrize(
    ("form", "pdf", "page_index"),
    [
        (CATALOGUE, lambda: catalogue_pdf(COVER, catalogue_entries(5)), 1),
        (VOLUME_LIST, lambda: volume_list_pdf(VOLUME_TITLE, volume_entries(5)), 0),
    ],
    ids=["catalogue", "volume_list"],
)
def test_long_title_wraps_inside_its_column(
    form: ListForm[Any], pdf: Callable[[], bytes], page_index: int
) -> None:
    page = pages(pdf())[page_index]
    title_index = next(i for i, c in enumerate(form.columns) if c.header.endswith("题名"))
    left = form.margin_mm * mm + sum(c.width_mm for c in form.columns[:title_index]) * mm
    right = left + form.columns[title_index].width_mm * mm
    runs = text_runs(page)
    pieces = [run for run in runs if run.text in LONG_TITLE and left <= run.x < right]
    assert "".join(run.text for run in pieces) == LONG_TITLE
    assert len(pieces) >= 3, "a title this long must take several lines"
    for run in pieces:
        assert run.right <= right + 0.5, f"{run.text!r} runs past the title column"
    page_width = float(page.mediabox.width)
    assert all(run.right <= page_width - form.margin_mm * mm + 0.5 for run in runs)
