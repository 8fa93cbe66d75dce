"""Villagers' own use: the village clerk registers a walk-in (查档登记, the ID number masked) and
prints a certificate (档案证明) from the household's file, watermarked, with a QR code. The QR
code leads to a public page that says only genuine or revoked, number, issuer and date; the
page is rate-limited; a revoked certificate says so; bad input changes nothing."""

import io

import cv2
import numpy
import pypdfium2
import pytest
from django.test import Client
from pypdf import PdfReader

from fupin.audit.models import AuditEvent
from fupin.disposal.models import Certificate, VerifyWindow, WalkIn
from fupin.disposal.verify import VERIFY_LIMIT
from fupin.households.models import Household
from tests.household_file_samples import V_A, attach, household, import_households


def qr_url(pdf: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil().convert("L")
    # The ArUco-based detector: the classic one misses about 1 code in 40 of these pages
    # (watermark text runs close by), which made this test fail at random.
    text, _points, _ = cv2.QRCodeDetectorAruco().detectAndDecode(numpy.array(image))
    return text


@pytest.fixture
def registered(world, tmp_path, capsys):
    found = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    # As the national registry records it: identified in 2016, out of poverty in 2019.
    Household.objects.filter(pk=found.pk).update(
        identified_year=2016, identified_basis="sheet", exit_year=2019, status="exited"
    )
    assert attach(world.client("village_a"), found, 1).status_code == 302
    found.refresh_from_db()
    return found


def test_walk_in_certificate_and_its_public_check(world, registered):
    clerk = world.client("village_a")
    committee = world.units["committee_a"]
    head_id = registered.members.get(relation="户主").id_number
    response = clerk.post(
        "/disposal/walkins/",
        {
            "unit": committee.pk, "visitor_name": registered.head_name, "id_number": head_id,
            "purpose": "办理子女助学贷款", "consulted": "本户一户一档",
            "household_no": registered.household_no, "copies": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    walk_in = WalkIn.objects.get()
    assert walk_in.id_masked == f"{head_id[:6]}********{head_id[-4:]}"
    listing = clerk.get("/disposal/walkins/").content.decode()
    assert walk_in.id_masked in listing and head_id not in listing
    assert head_id not in str(
        AuditEvent.objects.filter(action="disposal.walkin_register").get().after
    )

    response = clerk.post(
        "/disposal/certificates/",
        {"unit": committee.pk, "kind": "household", "household_no": registered.household_no,
         "walkin": walk_in.pk},
    )  # fmt: skip
    certificate = Certificate.objects.get()
    assert response.url == f"/disposal/certificates/{certificate.pk}/"
    assert "2016 年经精准识别登记为建档立卡贫困户" in certificate.statement
    assert "2019 年脱贫退出" in certificate.statement
    assert len(certificate.code) >= 24 and certificate.walk_in == walk_in

    pdf = clerk.get(f"/disposal/certificates/{certificate.pk}/certificate.pdf").content
    assert f"档案证明 {certificate.number}" in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]
    url = qr_url(pdf)
    assert url.endswith(f"/public/certificates/{certificate.code}/")

    public = Client()
    page = public.get(url.removeprefix("http://testserver"))
    text = page.content.decode()
    assert page.status_code == 200 and "该证明真实有效" in text
    assert certificate.number in text and committee.name in text
    for personal in (registered.head_name, registered.household_no, head_id[-4:], "2019"):
        assert personal not in text

    # Another village's clerk cannot see, print or revoke it.
    other = world.client("village_b")
    assert other.get(f"/disposal/certificates/{certificate.pk}/").status_code == 404
    assert (
        other.post(f"/disposal/certificates/{certificate.pk}/", {"reason": "x"}).status_code == 404
    )
    clerk.post(f"/disposal/certificates/{certificate.pk}/", {"reason": "户主信息填写有误"})
    text = public.get(url.removeprefix("http://testserver")).content.decode()
    assert "已被出具单位撤销" in text and "真实有效" not in text
    assert public.get("/public/certificates/not-a-real-code/").status_code == 404


def test_bad_input_is_refused_in_chinese_and_saves_nothing(world, registered):
    clerk = world.client("village_a")
    committee = world.units["committee_a"]
    base = {
        "unit": committee.pk,
        "visitor_name": "王建国",
        "purpose": "查档",
        "consulted": "花名册",
    }
    for wrong, message in (
        ({"id_number": "12345"}, "查档人身份证号有误"),
        ({"id_number": ""}, "请填写查档人身份证号"),
        ({"id_number": "420322********0011", "purpose": " "}, "请填写查档目的"),
        ({"id_number": "420322********0011", "household_no": "9999"}, "未找到户编号"),
    ):
        page = clerk.post("/disposal/walkins/", base | wrong, follow=True).content.decode()
        assert message in page
    assert not WalkIn.objects.exists()
    for wrong, message in (
        ({"kind": "household", "household_no": "42032210020200001"}, "未找到户编号"),
        ({"kind": "copy", "code": "无此档号"}, "没有档号"),
        ({"kind": "other"}, "证明类别只能是"),
    ):
        page = clerk.post("/disposal/certificates/", {"unit": committee.pk} | wrong, follow=True)
        assert message in page.content.decode()
    Household.objects.filter(pk=registered.pk).update(identified_year=None, exit_year=None)
    page = clerk.post(
        "/disposal/certificates/",
        {"unit": committee.pk, "kind": "household", "household_no": registered.household_no},
        follow=True,
    )
    assert "识别年度未登记" in page.content.decode()
    assert not Certificate.objects.exists()


def test_the_public_check_is_rate_limited_per_address(world, registered):
    public = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(VERIFY_LIMIT):
        assert public.get("/public/certificates/guess/").status_code == 404
    limited = public.get("/public/certificates/guess/")
    assert limited.status_code == 429 and "核验次数过多" in limited.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.10").get("/public/certificates/x/").status_code == 404
    assert VerifyWindow.objects.count() == 2
