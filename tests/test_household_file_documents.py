"""Filing documents in a household's file: one volume, checklist order, scans, undo, bad input."""

import io

from pypdf import PdfReader

from fupin.audit.models import AuditEvent
from fupin.households.models import Household, HouseholdDocument
from fupin.records.models import RecordItem, Volume
from tests.household_file_samples import V_A, attach, household, import_households
from tests.objects_samples import pdf


def test_clerk_files_documents_and_sees_the_checklist(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    assert (h.docs_required, h.docs_missing, h.file_complete) == (7, 7, False)
    client = world.client("village_a")
    scan = io.BytesIO(pdf(pages=2))
    scan.name = "申请书.pdf"
    response = attach(client, h, 3, pages=2, file=scan)
    assert response.status_code == 302
    attach(client, h, 1)
    page = client.get(f"/households/{h.pk}/").content.decode()
    assert "贫困户申请书及资格审核表" in page and "缺 5 项" in page

    h.refresh_from_db()
    assert (h.docs_required, h.docs_missing) == (7, 5)
    volume = Volume.objects.get()
    assert volume.category == "ZY" and volume.unit == world.units["committee_a"]
    # The volume lists the documents in the annex's order, with running page numbers.
    entries = list(volume.entries.order_by("seq").select_related("item"))
    assert [e.item.household_document.number for e in entries] == [1, 3]
    assert [(e.first_page, e.last_page) for e in entries] == [(1, 1), (2, 3)]
    item = RecordItem.objects.get(household_document__number=3)
    assert item.files.count() == 1 and item.schedule_row.number == "3"
    assert item.schedule_row.level == "village"

    cover = client.get(f"/records/volumes/{volume.pk}/cover.pdf")
    text = PdfReader(io.BytesIO(cover.content)).pages[0].extract_text()
    assert volume.reference_code in text and "王建国户" in text
    listing = client.get(f"/records/volumes/{volume.pk}/list.pdf")
    assert "贫困户申请书" in PdfReader(io.BytesIO(listing.content)).pages[0].extract_text()


def test_removing_a_document_is_undo(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    client = world.client("village_a")
    attach(client, h, 1)
    doc = HouseholdDocument.objects.get()
    response = client.post(f"/households/{h.pk}/documents/{doc.pk}/remove/")
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.docs_missing == 7 and not HouseholdDocument.objects.exists()
    assert not RecordItem.objects.exists()
    assert AuditEvent.objects.filter(action="households.document_remove").count() == 1


def test_bad_input_is_refused_and_nothing_is_written(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    client = world.client("village_a")
    for bad in ({"number": 16}, {"date": "2016-13-40"}, {"pages": 0}):
        response = attach(client, h, **({"number": 1} | bad))
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages and all("挂接" not in m for m in messages), messages
    api = client.post(
        f"/api/v1/household-files/{h.pk}/documents",
        {"number": 99, "date": "2016-03-01", "pages": 1},
    )
    assert api.status_code == 400 and "1–15" in api.json()["detail"]
    assert not HouseholdDocument.objects.exists() and not RecordItem.objects.exists()
    assert Household.objects.get().docs_missing == 7


def test_a_damaged_scan_leaves_no_document(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    damaged = io.BytesIO(b"%PDF-1.4 broken")
    damaged.name = "坏.pdf"
    response = attach(world.client("village_a"), h, 1, file=damaged)
    assert response.status_code == 302
    assert not HouseholdDocument.objects.exists() and not RecordItem.objects.exists()
    assert not Volume.objects.exists()


def test_other_village_cannot_file(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    assert attach(world.client("village_b"), h, 1).status_code == 404
    api = world.client("village_b").post(
        f"/api/v1/household-files/{h.pk}/documents",
        {"number": 1, "date": "2016-03-01", "pages": 1},
    )
    assert api.status_code == 404
    assert not HouseholdDocument.objects.exists()
