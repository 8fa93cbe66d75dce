"""Sample forms and PDF inspection shared by the tests/test_printing_*.py files (no tests here)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, StreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from fupin.printing import (
    BoxNote,
    BoxSpine,
    CatalogueCover,
    CatalogueEntry,
    StampFields,
    VolumeEntry,
    VolumeNote,
    archive_stamp_sheet,
    box_note_pdf,
    box_spine_pdf,
    catalogue_pdf,
    stamp_first_page,
    volume_list_pdf,
    volume_note_pdf,
)
from fupin.printing.fonts import cjk_font

COVER = CatalogueCover(
    fonds_code="Z109",
    fonds_name="郧西县扶贫开发办公室",
    year=2016,
    retention_label="永久",
    department_or_subject="办公室",
)
LONG_TITLE = (
    "关于印发《郧西县精准扶贫精准脱贫工作实施方案》及成立扶贫攻坚领导小组的通知，"
    "附件包括各乡镇责任分工表、驻村工作队组派名单和帮扶责任人联系表"
)
VOLUME_TITLE = "土门镇易地扶贫搬迁集中安置点建设项目文件"
STAMP = StampFields("Z109", 2016, 7, "办公室", "永久", 12)


def catalogue_entries(count: int) -> list[CatalogueEntry]:
    return [
        CatalogueEntry(
            seq=seq,
            reference_code=f"Z109-WS·2016-Y-BGS-{seq:04d}",
            document_number=f"郧扶办发〔2016〕{seq}号",
            responsible="郧西县扶贫办",
            title=LONG_TITLE if seq == 1 else f"东岭村贫困户识别结果公示第{seq}批",
            date="20160318",
            pages=seq + 2,
            title_made_by_archivist=seq == 2,
        )
        for seq in range(1, count + 1)
    ]


def volume_entries(count: int) -> list[VolumeEntry]:
    return [
        VolumeEntry(
            seq=seq,
            document_number=f"郧发改〔2017〕{seq}号",
            responsible="郧西县发展和改革局",
            title=LONG_TITLE if seq == 1 else f"安置点建设项目第{seq}号文件",
            date="20170512",
            page_label=str(seq * 3 - 2),
        )
        for seq in range(1, count + 1)
    ]


def scan_pdf(pages: int = 3, size: tuple[float, float] = A4, rotate: int = 0) -> bytes:
    """A stand-in for a scanned document, made without reportlab: no fonts, no text, just a
    grey block as wide as the page number."""
    writer = PdfWriter()
    for number in range(1, pages + 1):
        page = writer.add_blank_page(*size)
        content = StreamObject()
        content.set_data(f"0.6 g 20 20 {10 * number} 10 re f".encode())
        page.replace_contents(content)
        if rotate:
            page.rotate(rotate)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Every PDF the package makes, by name, for the checks that apply to all of them.
PDF_RENDERERS: dict[str, Callable[[], bytes]] = {
    "stamp_sheet": lambda: archive_stamp_sheet([STAMP] * 3),
    "stamped_scan": lambda: stamp_first_page(scan_pdf(), STAMP),
    "catalogue": lambda: catalogue_pdf(COVER, catalogue_entries(40)),
    "box_spine": lambda: box_spine_pdf([BoxSpine("Z109", 2016, "永久", 1, 50, 3, "办公室", 30)]),
    "box_note": lambda: box_note_pdf(BoxNote("本盒共有文件50件。", "张三", date(2016, 12, 20))),
    "volume_list": lambda: volume_list_pdf(VOLUME_TITLE, volume_entries(30)),
    "volume_note": lambda: volume_note_pdf(VolumeNote("本卷共有文件12件。", "王五")),
}


def pages(data: bytes) -> list[PageObject]:
    return list(PdfReader(BytesIO(data)).pages)


def page_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pages(data)]


@dataclass(frozen=True)
class TextRun:
    text: str
    x: float
    y: float
    right: float


def text_runs(page: PageObject) -> list[TextRun]:
    """Each line of text drawn on the page, with where it starts and ends."""
    runs: list[TextRun] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        text = text.strip()
        if text:
            # reportlab only translates text here, so the positions simply add up.
            x = cm[4] + tm[4]
            width = stringWidth(text, cjk_font(), size)
            runs.append(TextRun(text, x, cm[5] + tm[5], x + width))

    page.extract_text(visitor_text=visit)
    return runs


def rectangles(page: PageObject) -> list[tuple[float, float, float, float]]:
    """The (x, y, width, height) of every ``re`` operator in the page's own content stream."""
    stream = ContentStream(page.get_contents(), page.pdf)
    return [
        (float(x), float(y), float(w), float(h))
        for operands, operator in stream.operations
        if operator == b"re"
        for x, y, w, h in [operands]
    ]
