"""季度报表 (a quarterly report of poverty-archive work) as a bureau files it: a titled A4
table of figures, with this quarter, last quarter and the change, and the signature lines."""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from fupin.core.tabular import Book
from fupin.printing.pdf import CREATOR, centred, para, table_style

HEADERS = ("序号", "项目", "计量单位", "本季度", "上季度", "增减")
_WIDTHS_MM = (14, 70, 22, 26, 26, 22)


@dataclass(frozen=True)
class ReportSheet:
    title: str  # e.g. 郧西县精准扶贫档案工作季度报表
    period: str  # 2016年第三季度
    subject: str  # 填报单位
    status: str
    rows: Sequence[tuple[str, str, str, str, str]]  # label, measure, value, previous, delta
    footer: str = "单位负责人：            填表人：            报送日期：      年    月    日"


def _cells(sheet: ReportSheet) -> list[list[str]]:
    return [[str(n), *row] for n, row in enumerate(sheet.rows, start=1)]


def report_pdf(sheet: ReportSheet) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
        topMargin=18 * mm, bottomMargin=18 * mm, title=sheet.title, creator=CREATOR,
    )  # fmt: skip
    body = [[para(h, 10) for h in HEADERS]] + [[para(c, 10) for c in r] for r in _cells(sheet)]
    table = Table(body, colWidths=[w * mm for w in _WIDTHS_MM], repeatRows=1)
    table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.5, "black")))
    doc.build(
        [
            centred(sheet.title, 16),
            Spacer(1, 4 * mm),
            para(
                f"填报单位：{sheet.subject}　　报告期：{sheet.period}　　状态：{sheet.status}", 10
            ),
            Spacer(1, 3 * mm),
            table,
            Spacer(1, 8 * mm),
            para(sheet.footer, 10),
        ]
    )
    return buffer.getvalue()


def report_xlsx(sheet: ReportSheet) -> bytes:
    book = Book()
    page = book.sheet("季度报表")
    ws = page.ws
    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells("A1:F1")
    title = page.put(1, 1, sheet.title)
    title.font = Font(size=16, bold=True)
    title.alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    page.put(2, 1, f"填报单位：{sheet.subject}　报告期：{sheet.period}　状态：{sheet.status}")
    page.append(list(HEADERS))
    for row in _cells(sheet):
        page.append(row)
    for line in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in line:
            cell.border = grid
    page.append([])
    page.append([sheet.footer])
    for letter, width in zip("ABCDEF", _WIDTHS_MM, strict=True):
        ws.column_dimensions[letter].width = round(width / 1.9, 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "3:3"
    return book.to_bytes()
