"""The checks page: a village archivist runs the checks on her records and reads the report
(page and PDF); the next village sees nothing of it; a reader without the right is refused."""

from fupin.checks.models import CheckRun
from tests.checks_fixtures import archived_items


def test_run_from_the_page_and_read_the_report(world):
    archived_items(world)
    unit = world.units["committee_a"]
    client = world.client("village_a")
    response = client.post("/checks/", {"unit": unit.pk, "stage": "keeping", "year": "2016"})
    run = CheckRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/checks/runs/{run.pk}/"
    page = client.get(f"/checks/runs/{run.pk}/").content.decode()
    assert "长期保存环节四性检测报告" in page and "电子文件摘要复核" in page and "全部通过" in page
    pdf = client.get(f"/checks/runs/{run.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert f"/checks/runs/{run.pk}/" in client.get("/checks/").content.decode()

    other = world.client("village_b")
    assert other.get(f"/checks/runs/{run.pk}/").status_code == 404
    assert other.get(f"/checks/runs/{run.pk}/report.pdf").status_code == 404
    assert f"/checks/runs/{run.pk}/" not in other.get("/checks/").content.decode()
    assert other.post("/checks/", {"unit": unit.pk, "stage": "keeping"}).status_code == 404
    assert CheckRun.objects.count() == 1


def test_a_poverty_office_may_not_start_checks(world):
    archived_items(world)
    client = world.client("county_a")
    response = client.post(
        "/checks/", {"unit": world.units["committee_a"].pk, "stage": "transfer"}, follow=True
    )
    assert "移交环节的四性检测需要“录入与整理档案”权限。" in response.content.decode()
    assert not CheckRun.objects.exists()


def test_bad_form_input_is_explained(world):
    response = world.client("village_a").post(
        "/checks/", {"unit": "x", "stage": "soon"}, follow=True
    )
    assert "请选择立档单位和检测环节；年度须为数字。" in response.content.decode()
