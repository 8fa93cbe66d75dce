"""In the demo county the 2016 records kept 10 years end on 31 December 2026 and some of 2014
and 2015 have ended already: the expiring list and the custodian's home page show them. The
demo's villagers hold a certified copy and a household certificate that verify."""

import json
from datetime import date

from django.test import Client
from django.utils import timezone

from fupin.accounts.models import User
from fupin.cli import main
from fupin.disposal.models import Certificate


def test_demo_records_appear_as_expiring(db, capsys, settings):
    settings.DEMO_MODE = True
    assert main(["demo", "--json"]) == 0
    capsys.readouterr()
    assert main(["disposal", "expiring", "--months", "3", "--items", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ends = {(g["fonds_code"], g["year"]): g["ends_on"] for g in listed["groups"]}
    years = {year for _, year in ends}
    assert {2014, 2015, 2016} <= years
    assert all(ends[k] == "2026-12-31" for k in ends if k[1] == 2016)
    assert all(date.fromisoformat(ends[k]) < timezone.localdate() for k in ends if k[1] < 2016)
    titles = {i["title"] for i in listed["items"]}
    assert {"扶贫办机关值班安排表", "2014年扶贫办机关值班安排表"} <= titles
    assert "村两委扶贫工作例会签到表" in titles
    # 永久 records never come: only the ten-year ones of those years.
    assert {i["retention"] for i in listed["items"]} == {"D10"}

    clerk = Client()
    clerk.force_login(User.objects.get(username="danwei1"))
    home = clerk.get("/").content.decode()
    assert "5 件档案保管期限已满" in home
    page = clerk.get("/disposal/?months=3").content.decode()
    assert "2016年扶贫办公务用车登记簿" in page and "2026-12-31" in page
    assert "<td>10年</td>" in page and "<td>D10</td>" not in page  # as people say it
    assert "村两委" not in page  # the village's fonds is not the poverty office's custody

    # The villagers' certified copy and household certificate verify on the public page; the
    # household's, from a first registration import, states the year its sheet gives.
    certificates = {c.kind: c for c in Certificate.objects.all()}
    assert set(certificates) == {"copy", "household"}
    for certificate in certificates.values():
        verified = Client().get(f"/public/certificates/{certificate.code}/").content.decode()
        assert "该证明真实有效" in verified and certificate.number in verified
    household = certificates["household"].household
    assert household.identified_basis == "sheet" and 2014 <= household.identified_year <= 2016
    stated = f"于 {household.identified_year} 年经精准识别登记为建档立卡贫困户"
    assert stated in certificates["household"].statement
