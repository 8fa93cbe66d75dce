"""Assistance officers (a change adds a row), measures, yearly income, and the relocation link
to the county's file; phones of officers are masked like the household's."""

import datetime

from fupin.households.models import AssistanceOfficer, RelocationLink, YearlyIncome
from tests.household_file_samples import TODAY, V_A, household, import_households
from tests.records_fixtures import file_item, set_up_fonds


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_officer_change_ends_the_previous_one(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    client, base = world.client("village_a"), f"/api/v1/household-files/{h.pk}/officers"
    first = {
        "name": "刘明",
        "unit_name": "郧西县财政局",
        "unit_level": "county",
        "phone": "13700001111",
        "start_date": "2016-03-01",
    }
    assert post(client, base, first).status_code == 201
    second = first | {"name": "陈芳", "start_date": "2018-01-01"}
    assert post(client, base, second).status_code == 201
    old, new = AssistanceOfficer.objects.order_by("start_date")
    assert old.end_date == datetime.date(2017, 12, 31) and new.end_date is None
    earlier = first | {"name": "赵六", "start_date": "2017-01-01"}
    refused = post(client, base, earlier)
    assert refused.status_code == 400 and AssistanceOfficer.objects.count() == 2
    page = client.get(f"/households/{h.pk}/").content.decode()
    assert "陈芳" in page and "137****1111" in page and "13700001111" not in page


def test_yearly_income_computes_net_and_per_capita(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    client = world.client("village_a")
    path = f"/api/v1/household-files/{h.pk}/incomes"
    data = {"year": 2016, "wages": "9000", "business": "3000.5", "transfers": "1200"}
    response = client.put(path, data | {"expenses": "1000.5"}, content_type="application/json")
    assert response.json() == {"year": 2016, "net_income": "12200.00", "per_capita": "4066.67"}
    bad = client.put(path, data | {"wages": "-1"}, content_type="application/json")
    assert bad.status_code == 400 and "工资性收入" in bad.json()["detail"]
    assert YearlyIncome.objects.get().net_income == 12200


def test_relocation_link_only_to_the_county_relocation_file(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    office = world.units["office_a"]
    klass = set_up_fonds(office)["BGS"]
    relocation = file_item(
        office, klass, title="王建国户搬迁安置协议", category="ZY", level="county", number="1"
    )
    other = file_item(office, klass)
    client, path = world.client("village_a"), f"/api/v1/household-files/{h.pk}/relocation"
    no_measure = post(client, path, {"item_id": relocation.pk})
    assert no_measure.status_code == 400 and "搬迁措施" in no_measure.json()["detail"]
    post(
        client,
        f"/api/v1/household-files/{h.pk}/measures",
        {"kind": "relocation", "year": TODAY.year, "project": "集中安置"},
    )
    wrong = post(client, path, {"item_id": other.pk})
    assert wrong.status_code == 400 and "县级专业文件材料第1条" in wrong.json()["detail"]
    assert post(client, path, {"item_id": relocation.pk}).status_code == 201
    assert RelocationLink.objects.get().item == relocation
    assert "王建国户搬迁安置协议" in client.get(f"/households/{h.pk}/").content.decode()
