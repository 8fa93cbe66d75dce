"""Reports go up: draft → submitted → returned with a reason → resubmitted → accepted; the
level above sees who is on time, late or missing."""

import pytest
from django.core.exceptions import ValidationError

from fupin.supervision.models import QuarterReport
from fupin.supervision.reports.services import report_build, report_submit
from tests.supervision_api import BASE, build, decide, post, submit
from tests.supervision_fixtures import THIS_QUARTER


def test_return_resubmit_accept(world):
    village_b, township = world.client("village_b"), world.client("township_a")
    report = build(village_b, region_code="420322100202")
    assert report["status"] == "draft"
    assert submit(village_b, report["id"])["status"] == "submitted"
    # Submitted figures are frozen: no rebuilding, no entering.
    refused = post(
        village_b, "/reports", {"quarter": THIS_QUARTER, "region_code": "420322100202"}, 400
    )
    assert "已报送" in refused["detail"]
    # A return needs a reason.
    assert "理由" in decide(township, report["id"], False, status=400)["detail"]
    returned = decide(township, report["id"], False, "档案工作人员未填")
    assert (returned["status"], returned["return_reason"]) == ("returned", "档案工作人员未填")
    entered = post(
        village_b, f"/reports/{report['id']}/entered", {"archive_staff": 2, "storage": "专柜"}
    )
    assert entered["figures"]["archive_staff"] == 2
    again = submit(village_b, report["id"])
    assert (again["status"], again["round"], again["return_reason"]) == ("submitted", 2, "")
    assert decide(township, report["id"], True)["status"] == "accepted"
    # Accepted is final.
    assert "待审核" in decide(township, report["id"], False, "再改", status=400)["detail"]


def test_only_the_level_above_decides(world):
    village_a = world.client("village_a")
    report = build(village_a, region_code="420322100201")
    submit(village_a, report["id"])
    decide(village_a, report["id"], True, status=403)
    decide(world.client("township_b"), report["id"], True, status=404)
    assert QuarterReport.objects.get(pk=report["id"]).status == "submitted"


def test_province_report_has_nowhere_to_go(world):
    report = report_build(actor=None, quarter=THIS_QUARTER, region_code="42")
    with pytest.raises(ValidationError, match="上一级"):
        report_submit(actor=None, report_id=report.pk)


def _status(client, region: str, quarter: str) -> dict[str, str]:
    response = client.get(f"{BASE}/subordinates", {"region_code": region, "quarter": quarter})
    assert response.status_code == 200, response.content.decode()
    return {row["name"]: row["timeliness"] for row in response.json()}


def test_on_time_late_missing(world):
    village_a, township = world.client("village_a"), world.client("township_a")
    # A quarter long past: submitted today is late, never submitted is missing.
    past = build(village_a, "2016Q3", region_code="420322100201")
    submit(village_a, past["id"])
    assert _status(township, "420322100", "2016Q3") == {
        "东岭村": "逾期", "西岭村": "未报", "城关镇人民政府": "未报",
    }  # fmt: skip
    # This quarter: submitted today is on time, the rest still have time.
    now = build(village_a, region_code="420322100201")
    submit(village_a, now["id"])
    assert _status(township, "420322100", THIS_QUARTER) == {
        "东岭村": "按时", "西岭村": "待报", "城关镇人民政府": "待报",
    }  # fmt: skip
