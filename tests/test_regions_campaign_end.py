"""The campaign's end (精准扶贫工作结束) is set on a province, city or county and inherited by
every region below it unless set lower (issue 17)."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.regions.selectors import campaign_end
from fupin.regions.services import region_campaign_end_set


def test_a_city_setting_reaches_its_villages_unless_a_county_sets_its_own(world):
    region_campaign_end_set(
        actor=world.users["office_city"], code="4203", ended_on=date(2020, 12, 31),
        transfer_due_on=date(2027, 6, 30),
    )  # fmt: skip
    village = campaign_end("420322100201")
    assert village and village.ended_on == date(2020, 12, 31) and village.set_on == "4203"
    region_campaign_end_set(
        actor=world.users["county_a"], code="420322", ended_on=date(2020, 6, 30)
    )
    assert campaign_end("420322100201").set_on == "420322"
    assert campaign_end("420322100201").transfer_due_on is None
    assert campaign_end("420323100201").ended_on == date(2020, 12, 31)
    assert campaign_end("42").__class__ is type(None)
    assert AuditEvent.objects.filter(action="region.campaign_end").count() == 2


def test_only_the_poverty_office_of_the_region_sets_it(world):
    with pytest.raises(Http404):
        region_campaign_end_set(
            actor=world.users["county_b"], code="420322", ended_on=date(2020, 12, 31)
        )
    with pytest.raises((PermissionDenied, Http404)):
        region_campaign_end_set(
            actor=world.users["village_a"], code="420322", ended_on=date(2020, 12, 31)
        )
    assert campaign_end("420322") is None


def test_townships_and_villages_follow_the_county(world):
    with pytest.raises(ValidationError, match="随上级设定"):
        region_campaign_end_set(actor=None, code="420322100", ended_on=date(2020, 12, 31))
    with pytest.raises(ValidationError, match="不能早于"):
        region_campaign_end_set(
            actor=None, code="420322", ended_on=date(2020, 12, 31), transfer_due_on=date(2020, 1, 1)
        )
    assert campaign_end("420322100") is None


def test_the_command_line_sets_and_clears_it(world, capsys):
    assert main(["regions", "campaign-end", "420322", "--ended", "2020-12-31",
                 "--due", "2026-12-31", "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out == {"code": "420322", "ended_on": "2020-12-31", "transfer_due_on": "2026-12-31",
                   "set_on": "420322"}  # fmt: skip
    assert main(["regions", "campaign-end", "420322", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ended_on"] is None
