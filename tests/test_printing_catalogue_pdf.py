"""归档文件目录: A4 landscape, a cover, the header and a number on every page, [made-up titles]."""

import pytest

from fupin.printing import PrintingError, catalogue_pdf
from tests.printing_samples import COVER, catalogue_entries, page_text, pages

A4_LANDSCAPE = (841.89, 595.28)
HEADER = "序号档号文号责任者题名日期密级页数备注"


def _flat(text: str) -> str:
    return "".join(text.split())


def test_every_page_is_a4_landscape() -> None:
    for page in pages(catalogue_pdf(COVER, catalogue_entries(40))):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE, abs=0.01)


def test_cover_then_table_pages_each_with_header_and_number() -> None:
    cover, *table_pages = page_text(catalogue_pdf(COVER, catalogue_entries(40)))
    assert "全宗号" in cover and "Z109" in cover and "年度" in cover and "2016" in cover
    assert "序号" not in cover and "第 " not in cover  # the cover has no table, no page number
    assert len(table_pages) >= 2, "40 entries should need more than one landscape page"
    total = len(table_pages)
    for number, text in enumerate(table_pages, start=1):
        flat = _flat(text)
        assert flat.startswith("归档文件目录全宗号：Z109"), f"running head missing on page {number}"
        assert HEADER in flat, f"column header not repeated on table page {number}"
        assert f"第{number}页共{total}页" in flat


def test_every_entry_printed_once_in_order() -> None:
    flat = "".join(_flat(text) for text in page_text(catalogue_pdf(COVER, catalogue_entries(40))))
    positions = [flat.index(f"Z109-WS·2016-Y-BGS-{seq:04d}") for seq in range(1, 41)]
    assert positions == sorted(positions)
    assert all(flat.count(f"BGS-{seq:04d}") == 1 for seq in range(1, 41))


def test_archivist_made_title_is_in_square_brackets() -> None:
    _, first = page_text(catalogue_pdf(COVER, catalogue_entries(3)))
    flat = _flat(first)
    assert "[东岭村贫困户识别结果公示第2批]" in flat
    assert "[东岭村贫困户识别结果公示第3批]" not in flat
    assert "东岭村贫困户识别结果公示第3批" in flat


def test_single_table_page_needs_no_page_number() -> None:
    _, table = page_text(catalogue_pdf(COVER, catalogue_entries(3)))
    assert "第 1 页" not in table


def test_empty_catalogue_is_refused_in_chinese() -> None:
    with pytest.raises(PrintingError, match="归档文件目录没有条目"):
        catalogue_pdf(COVER, [])
