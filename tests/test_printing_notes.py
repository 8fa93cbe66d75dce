"""备考表 and 卷内备考表: A4 portrait; a long description carries on to further pages."""

import re
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4

from fupin.printing import BoxNote, VolumeNote, box_note_pdf, volume_note_pdf
from tests.printing_samples import page_text, pages


@pytest.mark.parametrize("pdf", [box_note_pdf(BoxNote()), volume_note_pdf(VolumeNote())])
def test_blank_note_is_one_a4_portrait_page(pdf: bytes) -> None:
    [page] = pages(pdf)
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)


def test_long_description_continues_over_pages() -> None:
    sentence = "第{}件为复印件，原件存县政府办公室。"
    description = "".join(sentence.format(n) for n in range(1, 400))
    note = BoxNote(description, "张三", date(2016, 1, 2), "李四", date(2016, 1, 3))
    texts = page_text(box_note_pdf(note))
    assert len(texts) > 1
    flat = "".join("".join(text.split()) for text in texts)
    assert description in re.sub(r"第\d+页共\d+页", "", flat)
    assert "整理人张三整理日期2016年1月2日" in flat and "检查人李四检查日期2016年1月3日" in flat
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页" in text


def test_markup_characters_are_printed_as_written() -> None:
    [text] = page_text(volume_note_pdf(VolumeNote("图纸<共3张> & 光盘1张")))
    assert "图纸<共3张> & 光盘1张" in text
