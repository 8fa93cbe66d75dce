"""No text typed by anyone becomes a formula in a spreadsheet the system writes (issue 14):
titles, names and summaries starting with = + - @ (or a tab/CR before one) stay text."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.tabular import Book, csv_bytes, write_table
from fupin.records.services import items_arrange
from tests.records_fixtures import file_item, set_up_fonds

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def _formula_cells(book_bytes: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(book_bytes))
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_workbook_keeps_hostile_text_as_text(text):
    book = Book()
    sheet = book.sheet("表")
    sheet.append(["题名", text])
    sheet.put(2, 1, text)
    stream = Book(streaming=True)
    stream.sheet("表").append([text])
    for data in (book.to_bytes(), stream.to_bytes()):
        assert _formula_cells(data) == []
        values = [
            c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row
        ]
        assert text in values


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_puts_hostile_text_behind_an_apostrophe(text):
    out = csv_bytes(["题名"], [[text], ["关于雨露计划的通知"], [-5], [3]]).decode("utf-8-sig")
    lines = out.splitlines()
    assert lines[0] == "题名"
    assert out.count("'") >= 1 and "关于雨露计划的通知" in out
    # Numbers stay numbers: only text is guarded.
    assert "-5" in lines and "3" in lines


def test_generated_tables_go_through_the_guard(tmp_path):
    for name in ("表.csv", "表.xlsx"):
        path = tmp_path / name
        assert write_table(path, ["姓名"], [["=1+1"], ["张三"]]) == 2
    assert "'=1+1" in (tmp_path / "表.csv").read_text(encoding="utf-8")
    assert _formula_cells((tmp_path / "表.xlsx").read_bytes()) == []


def test_catalogue_and_audit_exports_keep_a_hostile_title_as_text(world):
    unit = world.units["office_a"]
    classes = set_up_fonds(unit)
    title = HOSTILE[0]
    file_item(unit, classes["BGS"], title=title, day=date(2016, 3, 1))
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    catalogue = world.client("unit_a").get(
        f"/records/units/{unit.pk}/catalogue.xlsx",
        {"year": 2016, "category": "WS", "retention": "Y", "class": classes["BGS"].pk},
    )
    assert catalogue.status_code == 200
    assert _formula_cells(catalogue.content) == []
    assert _has_text(catalogue.content, title)

    auditor = world.client("auditor_a")
    xlsx = auditor.get(reverse("audit:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and _formula_cells(xlsx.content) == []
    assert _has_text(xlsx.content, title)
    rows = list(
        csv.reader(
            io.StringIO(
                auditor.get(reverse("audit:export", args=["csv"])).content.decode("utf-8-sig")
            )
        )
    )
    cells = [cell for row in rows for cell in row]
    assert any(title in cell for cell in cells)
    assert not [c for c in cells if c.lstrip("\t\r").startswith(("=", "+", "-", "@"))]


def _has_text(book_bytes: bytes, text: str) -> bool:
    book = load_workbook(io.BytesIO(book_bytes))
    return any(
        text in str(cell.value or "") for s in book.worksheets for r in s.iter_rows() for cell in r
    )


def test_household_todo_list_keeps_a_hostile_head_as_text(world, tmp_path, capsys):
    from tests.household_file_samples import V_A, import_households
    from tests.households_samples import household

    import_households(world, tmp_path, capsys, household(V_A, 1, 姓名=HOSTILE[1]))
    todo = world.client("township_a").get("/households/completeness/420322100/todo.xlsx")
    assert todo.status_code == 200 and _formula_cells(todo.content) == []
    assert _has_text(todo.content, HOSTILE[1])


def test_household_error_workbook_keeps_hostile_text_as_text(world, tmp_path):
    from tests.households_samples import COLUMNS, household
    from tests.test_households_import_page import V_A, upload

    rows = household(V_A, 1, 姓名=HOSTILE[0])
    rows[0]["证件号码"] = rows[0]["证件号码"][:17] + (
        "0" if rows[0]["证件号码"][-1] != "0" else "1"
    )
    client = world.client("township_a")
    sheet = tmp_path / "bad.xlsx"  # the name as text in the uploaded sheet, not a formula
    write_table(sheet, list(COLUMNS), [[row.get(c, "") for c in COLUMNS] for row in rows])
    page = upload(client, sheet).content.decode()
    token = page.split("/households/import/errors/")[1].split("/")[0]
    workbook = client.get(f"/households/import/errors/{token}/")
    body = b"".join(workbook.streaming_content)
    assert _formula_cells(body) == [] and _has_text(body, HOSTILE[0])


def test_records_import_error_workbook_keeps_hostile_text_as_text(world, tmp_path, capsys):
    from tests.test_records_import import GOOD, SCANS, line, run, write_catalogue, write_scans

    unit = world.units["office_a"]
    set_up_fonds(unit, classes=(("BGS", "办公室"), ("YWK", "业务科")))
    bad = line(7, "", "", HOSTILE[3], "2016.13.45", "", 1, "10年", "BGS", "1")
    catalogue = write_catalogue(tmp_path / "目录.xlsx", [*GOOD, bad])
    code, out = run(capsys, unit, catalogue, write_scans(tmp_path / "scans", SCANS))
    assert code == 2 and out["error_workbook"]
    with open(out["error_workbook"], "rb") as handle:
        body = handle.read()
    assert _formula_cells(body) == [] and _has_text(body, HOSTILE[3])


def test_quarterly_report_workbook_keeps_a_hostile_name_as_text(world, tmp_path):
    from fupin.regions.models import Region
    from tests.supervision_api import build
    from tests.supervision_fixtures import fill

    fill(world, tmp_path)
    Region.objects.filter(code="420322100201").update(name=HOSTILE[2])
    village = world.client("village_a")
    report = build(village, region_code="420322100201")
    xlsx = village.get(f"/supervision/reports/{report['id']}/report.xlsx")
    assert xlsx.status_code == 200 and _formula_cells(xlsx.content) == []
    assert _has_text(xlsx.content, HOSTILE[2])
