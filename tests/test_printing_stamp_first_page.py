"""stamp_first_page: the stamp lands at the top right of page 1 as seen; other pages untouched."""

import pytest
from pypdf import PageObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from fupin.printing import StampFields, stamp_first_page
from tests.printing_samples import STAMP, pages, scan_pdf, text_runs


def _visible_size(page: PageObject) -> tuple[float, float]:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return (height, width) if page.rotation % 180 else (width, height)


def test_only_the_first_page_changes() -> None:
    original = pages(scan_pdf(3))
    stamped = pages(stamp_first_page(scan_pdf(3), STAMP))
    assert len(stamped) == 3
    assert stamped[0].get_contents().get_data() != original[0].get_contents().get_data()
    for before, after in zip(original[1:], stamped[1:], strict=True):
        assert after.get_contents().get_data() == before.get_contents().get_data()
        assert after.extract_text() == ""
    # The scan itself is still drawn on page 1, under the stamp.
    assert b"20 20 10 10 re" in stamped[0].get_contents().get_data()


def test_stamp_text_sits_in_the_top_right_corner() -> None:
    page = pages(stamp_first_page(scan_pdf(1), STAMP, margin_mm=10))[0]
    runs = {run.text: run for run in text_runs(page)}
    assert set(runs) == {"Z109", "2016", "0007", "办公室", "永久", "12"}
    width, height = A4
    assert runs["0007"].right <= width - 10 * mm
    assert runs["Z109"].x >= width - 10 * mm - 45 * mm
    assert all(height - 10 * mm - 16 * mm <= run.y <= height - 10 * mm for run in runs.values())


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_scan_gets_the_stamp_top_right_as_displayed(rotate: int) -> None:
    original = pages(scan_pdf(1, rotate=rotate))[0]
    page = pages(stamp_first_page(scan_pdf(1, rotate=rotate), STAMP))[0]
    assert _visible_size(page) == pytest.approx(_visible_size(original))
    width, height = _visible_size(page)
    # The page now shows as it did, without /Rotate, so text positions are as displayed.
    assert page.rotation == 0
    runs = {run.text: run for run in text_runs(page)}
    assert runs["0007"].right <= width - 10 * mm + 0.5
    assert runs["Z109"].x >= width - 60 * mm
    assert runs["Z109"].y >= height - 30 * mm


def test_page_barely_larger_than_the_stamp_keeps_it_on_the_page() -> None:
    small = (50 * mm, 20 * mm)
    page = pages(stamp_first_page(scan_pdf(1, size=small), STAMP, margin_mm=10))[0]
    runs = text_runs(page)
    assert {run.text for run in runs} == {"Z109", "2016", "0007", "办公室", "永久", "12"}
    assert all(run.x >= 0 and run.right <= small[0] and 0 <= run.y <= small[1] for run in runs)


def test_stamp_fields_are_all_printed() -> None:
    stamp = StampFields("K021", 2019, 25, "村委会", "定期30年", None)
    page = pages(stamp_first_page(scan_pdf(1), stamp))[0]
    assert {run.text for run in text_runs(page)} == {"K021", "2019", "0025", "村委会", "定期30年"}
