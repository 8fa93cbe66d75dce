"""The household file keeps what its annex rows (村级 专业, 一户一档) say, not a fixed 永久:
changing those rows changes the documents' retention and the file's volume."""

import dataclasses

import pytest

from fupin.records.models import RecordItem, Volume
from fupin.schedule import annex
from tests.household_file_samples import V_A, attach, household, import_households


def _village_household_rows(printed: str, options: list[str]) -> tuple[annex.AnnexRow, ...]:
    return tuple(
        dataclasses.replace(row, retention_text=printed, retention_options=options)
        if (row.level, row.category) == ("village", "professional")
        else row
        for row in annex.shipped()
    )


def _file_two_documents(world, tmp_path, capsys) -> tuple[Volume, list[RecordItem], str]:
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    client = world.client("village_a")
    for number in (1, 3):
        assert attach(client, h, number).status_code == 302
    page = client.get(f"/households/{h.pk}/").content.decode()
    return Volume.objects.get(), list(RecordItem.objects.order_by("pk")), page


def test_the_shipped_annex_keeps_the_file_for_ever(world, tmp_path, capsys):
    volume, items, page = _file_two_documents(world, tmp_path, capsys)
    assert volume.reference_code in page
    assert (volume.category, volume.retention) == ("ZY", "Y")
    assert "-ZY·" in volume.reference_code and "-Y-" in volume.reference_code
    assert [(i.category, i.retention) for i in items] == [("ZY", "Y"), ("ZY", "Y")]


@pytest.mark.parametrize(
    ("printed", "options", "kept"),
    [("30年", ["D30"], "D30"), ("30年或10年", ["D30", "D10"], "D30")],
)
def test_a_changed_annex_row_changes_the_file(
    world, tmp_path, capsys, monkeypatch, printed, options, kept
):
    changed = _village_household_rows(printed, options)
    monkeypatch.setattr("fupin.schedule.services.shipped", lambda: changed)
    volume, items, page = _file_two_documents(world, tmp_path, capsys)
    # The longest the rows allow, for the documents and for the volume that holds them.
    assert [i.retention for i in items] == [kept, kept]
    assert volume.retention == kept and f"-{kept}-" in volume.reference_code
    assert volume.reference_code in page
