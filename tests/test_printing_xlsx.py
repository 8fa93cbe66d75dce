"""XLSX lists: same columns as the PDF, a title row, A4 print setup with the header repeated."""

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from fupin.printing import catalogue_xlsx, volume_list_xlsx
from fupin.printing.columns import CATALOGUE, VOLUME_LIST
from tests.printing_samples import COVER, VOLUME_TITLE, catalogue_entries, volume_entries


def _sheet(data: bytes) -> Worksheet:
    sheet = load_workbook(BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _row(sheet: Worksheet, row: int) -> list[object]:
    return [cell.value for cell in sheet[row]]


def test_catalogue_workbook() -> None:
    sheet = _sheet(catalogue_xlsx(COVER, catalogue_entries(40)))
    assert sheet.title == "归档文件目录"
    assert sheet["A1"].value == "归档文件目录"
    assert "郧西县扶贫开发办公室" in str(sheet["A2"].value)
    assert _row(sheet, 3) == [
        "序号",
        "档号",
        "文号",
        "责任者",
        "题名",
        "日期",
        "密级",
        "页数",
        "备注",
    ]
    assert _row(sheet, 3) == [column.header for column in CATALOGUE.columns]
    assert sheet.max_row == 3 + 40
    assert _row(sheet, 5)[:5] == [
        2,
        "Z109-WS·2016-Y-BGS-0002",
        "郧扶办发〔2016〕2号",
        "郧西县扶贫办",
        "[东岭村贫困户识别结果公示第2批]",
    ]
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    # The title column is the widest, as in the PDF.
    widths = {
        sheet.cell(3, i + 1).value: sheet.column_dimensions[chr(65 + i)].width for i in range(9)
    }
    assert max(widths, key=lambda header: widths[header]) == "题名"


def test_volume_list_workbook() -> None:
    sheet = _sheet(volume_list_xlsx(VOLUME_TITLE, volume_entries(3)))
    assert sheet["A1"].value == "卷内目录"
    assert sheet["A2"].value == f"案卷题名：{VOLUME_TITLE}"
    assert _row(sheet, 3) == [column.header for column in VOLUME_LIST.columns]
    assert _row(sheet, 3) == ["序号", "文件编号", "责任者", "文件题名", "日期", "页号", "备注"]
    assert _row(sheet, 6)[0] == 3
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.cell(4, 4).alignment.wrap_text
