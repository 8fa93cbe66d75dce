"""The whole filing flow through the pages: create, add, submit, decide, then browse the table."""

from django.test import Client
from django.urls import reverse

from fupin.schedule.models import ScheduleVersion
from fupin.schedule.services import schedule_load_annex


def village_row_3(client) -> int:
    rows = client.get("/api/v1/schedule/rows", {"level": "village", "category": "专业"}).json()
    return next(r["id"] for r in rows if r["number"] == "3")


def test_filing_through_the_pages(world):
    schedule_load_annex(actor=None)
    county = world.client("county_a")
    created = county.post(
        reverse("schedule:refinement_create"),
        {"title": "郧西县细化方案", "effective_from": "2017-01-01", "owner": "r:420322"},
    )
    version = ScheduleVersion.objects.get(title="郧西县细化方案")
    assert created.url == reverse("schedule:refinement_detail", args=[version.pk])
    add = reverse("schedule:item_add", args=[version.pk])
    form = {"parent_row": village_row_3(county), "scope_text": "村民代表评议记录"}
    refused = county.post(add, {**form, "retention_options": ["D30"]}, follow=True)
    assert "不能短于原条目允许的期限" in refused.content.decode()
    county.post(add, {**form, "retention_options": ["Y"]})
    county.post(reverse("schedule:submit", args=[version.pk]))

    pending = world.client("office_city").get(reverse("schedule:refinements")).content.decode()
    assert "待我审查（1）" in pending
    decide = reverse("schedule:decide", args=[version.pk])
    world.client("office_city").post(decide, {"office": "poverty", "accept": "1"})
    world.client("bureau_city").post(decide, {"office": "archive", "accept": "1"})
    version.refresh_from_db()
    assert version.status == "accepted"

    page = world.client("village_a").get(reverse("schedule:index"), {"q": "村民代表评议记录"})
    text = page.content.decode()
    assert "村民代表评议记录" in text and "3.1" in text and "郧西县（420322）细化" in text
    other = world.client("county_b").get(reverse("schedule:index"), {"q": "村民代表评议记录"})
    assert "没有符合条件的条目" in other.content.decode()


def test_return_through_the_page_needs_a_reason(world):
    schedule_load_annex(actor=None)
    county = world.client("county_a")
    county.post(
        reverse("schedule:refinement_create"),
        {"title": "郧西县细化方案", "effective_from": "2017-01-01", "owner": "r:420322"},
    )
    version = ScheduleVersion.objects.get(title="郧西县细化方案")
    county.post(
        reverse("schedule:item_add", args=[version.pk]),
        {"parent_row": village_row_3(county), "scope_text": "评议记录", "retention_options": "Y"},
    )
    county.post(reverse("schedule:submit", args=[version.pk]))
    decide = reverse("schedule:decide", args=[version.pk])
    office = world.client("office_city")
    answer = office.post(decide, {"office": "poverty", "accept": "0"}, follow=True)
    assert "退回时必须说明理由" in answer.content.decode()
    office.post(decide, {"office": "poverty", "accept": "0", "reason": "范围不清"})
    version.refresh_from_db()
    assert version.status == "returned"
    detail = county.get(reverse("schedule:refinement_detail", args=[version.pk])).content.decode()
    assert "范围不清" in detail and "报上一级备案" in detail


def test_browser_filters_and_needs_sign_in(world):
    schedule_load_annex(actor=None)
    assert world.client("village_a").get(reverse("schedule:index")).status_code == 200
    page = world.client("village_a").get(
        reverse("schedule:index"), {"level": "township", "category": "professional"}
    )
    assert "共 2 条" in page.content.decode()
    assert Client().get(reverse("schedule:index")).status_code == 302
