"""In a real browser, the archive bureau's inspector (档案局监督检查员, as the demo's) records an
inspection on the pages: the unit, a score per item of the demo's checklist, a finding with a
serious hazard and an evidence photo, a rectification order with its deadline. The inspection
then shows its result — 不合格 whatever the score, never 合格 — with the evidence and the
order, and the ratings page (考评) applies the rule where people can see it: the unit's rating
is struck out as cancelled and the unit may not be rated this year."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from fupin.demo.supervision import CHECKLIST, CHECKLIST_ITEMS
from fupin.supervision.inspections.services import assessment_rate, checklist_create
from fupin.supervision.models import Assessment, Inspection
from tests import objects_samples
from tests.browser import chrome, shot, sign_in
from tests.conftest import PASSWORD
from tests.test_browser_key_flows import wait_text

# The demo's scores, the fourth item (storage safety) with the serious hazard: 86 of 100
# points, well above the pass mark of 60, and still not passed.
SCORES = (20, 28, 18, 10, 10)
HAZARD = 3


@pytest.fixture
def browser():
    driver = chrome()
    yield driver
    driver.quit()


@pytest.fixture
def rated_office(world):
    """The demo's checklist, and the poverty office rated 优秀 for this year before the visit."""
    inspector = world.users["bureau_city"]
    checklist_create(actor=inspector, name=CHECKLIST, pass_score=60, items=CHECKLIST_ITEMS)
    office = world.units["office_a"]
    year = timezone.localdate().year
    assessment_rate(actor=inspector, unit_id=office.pk, year=year, rating="excellent")
    return office


def test_inspector_records_an_inspection_and_the_ratings_page_applies_the_rule(
    world, live_url, browser, rated_office, tmp_path
):
    photo = tmp_path / "库房电暖器.jpg"
    photo.write_bytes(objects_samples.image())
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    sign_in(browser, live_url, "bureau_city", PASSWORD)
    browser.get(f"{live_url}/supervision/inspections/")
    browser.find_element(By.LINK_TEXT, "记录一次执法检查").click()
    wait_text(browser, "逐项评分")
    shot(browser, "inspector-form")
    Select(browser.find_element(By.ID, "unit_id")).select_by_value(str(rated_office.pk))
    for (text, _points), score in zip(CHECKLIST_ITEMS, SCORES, strict=True):
        field = browser.find_element(By.CSS_SELECTOR, f"input[aria-label='{text}得分']")
        field.send_keys(str(score))
    hazard = CHECKLIST_ITEMS[HAZARD][0]
    browser.find_element(By.CSS_SELECTOR, f"input[aria-label='{hazard}发现的问题']").send_keys(
        "档案柜紧邻电暖器，线路老化"
    )
    browser.find_element(By.CSS_SELECTOR, f"input[aria-label='{hazard}严重安全隐患']").click()
    browser.find_element(By.CSS_SELECTOR, f"input[aria-label='{hazard}证据说明']").send_keys(
        "现场照片 1 张"
    )
    browser.find_element(By.CSS_SELECTOR, f"input[aria-label='{hazard}证据文件']").send_keys(
        str(photo)
    )
    browser.find_element(By.ID, "requirement-1").send_keys("移开电暖器，更换老化线路")
    # A date field's typing order follows the browser's locale; its value is always ISO.
    field = browser.find_element(By.ID, "deadline-1")
    browser.execute_script("arguments[0].value = arguments[1]", field, deadline.isoformat())
    browser.find_element(By.ID, "notes").send_keys("总体较好，存在严重安全隐患一处，须限期整改。")
    shot(browser, "inspector-form-filled")
    browser.find_element(By.XPATH, "//button[text()='保存检查记录']").click()

    wait_text(browser, "已记录对")
    shot(browser, "inspector-inspection")
    inspection = Inspection.objects.get()
    assert inspection.total_score == sum(SCORES) and not inspection.qualified
    page = browser.find_element(By.TAG_NAME, "body").text
    assert f"得分 {sum(SCORES)}（合格分 60），不合格（发现严重安全隐患）" in page
    assert "严重安全隐患 档案柜紧邻电暖器，线路老化" in page
    assert f"移开电暖器，更换老化线路（限 {deadline:%Y-%m-%d}）· 整改中" in page
    assert f"已取消{rated_office.name}{timezone.localdate().year}年度考评等次（优秀）" in page
    evidence = browser.find_element(By.LINK_TEXT, "库房电暖器.jpg").get_attribute("href")
    assert f"/supervision/inspections/{inspection.pk}/evidence/" in evidence
    shot(browser, "inspector-inspection")

    # The list says the same, and nowhere does a hazard read as 合格.
    browser.find_element(By.LINK_TEXT, "返回").click()
    wait_text(browser, "检查记录")
    row = browser.find_element(By.XPATH, f"//tr[td[text()='{rated_office.name}']]").text
    assert "不合格" in row and "合格" not in row.replace("不合格", "")
    shot(browser, "inspector-inspections")

    browser.get(f"{live_url}/supervision/assessments/")
    wait_text(browser, "考评规则")
    row = browser.find_element(By.XPATH, f"//tr[td[starts-with(., '{rated_office.name}')]]")
    struck = row.find_element(By.TAG_NAME, "s")
    assert struck.text == "优秀"
    assert "line-through" in struck.value_of_css_property("text-decoration-line")
    assert "已取消" in row.text and "不得参加考评" in row.text
    assert not row.find_elements(By.CSS_SELECTOR, "select[name=rating]")
    # The cancelled rating links to the inspection that cancelled it.
    link = row.find_element(By.LINK_TEXT, "检查记录").get_attribute("href")
    assert link.endswith(f"/supervision/inspections/{inspection.pk}/")
    assert Assessment.objects.get(unit=rated_office).cancelled
    shot(browser, "inspector-assessments")
