"""A township archivist imports the sheet from the browser or the API: the same checks, the
same all-or-nothing rule, and the error workbook only for the uploader."""

import io

from openpyxl import load_workbook

from fupin.households.models import Household, HouseholdChange
from tests.households_samples import household, write_sheet

V_A, V_B = "420322100201", "420322100202"


def upload(client, path, url="/households/import/", **extra):
    with path.open("rb") as handle:
        return client.post(url, {"file": handle, **extra}, follow=url.startswith("/households"))


def confirm(client, page: str):
    """Press 确认导入 on a preview page."""
    action = page.split('/apply/"')[0].rsplit('"', 1)[1] + "/apply/"
    digest = page.split('name="digest" value="')[1].split('"')[0]
    return client.post(action, {"digest": digest}, follow=True)


def test_township_imports_and_reimports_from_the_page(world, tmp_path):
    client = world.client("township_a")
    first = write_sheet(tmp_path / "2016.xlsx", household(V_A, 1) + household(V_B, 2))
    page = upload(client, first).content.decode()
    assert "确认导入" in page and not Household.objects.exists()
    page = confirm(client, page).content.decode()
    assert "已导入" in page and Household.objects.count() == 2
    second = write_sheet(
        tmp_path / "2017.xlsx", household(V_A, 1, 脱贫属性="已脱贫") + household(V_B, 2)
    )
    page = confirm(client, upload(client, second).content.decode()).content.decode()
    assert "查看本次变动明细" in page
    assert HouseholdChange.objects.filter(kind="exited").count() == 1


def test_errors_write_nothing_and_only_the_uploader_gets_the_workbook(world, tmp_path):
    rows = household(V_A, 1)
    ident = rows[1]["证件号码"]
    rows[1]["证件号码"] = ident[:17] + ("0" if ident[-1] != "0" else "1")
    bad = write_sheet(tmp_path / "bad.xlsx", rows)
    client = world.client("township_a")
    page = upload(client, bad).content.decode()
    assert "全部未导入" in page and "校验" in page
    assert not Household.objects.exists()
    token = page.split("/households/import/errors/")[1].split("/")[0]
    workbook = client.get(f"/households/import/errors/{token}/")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).worksheets[0]
    assert "错误" in [c.value for c in sheet[1]]
    assert world.client("county_a").get(f"/households/import/errors/{token}/").status_code == 404


def test_api_import_and_out_of_scope_villages(world, tmp_path):
    sheet = write_sheet(tmp_path / "a.xlsx", household(V_A, 1))
    data = upload(world.client("township_a"), sheet, "/api/v1/households/import").json()
    assert data["ok"] and data["imported_households"] == 1 and data["changes"] == {"新识别": 1}
    other = write_sheet(tmp_path / "b.xlsx", household(V_A, 3))
    refused = upload(world.client("village_b"), other, "/api/v1/households/import").json()
    assert not refused["ok"] and refused["batch_id"] is None and refused["error_workbook_url"]
    assert Household.objects.count() == 1
    wrong = tmp_path / "a.txt"
    wrong.write_text("x")
    response = upload(world.client("township_a"), wrong, "/api/v1/households/import")
    assert response.status_code == 400 and ".xls" in response.json()["detail"]
