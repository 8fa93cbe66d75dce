"""The pages: the flow by form, the report with its chart, trace, ledger trend, the printed
report (PDF with the CJK font, XLSX) and the home page's reminders."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from fupin.supervision.models import QuarterReport
from tests.supervision_api import build, submit
from tests.supervision_fixtures import THIS_QUARTER, fill


def test_flow_through_the_pages(world, tmp_path):
    fill(world, tmp_path)
    village = world.client("village_a")
    response = village.post(
        "/supervision/reports/build/", {"quarter": THIS_QUARTER, "region_code": "420322100201"}
    )
    report = QuarterReport.objects.get(quarter=THIS_QUARTER, region_id="420322100201")
    assert response.url == f"/supervision/reports/{report.pk}/"
    village.post(response.url, {"action": "enter", "archive_staff": "1", "storage": "铁柜"})
    village.post(response.url, {"action": "submit", "confirm": "1"})
    township = world.client("township_a")
    page = township.get(response.url).content.decode()
    assert "审核通过" in page and "建档立卡贫困户" in page
    township.post(response.url, {"action": "return", "reason": ""})
    assert QuarterReport.objects.get(pk=report.pk).status == "submitted"
    township.post(response.url, {"action": "return", "reason": "培训次数漏填"})
    assert QuarterReport.objects.get(pk=report.pk).status == "returned"


def test_report_chart_trace_and_ledger(world, tmp_path):
    fill(world, tmp_path)
    township = world.client("township_a")
    town = build(township, region_code="420322100")
    page = township.get(f"/supervision/reports/{town['id']}/").content.decode()
    assert "<svg" in page and "东岭村" in page and "50%（2/4 件）" in page
    trace = township.get(f"/supervision/reports/{town['id']}/trace/items/").content.decode()
    assert "城关镇文件1" in trace
    assert township.get(f"/supervision/reports/{town['id']}/trace/nonsense/").status_code == 404
    build(township, "2016Q3", region_code="420322100")
    ledger = township.get("/supervision/regions/420322100/ledger/").content.decode()
    assert "2016Q3" in ledger and THIS_QUARTER in ledger and "<polyline" in ledger


def test_printed_report(world, tmp_path):
    fill(world, tmp_path)
    village = world.client("village_a")
    report = build(village, region_code="420322100201")
    pdf = village.get(f"/supervision/reports/{report['id']}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "东岭村精准扶贫档案工作季度报表" in text and "建档立卡贫困户" in text
    xlsx = village.get(f"/supervision/reports/{report['id']}/report.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[1]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    assert rows["文件"] == "4" and rows["数字化比例"] == "50.0%"


def test_home_reminders(world, settings):
    settings.FUPIN_REPORT_REMINDER_DAYS = 100
    home = world.client("village_a").get("/").content.decode()
    assert "尚未报送" in home and "东岭村" in home
    settings.FUPIN_REPORT_REMINDER_DAYS = -1
    assert "尚未报送" not in world.client("village_a").get("/").content.decode()
    report = build(world.client("village_a"), region_code="420322100201")
    submit(world.client("village_a"), report["id"])
    assert "1 份下级季报待审核" in world.client("township_a").get("/").content.decode()
    world.client("township_a").post(
        f"/supervision/reports/{report['id']}/", {"action": "return", "reason": "请补培训次数"}
    )
    assert "请补培训次数" in world.client("village_a").get("/").content.decode()
