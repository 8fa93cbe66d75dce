"""The sheet is checked whole first: with any error nothing is written and the rows are named."""

from fupin.households.models import Household, HouseholdChange, ImportBatch, Person
from tests.households_samples import error_column, household, run_import, write_sheet

V_A = "420322100201"


def test_clean_sheet_imports_households_and_members(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_A, 2, size=1) + household("420322100202", 3, size=4)
    code, report = run_import(capsys, write_sheet(tmp_path / "clean.xlsx", rows))
    assert code == 0, report
    assert report["imported_households"] == 3 and report["people"] == 8
    assert report["changes"] == {"新识别": 3}
    assert Household.objects.count() == 3 and Person.objects.count() == 8
    first = Household.objects.get(household_no=f"{V_A}00001")
    assert (first.head_name, first.size, first.village_id) == ("王建国", 3, V_A)
    assert first.get_status_display() == "贫困户" and first.phone == "13912345678"


def test_defects_are_reported_on_their_rows_and_nothing_is_written(world, tmp_path, capsys):
    rows = household(V_A, 1)  # rows 2–4, clean
    bad_check = household(V_A, 2)  # rows 5–7
    bad_check[1]["证件号码"] = bad_check[1]["证件号码"][:17] + (
        "0" if bad_check[1]["证件号码"][17] != "0" else "1"
    )
    duplicate = household(V_A, 3)  # rows 8–10
    duplicate[2]["证件号码"] = rows[0]["证件号码"]
    headless = household(V_A, 4)[1:]  # rows 11–12
    unknown_code = household(V_A, 5, size=1, 健康状况="很好")  # row 13
    unknown_village = household(V_A, 6, size=1, 行政村="不存在村")  # row 14
    path = write_sheet(
        tmp_path / "dirty.xlsx",
        rows + bad_check + duplicate + headless + unknown_code + unknown_village,
    )
    code, report = run_import(capsys, path)
    assert code == 2
    assert report["batch_id"] is None and report["error_rows"] == 6
    assert not Household.objects.exists() and not Person.objects.exists()
    assert not ImportBatch.objects.exists() and not HouseholdChange.objects.exists()
    assert report["error_workbook"].endswith("dirty-错误.xlsx")
    errors = error_column(tmp_path / "dirty-错误.xlsx")
    assert errors[2] == errors[3] == errors[4] == ""
    assert "校验码错误" in errors[6]
    assert "与第 2 行重复" in errors[10]
    assert "缺少户主行" in errors[11] and "缺少户主行" in errors[12]
    assert "健康状况“很好”不在代码表中" in errors[13]
    assert "区划中没有“郧西县城关镇不存在村”" in errors[14]


def test_skip_invalid_imports_the_good_households_whole(world, tmp_path, capsys):
    good = household(V_A, 1)
    bad = household(V_A, 2)
    bad[2]["证件号码"] = "420322199001011234"  # wrong check digit on a member row
    path = write_sheet(tmp_path / "mixed.xlsx", good + bad)
    code, report = run_import(capsys, path, "--skip-invalid")
    assert code == 2
    assert report["imported_households"] == 1 and report["skipped_households"] == 1
    assert list(Household.objects.values_list("household_no", flat=True)) == [f"{V_A}00001"]
    # A household with one bad row is skipped whole: its good rows are not imported either.
    assert Person.objects.count() == 3
    errors = error_column(tmp_path / "mixed-错误.xlsx")
    assert "整户未导入" in errors[5] and "校验码错误" in errors[7]


def test_id_numbers_are_normalised(world, tmp_path, capsys):
    rows = household(V_A, 1, size=4)
    ids = [r["证件号码"] for r in rows]
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    rows[0]["证件号码"] = ids[0].translate(full_width)
    rows[1]["证件号码"] = f"{ids[1][:6]} {ids[1][6:14]} {ids[1][14:]}"
    old = "420322" + "600301" + "123"  # 15 digits: born 1960-03-01
    rows[2]["证件号码"] = old
    rows[3]["证件号码"] = ids[3].lower()
    code, report = run_import(capsys, write_sheet(tmp_path / "forms.xlsx", rows))
    assert code == 0, report
    stored = set(Person.objects.values_list("id_number", flat=True))
    assert ids[0] in stored and ids[1] in stored and ids[3].upper() in stored
    upgraded = next(i for i in stored if i.startswith("42032219600301123"))
    assert len(upgraded) == 18
    assert any("15 位旧证件号码" in w["message"] for w in report["warnings"])


def test_lower_case_x_is_accepted(world, tmp_path, capsys):
    from fupin.demo.idnumbers import check_digit

    first17 = next(
        f"42032219700101{n:03d}"
        for n in range(1, 999)
        if check_digit(f"42032219700101{n:03d}") == "X"
    )
    rows = household(V_A, 1, size=1)
    rows[0]["证件号码"] = first17 + "x"
    code, report = run_import(capsys, write_sheet(tmp_path / "x.xlsx", rows))
    assert code == 0, report
    assert Person.objects.get().id_number == first17 + "X"


def test_an_id_already_in_the_registry_is_refused(world, tmp_path, capsys):
    first = household(V_A, 1)
    assert run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))[0] == 0
    other = household("420322100202", 7, size=1)
    other[0]["证件号码"] = first[1]["证件号码"]
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", other))
    assert code == 2
    assert "已登记在户 420322100201" in report["errors"][0]["message"]
    assert Household.objects.count() == 1


def test_village_outside_scope_is_refused_for_a_signed_in_importer(world, tmp_path):
    from fupin.households.registry.services import households_import

    path = write_sheet(tmp_path / "b.xlsx", household("420322100202", 1))
    report = households_import(actor=world.users["village_a"], path=path)
    assert report.error_rows == 1 and "不在您的录入范围内" in report.errors[0]["message"]
    assert not Household.objects.exists()


def test_a_rows_village_is_found_by_names_or_by_code(world):
    """A county's villages are read at once now; what each place resolves to is as before."""
    from fupin.accounts.access import EVERYTHING
    from fupin.households.registry.importing import VillageResolver
    from fupin.regions.models import Level, Region

    Region.objects.create(
        code="420322100203", name="东岭村", level=Level.VILLAGE, parent=world.regions["420322100"]
    )
    resolver = VillageResolver(EVERYTHING)
    assert resolver.resolve(("郧西县", "城关镇", "西岭村", "")) == ("420322100202", "")
    assert resolver.resolve(("420322", "城关镇", "西岭村", "")) == ("420322100202", "")
    assert resolver.resolve(("竹山县", "城关镇", "北坡村", "")) == ("420323100201", "")
    assert (
        "“郧西县城关镇东岭村”对应多个行政村"
        in resolver.resolve(("郧西县", "城关镇", "东岭村", ""))[1]
    )
    assert (
        "区划中没有“郧西县土门镇西岭村”" in resolver.resolve(("郧西县", "土门镇", "西岭村", ""))[1]
    )
    assert resolver.resolve(("", "", "", "420322101201")) == ("420322101201", "")
    for code in ("420322101", "420322101299", "42032210120X"):  # a township; unknown; not digits
        assert f"区划中没有“行政村代码 {code}”" in resolver.resolve(("", "", "", code))[1]
