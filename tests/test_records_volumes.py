"""S&T project files in volumes (GB/T 11822): pages run on, the list and note print."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from fupin.records.models import Volume
from tests.records_fixtures import row, set_up_fonds


@pytest.fixture
def project_items(world):
    from fupin.records.services import item_create

    unit = world.units["office_a"]
    classes = set_up_fonds(unit)
    made = []
    for day, title, pages in [
        (date(2016, 5, 3), "安置点工程立项批复", 3),
        (date(2016, 4, 1), "安置点工程可行性研究报告", 40),
        (date(2016, 9, 9), "安置点工程竣工验收报告", 12),
    ]:
        made.append(
            item_create(
                actor=None,
                unit_id=unit.pk,
                category="KJ",
                schedule_row_id=row("county", "科技", "1").pk,
                retention="Y",
                class_code_id=classes["YWK"].pk,
                title=title,
                responsible="县发改局",
                date=day,
                pages=pages,
            )
        )
    return unit, made


def make_volume(world, unit, items, retention="Y"):
    return world.client("unit_a").post(
        f"/records/units/{unit.pk}/volumes/",
        {
            "item": [i.pk for i in items],
            "year": 2016,
            "category": "KJ",
            "retention": retention,
            "project": "城关镇易地扶贫搬迁安置点",
            "title": "城关镇安置点工程建设文件",
        },
        follow=True,
    )


def test_volume_orders_documents_and_numbers_pages(world, project_items):
    unit, items = project_items
    assert "已组卷" in make_volume(world, unit, items).content.decode()
    volume = Volume.objects.get()
    assert volume.reference_code == "F001-KJ·2016-Y-0001"
    pages = [
        (e.item.title, e.first_page, e.last_page) for e in volume.entries.select_related("item")
    ]
    assert pages == [
        ("安置点工程可行性研究报告", 1, 40),
        ("安置点工程立项批复", 41, 43),
        ("安置点工程竣工验收报告", 44, 55),
    ]


def test_volume_retention_not_shorter_than_its_documents(world, project_items):
    unit, items = project_items
    page = make_volume(world, unit, items, retention="D30").content.decode()
    assert "不能短于卷内文件的保管期限" in page
    assert not Volume.objects.exists()


def test_an_item_is_in_one_volume_only(world, project_items):
    unit, items = project_items
    make_volume(world, unit, items[:2])
    assert "已在其他案卷中" in make_volume(world, unit, items[1:]).content.decode()


def test_volume_list_and_note_print(world, project_items):
    unit, items = project_items
    make_volume(world, unit, items)
    volume = Volume.objects.get()
    client = world.client("unit_a")
    listing = client.get(f"/records/volumes/{volume.pk}/list.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(listing.content)).pages)
    assert "卷内目录" in text and "安置点工程竣工验收报告" in text and "44-55" in text
    note = client.get(f"/records/volumes/{volume.pk}/note.pdf")
    assert "卷内备考表" in PdfReader(io.BytesIO(note.content)).pages[0].extract_text()
    assert world.client("county_b").get(f"/records/volumes/{volume.pk}/list.pdf").status_code == 404


def test_a_volume_holding_a_classified_document_needs_the_clearance(world, project_items):
    from fupin.records.services import item_create

    unit, items = project_items
    secret = item_create(
        actor=None, unit_id=unit.pk, category="KJ", schedule_row_id=row("county", "科技", "1").pk,
        retention="Y", class_code_id=items[0].class_code_id, title="安置点工程涉密图纸",
        responsible="县发改局", date=date(2016, 6, 1), pages=2, secrecy="secret",
    )  # fmt: skip
    make_volume(world, unit, [*items, secret])
    volume = Volume.objects.get()
    forms = [f"/records/volumes/{volume.pk}/{form}.pdf" for form in ("list", "cover", "note")]
    # The county office reads the unit's documents by scope, but not the secret one.
    refused = world.client("county_a").get(forms[0])
    assert refused.status_code == 403 and "涉密文件" in refused.content.decode()
    assert {world.client("county_a").get(f).status_code for f in forms} == {403}
    # The holding unit's own archivist, and the office once cleared, read every form.
    assert {world.client("unit_a").get(f).status_code for f in forms} == {200}
    url = f"/manage/users/{world.users['county_a'].pk}/clearance/"
    assert world.client("secadmin_a").post(url, {"clearance": "secret"}).status_code == 302
    listing = world.client("county_a").get(forms[0])
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(listing.content)).pages)
    assert "安置点工程涉密图纸" in text
