"""Every download names its file in Chinese in a form every browser reads (RFC 6266/5987)."""

from urllib.parse import unquote

from fupin.records.models import Volume
from tests.test_records_volumes import make_volume, project_items  # noqa: F401


def saved_name(response) -> str:
    """The name a browser saves under: `filename*=utf-8''…` wins over a bare `filename`."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment;"), header
    marker = "filename*=utf-8''"
    assert marker in header, f"没有 filename*：{header}"
    return unquote(header.split(marker, 1)[1])


def test_volume_cover_downloads_as_chinese_name(world, project_items):  # noqa: F811
    unit, items = project_items
    make_volume(world, unit, items)
    volume = Volume.objects.get()
    response = world.client("unit_a").get(f"/records/volumes/{volume.pk}/cover.pdf")
    assert saved_name(response) == f"案卷封面-{volume.reference_code}.pdf"


def test_audit_export_and_todo_list_keep_chinese_names(world):
    audit = world.client("auditor_a").get("/audit/export.csv")
    assert saved_name(audit).startswith("审计日志-") and saved_name(audit).endswith(".csv")
    todo = world.client("township_a").get("/households/completeness/420322100/todo.xlsx")
    assert saved_name(todo) == "一户一档缺项清单-城关镇-420322100.xlsx"
