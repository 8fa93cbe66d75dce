"""四性检测报告 (DA/T 70-2018): the run's particulars, a table of every check with its result,
then each failing record with the reason."""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from fupin.printing.pdf import CREATOR, centred, numbered_canvas, para, table_style

_CHECK_HEADERS = ("序号", "性质", "检测项目", "检测内容", "检测对象数", "结果", "不通过数")
_CHECK_WIDTHS_MM = (10, 14, 28, 72, 16, 14, 16)
_FAILURE_HEADERS = ("序号", "检测项目", "对象", "原因")
_FAILURE_WIDTHS_MM = (10, 28, 56, 76)
# A report of tens of thousands of failing files would run to hundreds of pages; the rest are
# in the stored report (page, --json) and the PDF says so.
MAX_FAILURE_LINES = 2000


@dataclass(frozen=True)
class CheckLine:
    property: str
    title: str
    description: str
    checked: int
    outcome: str
    failures: Sequence[tuple[str, str]]  # (record, reason)


@dataclass(frozen=True)
class CheckReport:
    title: str  # 移交环节四性检测报告
    fields: Sequence[tuple[str, str]]  # 检测范围, 检测时间, 检测人, 结论 …
    lines: Sequence[CheckLine]


def _grid(table: Table) -> Table:
    table.setStyle(
        table_style(
            ("GRID", (0, 0), (-1, -1), 0.5, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        )
    )
    return table


def check_report_pdf(report: CheckReport) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
        topMargin=16 * mm, bottomMargin=18 * mm, title=report.title, creator=CREATOR,
    )  # fmt: skip
    fields = Table(
        [[para(label, 10), para(value, 10)] for label, value in report.fields],
        colWidths=[30 * mm, 140 * mm],
    )
    checks = [[para(h, 9) for h in _CHECK_HEADERS]]
    failures = [[para(h, 9) for h in _FAILURE_HEADERS]]
    for n, line in enumerate(report.lines, start=1):
        checks.append(
            [
                para(str(n), 9),
                para(line.property, 9),
                para(line.title, 9),
                para(line.description, 8),
                para(str(line.checked), 9),
                para(line.outcome, 9),
                para(str(len(line.failures)), 9),
            ]
        )
        for record, reason in line.failures:
            if len(failures) > MAX_FAILURE_LINES:
                break
            failures.append(
                [para(str(len(failures)), 8), para(line.title, 8), para(record, 8), para(reason, 8)]
            )
    total = sum(len(line.failures) for line in report.lines)
    story = [
        centred(report.title, 16),
        Spacer(1, 5 * mm),
        _grid(fields),
        Spacer(1, 5 * mm),
        _grid(Table(checks, colWidths=[w * mm for w in _CHECK_WIDTHS_MM], repeatRows=1)),
        Spacer(1, 5 * mm),
    ]
    if total:
        story.append(para(f"不通过的对象（共 {total} 处）", 11))
        story.append(Spacer(1, 2 * mm))
        story.append(
            _grid(Table(failures, colWidths=[w * mm for w in _FAILURE_WIDTHS_MM], repeatRows=1))
        )
        if total > MAX_FAILURE_LINES:
            story.append(para(f"以上列出前 {MAX_FAILURE_LINES} 处，其余见系统中的检测记录。", 9))
    else:
        story.append(para("各检测项目均无不通过的对象。", 11))
    doc.build(story, canvasmaker=numbered_canvas(unnumbered=0))
    return buffer.getvalue()
