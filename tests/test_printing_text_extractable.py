"""The Chinese on every form comes back out as text, so the PDFs are searchable."""

from datetime import date

from fupin.printing import (
    BoxNote,
    BoxSpine,
    VolumeNote,
    archive_stamp_sheet,
    box_note_pdf,
    box_spine_pdf,
    catalogue_pdf,
    volume_list_pdf,
    volume_note_pdf,
)
from tests.printing_samples import (
    COVER,
    STAMP,
    VOLUME_TITLE,
    catalogue_entries,
    page_text,
    volume_entries,
)


def _flat(text: str) -> str:
    # Wrapped cells break a string over lines; searching ignores the breaks.
    return "".join(text.split())


def test_catalogue_text() -> None:
    cover, table = page_text(catalogue_pdf(COVER, catalogue_entries(3)))
    for expected in ("归档文件目录", "全宗名称", "郧西县扶贫开发办公室", "机构（问题）", "办公室"):
        assert expected in cover
    for expected in ("郧西县扶贫办", "Z109-WS·2016-Y-BGS-0003", "郧扶办发〔2016〕3号", "20160318"):
        assert expected in _flat(table)
    assert "东岭村贫困户识别结果公示第3批" in _flat(table)


def test_stamp_sheet_text() -> None:
    [text] = page_text(archive_stamp_sheet([STAMP]))
    assert _flat(text) == "Z10920160007办公室永久12"


def test_spine_text() -> None:
    spine = BoxSpine("Z109", 2016, "定期30年", 1, 50, 3, "扶贫开发办公室", 30)
    text = _flat(page_text(box_spine_pdf([spine]))[0])
    for expected in ("全宗号Z109", "年度2016", "保管期限定期30年", "起止件号0001至0050", "盒号3"):
        assert expected in text
    assert "机构扶贫开发办公室" in text


def test_notes_text() -> None:
    box = _flat(
        page_text(box_note_pdf(BoxNote("本盒共有文件50件。", "张三", date(2016, 12, 20))))[0]
    )
    for expected in (
        "备考表",
        "盒内文件情况说明",
        "本盒共有文件50件。",
        "整理人张三",
        "2016年12月20日",
    ):
        assert expected in box
    assert "检查日期年月日" in box  # left blank, to be filled in by hand
    volume = _flat(page_text(volume_note_pdf(VolumeNote("本卷共有文件12件。", "王五")))[0])
    for expected in ("卷内备考表", "本卷情况说明", "本卷共有文件12件。", "立卷人王五", "检查人"):
        assert expected in volume


def test_volume_list_text() -> None:
    [text] = page_text(volume_list_pdf(VOLUME_TITLE, volume_entries(2)))
    flat = _flat(text)
    assert "卷内目录" in flat
    assert f"案卷题名：{VOLUME_TITLE}" in flat
    assert "序号文件编号责任者文件题名日期页号备注" in flat
    assert "郧西县发展和改革局" in flat
