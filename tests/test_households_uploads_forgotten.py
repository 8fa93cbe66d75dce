"""Uploaded registration sheets and error workbooks carry full ID numbers: the sheet is
deleted as soon as its import is done (or failed), and whatever is left of the upload — the
error workbook included — after FUPIN_UPLOAD_KEEP_MINUTES; until then the workbook's link
works for its owner only, afterwards for nobody."""

import os
import time
from pathlib import Path

import pytest

from fupin.worker.beats import beats_run_due
from tests.households_samples import household, write_sheet
from tests.test_households_import_page import V_A, confirm, upload


@pytest.fixture
def imports(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.FUPIN_UPLOAD_KEEP_MINUTES = 30
    return tmp_path / "data" / "imports"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != "job.json")


def age(folder: Path, minutes: float) -> None:
    then = time.time() - minutes * 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (then, then))


def bad_rows():
    rows = household(V_A, 1) + household(V_A, 2)
    ident = rows[1]["证件号码"]
    rows[1]["证件号码"] = ident[:17] + ("0" if ident[-1] != "0" else "1")
    return rows


def test_sheet_goes_once_imported_and_the_workbook_at_expiry(world, imports, tmp_path):
    client = world.client("township_a")
    sheet = write_sheet(tmp_path / "bad.xlsx", bad_rows())
    page = upload(client, sheet, skip_invalid="1").content.decode()
    assert "确认导入" in page
    [job] = list(imports.iterdir())
    assert "bad.xlsx" in files_in(job)
    page = confirm(client, page).content.decode()
    assert "已导入" in page
    assert files_in(job) == ["bad-错误.xlsx"]  # the uploaded sheet is gone
    link = f"/households/import/errors/{job.name}/"
    assert client.get(link).status_code == 200
    assert world.client("county_a").get(link).status_code == 404

    age(job, 31)
    gone = client.get(link)
    assert gone.status_code == 404
    assert not job.exists()


def test_the_beat_clears_unconfirmed_previews(world, imports, tmp_path, capsys):
    client = world.client("township_a")
    upload(client, write_sheet(tmp_path / "a.xlsx", household(V_A, 1)))
    [job] = list(imports.iterdir())
    beats_run_due()
    assert job.exists()  # within the keeping time
    age(job, 31)
    from django.utils import timezone

    beats_run_due(now=timezone.now() + timezone.timedelta(minutes=6))
    assert not job.exists()


def test_a_refused_upload_keeps_nothing_of_the_sheet(world, imports):
    import io

    client = world.client("township_a")
    handle = io.BytesIO(b"\x00\x01binary" * 100)
    handle.name = "binary.csv"
    page = client.post("/households/import/", {"file": handle}, follow=True).content.decode()
    assert "预览失败" in page
    [job] = list(imports.iterdir())
    assert files_in(job) == []
