"""Every coded column takes the national system's own spellings across the years; code lists
are data, and the system administrator adds an alias on a page, no code change."""

from fupin.audit.models import AuditEvent
from fupin.households.models import CodeAlias, Household, Person
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


def test_national_spellings_import_as_the_registry_stores_them(world, tmp_path, capsys):
    rows = household(V_A, 1, size=4, 贫困户属性="五保户", 主要致贫原因="因病致贫")
    rows[0].update(与户主关系="本人", 在校生状况="非在校生", 务工状况="未务工", 危房户="非危房")
    rows[1].update(与户主关系="妻子", 劳动技能="弱劳动力", 健康状况="  长期慢性病 ")
    rows[2].update(在校生状况="初中在读", 务工状况="乡(镇)外县内务工")  # half-width brackets
    rows[3].update(在校生状况="ｎ/ａ", 文化程度="大专")  # unknown: full-width n/a
    code, report = run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))
    assert code == 2 and report["error_rows"] == 1
    message = report["errors"][0]["message"]
    assert report["errors"][0]["row"] == 5
    assert "在校生状况“ｎ/ａ”不在代码表中" in message
    assert "应为：学前教育、小学、初中、高中、中职、大专、本科及以上，或留空" in message
    assert "最接近的是" in message

    rows[3]["在校生状况"] = "不适用"
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", rows))
    assert code == 0, report
    found = Household.objects.get()
    assert (found.attribute, found.main_cause, found.dilapidated_house) == (
        "特困供养贫困户",
        "因病",
        False,
    )
    people = {p.name: p for p in Person.objects.all()}
    head = people["王建国"]
    assert (head.relation, head.schooling, head.work_status) == ("户主", "", "")
    assert (people["李秀兰"].relation, people["李秀兰"].labour_skill) == (
        "配偶",
        "弱劳动力或半劳动力",
    )
    assert people["李秀兰"].health == "长期慢性病"
    assert (people["王伟"].schooling, people["王伟"].work_status) == ("初中", "乡（镇）外县内务工")
    assert people["王婷"].education == "大专及以上"

    # The same people written the newer way and the older way are the same registry.
    again = household(V_A, 1, size=4, 贫困户属性="特困供养贫困户", 主要致贫原因="因病")
    again[0].update(在校生状况="", 危房户="否")
    again[1].update(与户主关系="配偶", 劳动技能="弱劳动力或半劳动力", 健康状况="长期慢性病")
    again[2].update(在校生状况="初中", 务工状况="乡（镇）外县内务工")
    again[3].update(文化程度="大专及以上")
    code, report = run_import(capsys, write_sheet(tmp_path / "c.xlsx", again))
    assert code == 0 and report["changes"] == {}, report


def test_sysadmin_adds_an_alias_on_the_page(world, tmp_path, capsys):
    rows = household(V_A, 1, size=1)
    rows[0]["在校生状况"] = "离校"
    path = write_sheet(tmp_path / "a.xlsx", rows)
    assert run_import(capsys, path)[0] == 2

    clerk = world.client("township_a")
    assert (
        clerk.post("/households/codes/", {"column": "schooling", "alias": "离校"}).status_code
        == 403
    )
    admin = world.client("sysadmin_a")
    page = admin.get("/households/codes/").content.decode()
    assert "非在校生→（空）" in page and "添加别名" in page
    response = admin.post(
        "/households/codes/", {"column": "schooling", "alias": "离校", "value": ""}
    )
    assert response.status_code == 302
    assert CodeAlias.objects.filter(column="schooling", alias="离校", value="").exists()
    assert AuditEvent.objects.filter(action="households.code_alias_add").count() == 1
    code, report = run_import(capsys, path)
    assert code == 0, report


def test_a_bad_alias_is_refused_and_nothing_is_added(world):
    admin = world.client("sysadmin_a")
    before = CodeAlias.objects.count()
    for data, expected in [
        ({"column": "schooling", "alias": "非在校生", "value": ""}, "已可识别"),
        ({"column": "schooling", "alias": "读书中", "value": "博士"}, "不是在校生状况的代码值"),
        ({"column": "nosuch", "alias": "x", "value": ""}, "没有名为"),
        ({"column": "health", "alias": "  ", "value": "健康"}, "别名不能为空"),
    ]:
        page = admin.post("/households/codes/", data, follow=True).content.decode()
        assert expected in page, data
    assert CodeAlias.objects.count() == before
    assert not AuditEvent.objects.filter(action="households.code_alias_add").exists()
