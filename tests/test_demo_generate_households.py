"""A generated registration sheet keeps the national sheet's rules: valid unique IDs, head first."""

from collections import defaultdict
from datetime import date

import pytest

from fupin.cli import main
from fupin.demo.files import read_table

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HOUSEHOLD_ATTRIBUTES = {"一般贫困户", "低保贫困户", "特困供养贫困户"}
CAUSES = set(
    [
        "因病",
        "因残",
        "因学",
        "因灾",
        "因婚",
        "缺土地",
        "缺水",
        "缺技术",
        "缺劳力",
        "缺资金",
        "交通条件落后",
        "自身发展动力不足",
        "其他",
    ]
)
HEALTH = {"健康", "长期慢性病", "患有大病", "残疾"}
SKILLS = {"普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}
RELATIONS = set(
    [
        "户主",
        "配偶",
        "之子",
        "之女",
        "之孙子",
        "之孙女",
        "之父",
        "之母",
        "之儿媳",
        "之女婿",
        "之兄弟姐妹",
        "其他",
    ]
)
CHILDREN = {"之子", "之女"}


def valid_id(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def born(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


@pytest.fixture
def sheet(world, tmp_path) -> list[dict[str, str]]:
    out = tmp_path / "households.csv"
    assert main(["demo", "generate", "households", "--county", "420322",
                 "--households", "3000", "--out", str(out)]) == 0  # fmt: skip
    rows = read_table(out)
    header = next(rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_ids_valid_unique_and_sex_coded(sheet):
    ids = [row["证件号码"] for row in sheet]
    assert all(valid_id(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("420322") for i in ids)
    men = [row for row in sheet if row["与户主关系"] in {"之子", "之父", "之孙子"}]
    assert men and all(int(row["证件号码"][16]) % 2 == 1 for row in men)


def test_head_first_and_sizes_match(sheet):
    households: dict[str, list[dict[str, str]]] = defaultdict(list)
    order = []
    for row in sheet:
        if row["户编号"] not in households:
            order.append(row["户编号"])
        households[row["户编号"]].append(row)
    assert len(order) == 3000
    sizes = []
    for number in order:
        members = households[number]
        assert members[0]["与户主关系"] == "户主"
        assert [m["与户主关系"] for m in members].count("户主") == 1
        assert int(members[0]["人数"]) == len(members)
        assert members[0]["联系电话"][:1] == "1" and len(members[0]["联系电话"]) == 11
        assert members[0]["联系电话"][1] in "3456789"
        sizes.append(len(members))
    assert set(sizes) <= set(range(1, 7))
    assert 2.7 < sum(sizes) / len(sizes) < 3.6


def test_children_a_generation_younger(sheet):
    heads = {}
    for row in sheet:
        if row["与户主关系"] == "户主":
            heads[row["户编号"]] = born(row["证件号码"])
        elif row["与户主关系"] in CHILDREN:
            years = (born(row["证件号码"]) - heads[row["户编号"]]).days / 365.25
            assert years >= 17


def test_code_lists(sheet):
    assert {row["贫困户属性"] for row in sheet} <= HOUSEHOLD_ATTRIBUTES
    assert {row["主要致贫原因"] for row in sheet} <= CAUSES
    assert {row["健康状况"] for row in sheet} <= HEALTH
    assert {row["劳动技能"] for row in sheet} <= SKILLS
    assert {row["与户主关系"] for row in sheet} <= RELATIONS
    assert {row["县(市、区)"] for row in sheet} == {"郧西县"}
    assert {row["乡(镇)"] for row in sheet} <= {"城关镇", "土门镇"}
    assert all(float(row["人均纯收入"]) > 0 for row in sheet)
