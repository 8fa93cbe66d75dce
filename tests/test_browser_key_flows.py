"""Key flows in a real browser: a village clerk imports a registration sheet (preview, then
confirm) and finds a household by search; the auditor reads the trail in Chinese."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from fupin.households.models import Household
from tests.browser import chrome, shot, sign_in
from tests.conftest import PASSWORD
from tests.households_samples import household, write_sheet

V_A = "420322100201"


@pytest.fixture
def browser():
    driver = chrome()
    yield driver
    driver.quit()


def wait_text(driver, text: str) -> None:
    WebDriverWait(driver, 60).until(
        ready.text_to_be_present_in_element((By.TAG_NAME, "body"), text)
    )


def test_clerk_imports_after_a_preview_and_finds_the_household(world, live_url, browser, tmp_path):
    sheet = write_sheet(tmp_path / "登记表.xlsx", household(V_A, 1) + household(V_A, 2))
    sign_in(browser, live_url, "village_a", PASSWORD)
    browser.get(f"{live_url}/households/import/")
    browser.find_element(By.ID, "file").send_keys(str(sheet))
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait_text(browser, "确认导入")
    assert "尚未写入" in browser.page_source and not Household.objects.exists()
    shot(browser, "clerk-import-preview")
    browser.find_element(By.XPATH, "//button[text()='确认导入']").click()
    wait_text(browser, "已导入")
    assert Household.objects.count() == 2
    shot(browser, "clerk-import-applied")
    box = browser.find_element(By.CSS_SELECTOR, "header input[name=q]")
    box.send_keys("王建国\n")
    wait_text(browser, "王建国")
    assert "检索" in browser.title
    shot(browser, "clerk-search")


def test_auditor_reads_the_trail_in_chinese(world, live_url, browser):
    sign_in(browser, live_url, "auditor_a", PASSWORD)
    browser.get(f"{live_url}/audit/?action=role.grant")
    wait_text(browser, "授予角色")
    options = browser.find_elements(By.CSS_SELECTOR, "select#action option")
    assert len(options) > 50 and all("." not in o.text for o in options)
    shot(browser, "auditor-trail")
