"""Arrangement after DA/T 22: classes, item numbers restarting per class, reference codes."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from fupin.cli import main
from fupin.records.models import RecordItem
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def fonds(world):
    unit = world.units["office_a"]
    return unit, set_up_fonds(unit)


def arrange(world, unit, year=2016):
    response = world.client("unit_a").post(
        f"/api/v1/records/units/{unit.pk}/arrange", {"year": year}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def codes(unit) -> list[str]:
    return list(
        RecordItem.objects.filter(unit=unit)
        .order_by("reference_code")
        .values_list("reference_code", flat=True)
    )


def test_codes_follow_the_template_and_restart_per_class(world, fonds):
    unit, classes = fonds
    file_item(unit, classes["BGS"], day=date(2016, 5, 2))
    file_item(unit, classes["BGS"], day=date(2016, 3, 1))
    file_item(unit, classes["YWK"], day=date(2016, 4, 1))
    file_item(unit, classes["BGS"], retention="D30", number="48", day=date(2016, 6, 1))
    assert arrange(world, unit) == {"classes": 3, "numbered": 4, "kept": 0}
    assert codes(unit) == [
        "F001-WS·2016-D30-BGS-0001",
        "F001-WS·2016-Y-BGS-0001",
        "F001-WS·2016-Y-BGS-0002",
        "F001-WS·2016-Y-YWK-0001",
    ]
    earliest = RecordItem.objects.get(reference_code="F001-WS·2016-Y-BGS-0001")
    assert earliest.date == date(2016, 3, 1)


def test_items_of_one_matter_stay_together(world, fonds):
    unit, classes = fonds
    request = file_item(unit, classes["BGS"], day=date(2016, 1, 5), matter="危房改造")
    other = file_item(unit, classes["BGS"], day=date(2016, 2, 1))
    reply = file_item(unit, classes["BGS"], day=date(2016, 3, 1), matter="危房改造")
    arrange(world, unit)
    numbers = {i.pk: i.item_number for i in RecordItem.objects.filter(unit=unit)}
    assert [numbers[request.pk], numbers[reply.pk], numbers[other.pk]] == [1, 2, 3]


def test_rearranging_before_locking_renumbers(world, fonds):
    unit, classes = fonds
    file_item(unit, classes["BGS"], day=date(2016, 5, 1))
    arrange(world, unit)
    file_item(unit, classes["BGS"], day=date(2016, 1, 1), title="更早的文件")
    arrange(world, unit)
    first = RecordItem.objects.get(unit=unit, item_number=1)
    assert first.title == "更早的文件"


def test_duplicate_codes_are_impossible_in_the_database(world, fonds):
    unit, classes = fonds
    a = file_item(unit, classes["BGS"])
    b = file_item(unit, classes["BGS"], day=date(2016, 7, 1))
    arrange(world, unit)
    b.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordItem.objects.filter(pk=a.pk).update(reference_code=b.reference_code)


def test_cli_arranges_with_json_output(world, fonds, capsys):
    unit, classes = fonds
    file_item(unit, classes["BGS"])
    assert main(["records", "arrange", "--unit", str(unit.pk), "--year", "2016", "--json"]) == 0
    assert '"numbered": 1' in capsys.readouterr().out


def test_cli_boxes_and_prints_a_year(world, fonds, capsys, tmp_path):
    unit, classes = fonds
    for day in (1, 2, 3):
        file_item(unit, classes["BGS"], day=date(2016, 3, day))
    main(["records", "arrange", "--unit", str(unit.pk), "--year", "2016"])
    assert main(["records", "box", "--unit", str(unit.pk), "--year", "2016", "--per-box", "2"]) == 0
    assert RecordItem.objects.filter(box__box_number=2).count() == 1
    capsys.readouterr()
    out = tmp_path / "printed"
    assert (
        main(
            [
                "records",
                "print",
                "--unit",
                str(unit.pk),
                "--year",
                "2016",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "归档文件目录-F001-WS-2016-Y-BGS.pdf",
        "归档章-2016.pdf",
    ]
