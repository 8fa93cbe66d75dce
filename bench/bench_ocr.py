"""OCR pages per minute on this machine: a multi-page scanned PDF (A4 at 150 dpi, 16 lines of
Chinese each; FUPIN_BENCH_OCR_PAGES pages, default 8) uploaded to an item and read by the OCR
job exactly as the worker runs it (render, read, store per page, audit), against the raw
engine call on the same page images measured in the same run. Also the share of characters
read correctly."""

import datetime
import difflib
import io
import os
from importlib import resources

from bench.common import Figure, stopwatch

BENCH = "ocr"
A4_150DPI = (1240, 1754)
SENTENCES = (
    "精准扶贫档案是扶贫开发工作的真实记录",
    "各地要把精准扶贫档案工作纳入扶贫开发工作总体规划",
    "建档立卡贫困户的识别和退出材料应当及时收集归档",
    "村级扶贫档案由村委会指定专人负责管理",
    "驻村工作队的工作日志和帮扶记录一并归档",
    "档案部门加强对精准扶贫档案工作的监督指导",
    "扶贫项目资金的申报审批和验收材料齐全完整",
    "易地扶贫搬迁对象的确认名单和搬迁协议",
)


def _font(size: int):
    from PIL import ImageFont

    font = resources.files("paperang_p2_fonts_cjk").joinpath("fonts/wqy-microhei.ttc")
    with resources.as_file(font) as path:
        return ImageFont.truetype(str(path), size)


def _pages(count: int) -> tuple[bytes, list[str]]:
    """A scanner's PDF (image pages only) and the text written on each page."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font, out, texts = _font(34), io.BytesIO(), []
    doc = canvas.Canvas(out)
    width, height = A4_150DPI[0] * 72 / 150, A4_150DPI[1] * 72 / 150
    for n in range(count):
        lines = [f"{n + 1}.{k + 1} {SENTENCES[(n + k) % len(SENTENCES)]}" for k in range(16)]
        image = Image.new("L", A4_150DPI, 255)
        draw = ImageDraw.Draw(image)
        for k, line in enumerate(lines):
            draw.text((110, 150 + k * 90), line, font=font, fill=0)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        buffer.seek(0)
        doc.setPageSize((width, height))
        doc.drawImage(ImageReader(buffer), 0, 0, width, height)
        doc.showPage()
        texts.append("".join(lines))
    doc.save()
    return out.getvalue(), texts


def _item():
    from fupin.records.models import DEFAULT_TEMPLATE
    from fupin.records.services import class_code_add, fonds_configure, item_create
    from fupin.regions.models import Level, Region, Unit, UnitKind
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex

    province, _ = Region.objects.get_or_create(
        code="42", defaults={"name": "湖北省", "level": Level.PROVINCE}
    )
    city = Region.objects.create(code="4298", name="测试市", level=Level.CITY, parent=province)
    county = Region.objects.create(code="429898", name="测试县", level=Level.COUNTY, parent=city)
    unit = Unit.objects.create(
        region=county, kind=UnitKind.POVERTY_OFFICE, name="测试扶贫办", fonds_code="ZB02"
    )
    schedule_load_annex(actor=None)
    row = next(
        r
        for r in rows_in_force(base_version())
        if r.level == "county" and r.category == "documents"
    )
    fonds_configure(actor=None, unit_id=unit.pk, facet="department", code_template=DEFAULT_TEMPLATE)
    klass = class_code_add(actor=None, unit_id=unit.pk, code="K01", name="办公室")
    return item_create(
        actor=None,
        unit_id=unit.pk,
        category="WS",
        schedule_row_id=row.pk,
        retention=row.retention_options[0],
        class_code_id=klass.pk,
        title="精准扶贫档案工作意见",
        responsible="测试扶贫办",
        date=datetime.date(2016, 5, 1),
        pages=1,
    )


def run() -> list[Figure]:
    import shutil
    import tempfile

    from django.db import transaction
    from django.test import override_settings

    from fupin.scans.models import ScanPage
    from fupin.scans.ocr import engine_read
    from fupin.scans.pages import page_images
    from fupin.scans.services import scan_ocr_run, scan_upload

    count = int(os.environ.get("FUPIN_BENCH_OCR_PAGES", "8"))
    body, texts = _pages(count)
    images = list(page_images(io.BytesIO(body), "pdf"))
    engine_read(images[0])  # models loaded once, outside both timings
    with stopwatch() as raw:
        for image in images:
            engine_read(image)
    media = tempfile.mkdtemp(prefix="fupin-bench-media-")
    try:
        # Rolled back: the queued task never reaches the queue, the job is run here directly.
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            item = _item()
            upload = scan_upload(
                actor=None, item_id=item.pk, stream=io.BytesIO(body), filename="bench.pdf"
            )
            with stopwatch() as job:
                scan_ocr_run(job_id=upload.job.pk)
            read = list(ScanPage.objects.filter(item=item).values_list("text", flat=True))
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    expected, got = "".join(texts), "".join("".join(t.split()) for t in read)
    accuracy = difflib.SequenceMatcher(None, expected.replace(" ", ""), got).ratio()
    return [
        Figure(BENCH, f"识别 {count} 页 A4（150 dpi，每页 16 行）", job[0], "s"),
        Figure(
            BENCH,
            "识别速度（对比引擎直接调用）",
            count * 60 / job[0],
            "页/分",
            baseline=count * 60 / raw[0],
            target="比值 ≥ 0.8",
        ),
        Figure(BENCH, "字符正确率", 100 * accuracy, "%"),
        Figure(BENCH, "CPU 核数", float(os.cpu_count() or 0), "个"),
    ]
