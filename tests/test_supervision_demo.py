"""The demo county: townships reported last quarter, the county returned one and accepted the
rest and rolled them up; an inspection with a serious hazard cancelled a rating."""

import json

from django.test import Client
from django.utils import timezone

from fupin.accounts.models import User
from fupin.cli import main
from fupin.supervision.models import Assessment, QuarterReport, RectificationOrder
from fupin.supervision.reports.quarters import Quarter


def test_demo_reports_and_inspection(db, capsys, settings):
    settings.DEMO_MODE = True  # demo accounts keep their printed passwords
    assert main(["demo", "--json"]) == 0
    json.loads(capsys.readouterr().out)
    quarter = str(Quarter.of(timezone.localdate()).previous())
    townships = QuarterReport.objects.filter(quarter=quarter, region__parent_id="420322")
    assert list(townships.filter(status="returned").values_list("return_reason", flat=True))
    assert townships.filter(status="returned").count() == 1
    accepted = townships.filter(status="accepted")
    assert accepted.count() == townships.count() - 1 >= 9
    county = QuarterReport.objects.get(quarter=quarter, region_id="420322")
    # Every township's typed-in staff counts, the returned one's too: status is not a source.
    assert county.figures["archive_staff"] == sum(r.figures["archive_staff"] for r in townships)
    assert county.figures["archive_staff"] > 2 * accepted.count()  # villages rolled in too
    assert county.figures["items"] >= sum(r.figures["items"] for r in accepted)
    assessment = Assessment.objects.get()
    assert assessment.cancelled and "电暖器" in assessment.cancel_reason
    order = RectificationOrder.objects.get()
    inspector = Client()
    inspector.force_login(User.objects.get(username="danganju"))
    response = inspector.post(
        f"/api/v1/supervision/orders/{order.pk}/close",
        {"note": "已移除电暖器并更换线路"},
        content_type="application/json",
    )
    assert response.json().get("status") == "closed", response.content.decode()
    page = inspector.get("/supervision/inspections/").content.decode()
    assert "已移除电暖器" in page
