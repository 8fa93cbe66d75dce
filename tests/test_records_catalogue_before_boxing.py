"""The 归档文件目录 of a fonds-year and class prints once its items are numbered, before boxing."""

import io
from datetime import date

from pypdf import PdfReader

from fupin.records.models import RecordItem
from fupin.records.services import items_arrange
from tests.records_fixtures import file_item, set_up_fonds


def test_catalogue_links_and_prints_without_any_box(world):
    unit = world.units["office_a"]
    classes = set_up_fonds(unit)
    file_item(unit, classes["BGS"], day=date(2016, 3, 1))
    file_item(unit, classes["BGS"], day=date(2016, 4, 1), title="关于开展雨露计划的通知")
    file_item(unit, classes["YWK"], day=date(2016, 4, 1))
    client = world.client("unit_a")
    before = client.get(f"/records/units/{unit.pk}/", {"year": 2016}).content.decode()
    assert "<h2>归档文件目录</h2>" not in before  # nothing numbered yet
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    assert not RecordItem.objects.filter(box__isnull=False).exists()
    page = client.get(f"/records/units/{unit.pk}/", {"year": 2016}).content.decode()
    assert "<h2>归档文件目录</h2>" in page and "<td>永久</td>" in page
    query = f"year=2016&category=WS&retention=Y&class={classes['BGS'].pk}"
    link = f"/records/units/{unit.pk}/catalogue.pdf?{query}"
    assert link in page
    pdf = client.get(link)
    body = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "归档文件目录" in body and "关于开展雨露计划的通知" in body
