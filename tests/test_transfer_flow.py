"""Build, sign and send a batch; the archives re-checks what arrived, refuses a tampered
package, accepts the real one into its independent fonds with provenance; custody moves
(issue 17)."""

import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fupin.audit.models import AuditEvent
from fupin.records.services import records_mark_access
from fupin.transfer import package
from fupin.transfer.models import Batch, Holding
from fupin.transfer.services import (
    batch_accept,
    batch_build,
    batch_drop_blocked,
    batch_plan,
    batch_return,
    batch_send,
)
from tests.transfer_fixtures import ready_fonds


def sent_batch(world):
    ready = ready_fonds(world)
    clerk = world.users["village_a"]
    batch = batch_plan(actor=clerk, unit_id=ready.unit.pk, years=(2018, 2018))
    with pytest.raises(ValidationError, match="尚未归档"):
        batch_build(actor=clerk, batch_id=batch.pk)
    assert Batch.objects.get(pk=batch.pk).status == "planned"
    assert batch_drop_blocked(actor=clerk, batch_id=batch.pk) == 1
    batch = batch_build(actor=clerk, batch_id=batch.pk)
    assert batch.status == "built" and batch.package_bytes > 0
    assert all(c["ok"] for c in batch.checks)
    bag = package.package_path(batch.package_name)
    assert (bag / "manifest-sm3.txt").is_file() and (bag / "bag-info.txt").is_file()
    with pytest.raises(ValidationError, match="负责人"):
        batch_send(actor=clerk, batch_id=batch.pk, leader="", name="")
    batch = batch_send(
        actor=clerk, batch_id=batch.pk, leader="张主任", name="王档案", opinion="齐全"
    )
    return ready, batch


def test_a_tampered_package_is_refused_and_the_real_one_taken_in(world):
    ready, batch = sent_batch(world)
    receiver = world.users["receiver_a"]
    bag = package.package_path(batch.package_name)
    original = bag.parent / "original-copy"
    shutil.copytree(bag, original)
    pdf = next(bag.glob("data/records/*/001-原件.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ValidationError) as refused:
        batch_accept(actor=receiver, batch_id=batch.pk, leader="刘馆长", name="赵接收")
    assert "SHA-256 摘要与清单不符" in str(refused.value)
    assert not Holding.objects.exists() and Batch.objects.get(pk=batch.pk).status == "sent"
    shutil.rmtree(bag)
    shutil.copytree(original, bag)
    with pytest.raises(PermissionDenied):
        batch_accept(actor=world.users["village_a"], batch_id=batch.pk, leader="x", name="y")
    batch = batch_accept(actor=receiver, batch_id=batch.pk, leader="刘馆长", name="赵接收")
    assert batch.status == "accepted" and batch.receiver_name == "赵接收"
    holdings = list(Holding.objects.filter(batch=batch).order_by("number"))
    assert [h.original_code for h in holdings] == [i.reference_code for i in ready.locked]
    assert holdings[0].archives_code == "A001-JF-WS·2018-Y-0001"
    assert {h.original_fonds_code for h in holdings} == {ready.unit.fonds_code}
    # Custody moved: the village still reads them but can no longer change them.
    clerk = world.client("village_a")
    assert clerk.get(f"/records/items/{ready.locked[0].pk}/").status_code == 200
    with pytest.raises(PermissionDenied, match="已移交进馆"):
        records_mark_access(
            actor=world.users["village_a"], unit_id=ready.unit.pk, marking="controlled",
            reason="改划", item_ids=[ready.locked[0].pk],
        )  # fmt: skip
    accepted = AuditEvent.objects.filter(action="transfer.accept")
    assert {e.region_code for e in accepted} == {ready.unit.region_id, "420322"}


def test_the_receiver_returns_with_reasons_per_record(world):
    ready, batch = sent_batch(world)
    with pytest.raises(ValidationError, match="退回理由"):
        batch_return(actor=world.users["receiver_a"], batch_id=batch.pk, reason=" ")
    with pytest.raises(Http404):  # another county's receiver does not even see it
        batch_return(actor=world.users["receiver_b"], batch_id=batch.pk, reason="不收")
    batch = batch_return(
        actor=world.users["receiver_a"], batch_id=batch.pk, reason="题名不规范",
        record_reasons={ready.locked[1].pk: "题名缺少责任者"},
    )  # fmt: skip
    assert batch.status == "returned"
    assert batch.items.get(item=ready.locked[1]).return_reason == "题名缺少责任者"
    assert not Holding.objects.exists()


def test_the_list_and_the_handover_record_print_as_pdf_and_xlsx(world):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fupin.transfer import printed

    ready, batch = sent_batch(world)
    batch = batch_accept(
        actor=world.users["receiver_a"], batch_id=batch.pk, leader="刘馆长", name="赵接收",
        opinion="同意接收",
    )  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.record_pdf(batch))).pages)
    for expected in ("档案交接文据", "赵接收", "王档案", "SHA-256、SM3", "真实性", "3 件", "通过"):
        assert expected in text, expected
    listing = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(printed.list_pdf(batch))).pages
    )
    assert all(i.reference_code in listing for i in ready.locked)
    sheet = load_workbook(io.BytesIO(printed.record_xlsx(batch))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "四性检测（接收）" in cells and "接收人" in cells and "赵接收" in cells
    rows = list(
        load_workbook(io.BytesIO(printed.list_xlsx(batch))).active.iter_rows(values_only=True)
    )
    assert sum(1 for r in rows if r[2] == "件") == 3
