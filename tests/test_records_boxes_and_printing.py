"""Boxes never mix classes; the catalogue, stamps, box spine and note print from the pages."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from fupin.audit.models import AuditEvent
from fupin.records.models import RecordItem
from fupin.records.services import items_arrange, items_box
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def arranged(world):
    unit = world.units["office_a"]
    classes = set_up_fonds(unit)
    file_item(unit, classes["BGS"], day=date(2016, 3, 1))
    file_item(unit, classes["BGS"], day=date(2016, 4, 1), title="关于开展雨露计划的通知")
    file_item(unit, classes["YWK"], day=date(2016, 4, 1))
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    return unit, classes


def test_box_refuses_mixed_classes(world, arranged):
    unit, _ = arranged
    client = world.client("unit_a")
    ids = list(RecordItem.objects.filter(unit=unit).values_list("pk", flat=True))
    response = client.post(
        f"/records/units/{unit.pk}/box/", {"item": ids, "year": 2016}, follow=True
    )
    assert "不能混装" in response.content.decode()
    assert not RecordItem.objects.filter(box__isnull=False).exists()


def test_box_then_print_its_forms(world, arranged):
    unit, classes = arranged
    ids = list(RecordItem.objects.filter(class_code=classes["BGS"]).values_list("pk", flat=True))
    box = items_box(actor=None, unit_id=unit.pk, item_ids=ids)
    client = world.client("unit_a")
    spine = client.get(f"/records/boxes/{box.pk}/spine.pdf")
    text = "".join(PdfReader(io.BytesIO(spine.content)).pages[0].extract_text().split())
    assert "F001" in text and "永久" in text and "0001至0002" in text
    assert client.get(f"/records/boxes/{box.pk}/note.pdf")["Content-Type"] == "application/pdf"
    catalogue = client.get(
        f"/records/units/{unit.pk}/catalogue.pdf",
        {"year": 2016, "category": "WS", "retention": "Y", "class": classes["BGS"].pk},
    )
    pages = PdfReader(io.BytesIO(catalogue.content)).pages
    body = "".join(p.extract_text() for p in pages)
    assert "归档文件目录" in body and "关于开展雨露计划的通知" in body
    assert "F001-WS·2016-Y-BGS-0002" in body
    assert AuditEvent.objects.filter(action="records.print").count() == 3


def test_stamp_sheet_has_every_numbered_item(world, arranged):
    unit, _ = arranged
    response = world.client("unit_a").get(f"/records/units/{unit.pk}/stamps.pdf", {"year": 2016})
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert text.count("F001") == 3
