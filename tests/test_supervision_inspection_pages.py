"""An inspector (档案局监督检查员) records an inspection on the pages: unit picked from a list,
a score per checklist item, findings with evidence files taken in through the objects app,
orders with deadlines. A serious hazard is never shown as 合格; bad input keeps nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.objects.models import StoredObject
from fupin.supervision.models import Assessment, FindingEvidence, Inspection
from tests import objects_samples

NEW = "/supervision/inspections/new/"


@pytest.fixture
def inspector(world):
    client = world.client("bureau_city")
    made = client.post(
        "/supervision/checklists/new/",
        {"name": "扶贫档案执法检查表", "pass_score": "60",
         "items": "档案安全保管，50\n归档范围完整，50\n"},
        follow=True,
    )  # fmt: skip
    assert "已新建检查表“扶贫档案执法检查表”：2 项，合格分 60" in made.content.decode()
    return client


def _form(world, client, **changes) -> dict:
    page = client.get(NEW)
    safe, complete = [item for item, _ in page.context["rows"]]
    body = {
        "checklist_id": str(page.context["checklist"].pk),
        "unit_id": str(world.units["office_a"].pk),
        "inspected_on": "2026-03-10",
        f"score-{safe.pk}": "45",
        f"note-{safe.pk}": "档案柜紧邻电暖器",
        f"hazard-{safe.pk}": "1",
        f"evidence-{safe.pk}": "现场照片",
        f"files-{safe.pk}": SimpleUploadedFile("库房.jpg", objects_samples.image()),
        f"score-{complete.pk}": "40",
        "requirement-1": "补齐 2016 年归档文件",
        "deadline-1": "2026-04-30",
    }
    return body | changes


def test_units_are_picked_with_their_place(world, inspector):
    page = inspector.get(NEW).content.decode()
    assert "东岭村委会（城关镇东岭村）" in page and "郧西县扶贫办（十堰市郧西县）" in page
    assert "竹山县扶贫办" in page  # the city's inspector covers both counties
    assert 'type="file" name="files-' in page


def test_a_serious_hazard_is_never_shown_as_passed(world, inspector):
    Assessment.objects.create(
        unit=world.units["office_a"], year=2026, rating="good", rated_by_name="x",
        rated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )  # fmt: skip
    done = inspector.post(NEW, _form(world, inspector), follow=True)
    page = done.content.decode()
    inspection = Inspection.objects.get()
    assert inspection.total_score == 85 >= inspection.checklist.pass_score
    assert "结论：不合格（发现严重安全隐患）" in page and "整改通知 2 份" in page
    assert "证据文件 1 个" in page
    listing = inspector.get("/supervision/inspections/").content.decode()
    assert "不合格（发现严重安全隐患）" in listing and ">合格<" not in listing
    assert Assessment.objects.get().cancelled
    api = inspector.get(f"/api/v1/supervision/inspections/{inspection.pk}").json()
    assert (api["passed"], api["serious_hazard"], api["inspector"]) == (False, True, "bureau_city")
    evidence = FindingEvidence.objects.get()
    assert evidence.filename == "库房.jpg"
    served = inspector.get(f"/supervision/inspections/{inspection.pk}/evidence/{evidence.pk}/")
    assert served.status_code == 200 and served.content == objects_samples.image()
    deadlines = sorted(str(o.deadline) for o in inspection.orders.all())
    assert deadlines == ["2026-04-09", "2026-04-30"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"inspected_on": "2026-13-01"}, "检查日期“2026-13-01”不是有效日期"),
        ({"deadline-1": "2026-03-01"}, "不能早于检查日期"),
        ({"unit_id": ""}, "请选择被检查单位"),
        ({"files-X": None}, "得分应在 0 到 50 之间"),
        ({"files-Y": None}, "图像文件已损坏或不完整"),
    ],
)
def test_bad_input_keeps_nothing_and_says_why(world, inspector, change, message):
    body = _form(world, inspector, **{k: v for k, v in change.items() if v is not None})
    safe = next(k for k in body if k.startswith("score-"))
    if "files-X" in change:
        body[safe] = "51"
    if "files-Y" in change:
        files = next(k for k in body if k.startswith("files-"))
        body[files] = SimpleUploadedFile("库房.jpg", objects_samples.image()[:200])
    objects = StoredObject.objects.count()
    page = inspector.post(NEW, body).content.decode()
    assert message in page, page
    assert not Inspection.objects.exists() and not FindingEvidence.objects.exists()
    assert StoredObject.objects.count() == objects
    assert "档案柜紧邻电暖器" in page  # what was typed is still there


def test_only_inspectors_record(world, inspector):
    county = world.client("county_a")
    assert county.get(NEW).status_code == 403
    assert "记录一次执法检查" not in county.get("/supervision/inspections/").content.decode()
    body = _form(world, inspector)
    assert county.post(NEW, body).status_code == 403
    assert not Inspection.objects.exists()
