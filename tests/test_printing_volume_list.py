"""卷内目录: A4 portrait, the volume title and the column header on every page."""

import pytest
from reportlab.lib.pagesizes import A4

from fupin.printing import PrintingError, volume_list_pdf
from tests.printing_samples import VOLUME_TITLE, page_text, pages, volume_entries


def test_long_volume_list_repeats_its_head_on_every_a4_portrait_page() -> None:
    pdf = volume_list_pdf(VOLUME_TITLE, volume_entries(60))
    document = pages(pdf)
    assert len(document) >= 2
    for page in document:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)
    for number, text in enumerate(page_text(pdf), start=1):
        flat = "".join(text.split())
        assert flat.startswith(f"卷内目录案卷题名：{VOLUME_TITLE}序号文件编号责任者文件题名")
        assert f"第{number}页共{len(document)}页" in flat


def test_empty_volume_list_is_refused() -> None:
    with pytest.raises(PrintingError, match="卷内目录没有条目"):
        volume_list_pdf(VOLUME_TITLE, [])
