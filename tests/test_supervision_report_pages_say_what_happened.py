"""The report pages: quarters picked from a list, figures of each subordinate beside its
status, a confirmation that names who is missing, messages that say what happened, and the
printed report with its submission date (报送日期)."""

import io

from django.utils import timezone
from pypdf import PdfReader

from fupin.supervision.models import QuarterReport
from fupin.supervision.reports.quarters import Quarter
from tests.supervision_fixtures import THIS_QUARTER, fill


def test_quarters_are_picked_from_a_list(world):
    page = world.client("township_a").get("/supervision/", {"quarter": "2016Q3"})
    html = page.content.decode()
    assert (
        '<select id="q" name="quarter">' in html
        and 'name="quarter" value="2016Q3" size' not in html
    )
    assert '<option value="2016Q3" selected>2016年第三季度</option>' in html
    assert f'<option value="{THIS_QUARTER}"' in html and '<option value="2013Q4"' not in html


def _page_flow(world, tmp_path):
    fill(world, tmp_path)
    village = world.client("village_a")
    built = village.post(
        "/supervision/reports/build/",
        {"quarter": THIS_QUARTER, "region_code": "420322100201"},
        follow=True,
    )
    label = Quarter.parse(THIS_QUARTER).label
    assert f"已按当前数据生成东岭村{label}季报（草稿）" in built.content.decode()
    return village, QuarterReport.objects.get(quarter=THIS_QUARTER, region_id="420322100201")


def test_submitting_asks_and_says_what_happened(world, tmp_path):
    village, report = _page_flow(world, tmp_path)
    url = f"/supervision/reports/{report.pk}/"
    page = village.get(url).content.decode()
    assert "东岭村委会（单位）：未报送" in page and 'name="confirm" value="1" required' in page
    refused = village.post(url, {"action": "submit"}, follow=True).content.decode()
    assert "东岭村委会（未报送）" in refused
    assert QuarterReport.objects.get(pk=report.pk).status == "draft"
    sent = village.post(url, {"action": "submit", "confirm": "1"}, follow=True).content.decode()
    assert "报送城关镇（第1次），数据已固定" in sent
    assert "报送时未等待：东岭村委会（未报送）" in sent
    assert "已完成。" not in sent
    returned = world.client("township_a").post(
        url, {"action": "return", "reason": "培训次数漏填"}, follow=True
    )
    assert (
        "已退回东岭村" in returned.content.decode() and "培训次数漏填" in returned.content.decode()
    )


def test_township_page_shows_villages_data_beside_their_status(world, tmp_path):
    fill(world, tmp_path)
    township = world.client("township_a")
    township.post(
        "/supervision/reports/build/", {"quarter": THIS_QUARTER, "region_code": "420322100"}
    )
    report = QuarterReport.objects.get(quarter=THIS_QUARTER, region_id="420322100")
    page = township.get(f"/supervision/reports/{report.pk}/")
    below = {row.name: (values, row.report) for row, values in page.context["below"]}
    # 东岭村 has not reported, yet its two households and four items are counted and shown.
    assert below["东岭村"] == ([2, 0, 4, 2], None)
    assert report.figures["households"] == 3


def test_printed_report_carries_its_submission_date(world, tmp_path):
    village, report = _page_flow(world, tmp_path)
    draft = village.get(f"/supervision/reports/{report.pk}/report.pdf").content
    assert "报送日期：（尚未报送）" in _text(draft)
    village.post(f"/supervision/reports/{report.pk}/", {"action": "submit", "confirm": "1"})
    pdf = village.get(f"/supervision/reports/{report.pk}/report.pdf").content
    text = _text(pdf)
    assert f"报送日期：{timezone.localdate():%Y年%m月%d日}" in text
    assert "报送时未等待的下级：东岭村委会（未报送）" in text
    assert "审计链锚点：" in text  # the chain's head, printed where the database cannot reach


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
