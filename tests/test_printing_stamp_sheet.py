"""归档章 label sheet: every stamp drawn exactly 45 × 16 mm, 48 to an A4 page, inside the page."""

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from fupin.printing import PrintingError, StampFields, archive_stamp_sheet
from fupin.printing.stamp import SHEET_COLUMNS, SHEET_ROWS, STAMP_HEIGHT, STAMP_WIDTH
from tests.printing_samples import STAMP, page_text, pages, rectangles


def test_stamp_is_45_by_16_mm() -> None:
    assert (STAMP_WIDTH / mm, STAMP_HEIGHT / mm) == pytest.approx((45, 16))


def test_sheet_draws_one_45_by_16_mm_box_per_stamp_and_paginates() -> None:
    per_page = SHEET_COLUMNS * SHEET_ROWS
    stamps = [StampFields("Z109", 2016, n, "办公室", "永久", n) for n in range(1, per_page + 3)]
    sheet = pages(archive_stamp_sheet(stamps))
    assert len(sheet) == 2
    counts = []
    for page in sheet:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)
        boxes = rectangles(page)
        counts.append(len(boxes))
        for x, y, width, height in boxes:
            assert (width / mm, height / mm) == pytest.approx((45, 16), abs=0.01)
            assert 5 * mm <= x and x + width <= A4[0] - 5 * mm
            assert 5 * mm <= y and y + height <= A4[1] - 5 * mm
        # No two stamps overlap.
        corners = sorted((round(x), round(y)) for x, y, _, _ in boxes)
        assert len(set(corners)) == len(corners)
    assert counts == [per_page, 2]
    assert "0050" in page_text(archive_stamp_sheet(stamps))[1]


def test_long_department_name_goes_on_two_lines() -> None:
    stamp = StampFields("Z109", 2016, 1, "县扶贫开发领导小组办公室", "定期30年", 3)
    [text] = page_text(archive_stamp_sheet([stamp]))
    assert "县扶贫开发领\n导小组办公室" in text


def test_name_too_long_for_the_stamp_is_refused_in_chinese() -> None:
    stamp = StampFields(
        "Z109", 2016, 1, "郧西县精准扶贫精准脱贫工作领导小组办公室综合组", "永久", 3
    )
    with pytest.raises(PrintingError, match="归档章的格子里放不下"):
        archive_stamp_sheet([STAMP, stamp])


def test_empty_sheet_is_refused() -> None:
    with pytest.raises(PrintingError, match="没有要打印的归档章"):
        archive_stamp_sheet([])
