"""归档文件目录 and 卷内目录 as XLSX, same columns as the PDF, set up to print on A4."""

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from fupin.core.tabular import Book
from fupin.printing.columns import (
    APPRAISAL_FORM,
    CATALOGUE,
    DESTRUCTION_REGISTER,
    HANDOVER_COUNTS,
    HOUSEHOLD_TODO,
    TRANSFER_LIST,
    VOLUME_LIST,
    Entry,
    ListForm,
)
from fupin.printing.forms import (
    AppraisalRow,
    CatalogueCover,
    CatalogueEntry,
    HandoverCount,
    HouseholdTodo,
    RegisterCover,
    RegisterRow,
    TransferRow,
    VolumeEntry,
)

# An Excel column width counts characters of about 1.9 mm in the default font.
_MM_PER_CHARACTER = 1.9
_HEADER_ROW = 3
_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _render(form: ListForm[Entry], entries: Sequence[Entry], subtitle: str) -> bytes:
    book = Book()
    page = book.sheet(form.heading)
    sheet = page.ws
    last = get_column_letter(len(form.columns))
    for row, text, size in ((1, form.heading, 16), (2, subtitle, 11)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = page.put(row, 1, text)
        cell.font = Font(size=size, bold=row == 1)
        cell.alignment = Alignment(horizontal="center" if row == 1 else "left")
    sheet.row_dimensions[1].height = 30
    for index, column in enumerate(form.columns, start=1):
        header = page.put(_HEADER_ROW, index, column.header)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center")
        header.border = _GRID
        sheet.column_dimensions[get_column_letter(index)].width = round(
            column.width_mm / _MM_PER_CHARACTER, 1
        )
    for row, values in enumerate(form.rows(entries), start=_HEADER_ROW + 1):
        for index, (column, value) in enumerate(zip(form.columns, values, strict=True), start=1):
            cell = page.put(row, index, value)
            cell.border = _GRID
            cell.alignment = Alignment(
                horizontal=column.align.lower(), vertical="center", wrap_text=True
            )
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if form.landscape else "portrait"
    setup.fitToWidth = 1
    # 0 = as many pages tall as needed.
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页　共 &N 页"
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=1)
    return book.to_bytes()


def catalogue_xlsx(cover: CatalogueCover, entries: Sequence[CatalogueEntry]) -> bytes:
    """归档文件目录 as a workbook, landscape, the header row repeated on every printed page."""
    subtitle = (
        f"全宗号：{cover.fonds_code}　全宗名称：{cover.fonds_name}　年度：{cover.year}"
        f"　保管期限：{cover.retention_label}　机构（问题）：{cover.department_or_subject}"
    )
    return _render(CATALOGUE, entries, subtitle)


def volume_list_xlsx(title: str, entries: Sequence[VolumeEntry]) -> bytes:
    """卷内目录 as a workbook, portrait, the header row repeated on every printed page."""
    return _render(VOLUME_LIST, entries, f"案卷题名：{title}")


def household_todo_xlsx(subtitle: str, entries: Sequence[HouseholdTodo]) -> bytes:
    """一户一档缺项清单: what each household still lacks, for a township to hand to its villages."""
    return _render(HOUSEHOLD_TODO, entries, subtitle)


def appraisal_xlsx(subtitle: str, rows: Sequence[AppraisalRow]) -> bytes:
    """到期档案鉴定表 as a workbook."""
    return _render(APPRAISAL_FORM, rows, subtitle)


def register_xlsx(cover: RegisterCover, rows: Sequence[RegisterRow]) -> bytes:
    """档案销毁清册 as a workbook; the cover's facts on the line under the heading."""
    subtitle = (
        f"清册编号：{cover.number}　全宗号：{cover.fonds_code}　{cover.fonds_name}"
        f"　数量：{cover.quantity}件　批准人：{cover.approver}"
        f"　监销人：{cover.supervisors[0]}、{cover.supervisors[1]}"
    )
    return _render(DESTRUCTION_REGISTER, rows, subtitle)


def transfer_list_xlsx(subtitle: str, rows: Sequence[TransferRow]) -> bytes:
    """档案移交清单 as a workbook."""
    return _render(TRANSFER_LIST, rows, subtitle)


def handover_xlsx(fields: list[tuple[str, str]], counts: Sequence[HandoverCount]) -> bytes:
    """档案交接文据 as a workbook: the quantities table, then every field of the record."""
    book = Book()
    page = book.sheet("档案交接文据")
    page.append([HANDOVER_COUNTS.heading])
    page.append([c.header for c in HANDOVER_COUNTS.columns])
    for values in HANDOVER_COUNTS.rows(counts):
        page.append(values)
    page.append([])
    for label, value in fields:
        page.append([label, value])
    return book.to_bytes()
