"""贫困县/贫困村 flags and exit years: set from the CLI or by the county's system administrator."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.regions.models import Region
from fupin.regions.services import region_set_poverty


def flag(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["regions", "flag", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_flags_a_county_with_its_exit_year(world, capsys):
    code, out, _ = flag(capsys, "420322", "--poor", "--exit-year", "2019", "--json")
    assert code == 0
    assert json.loads(out) == {"code": "420322", "is_poor": True, "exit_year": 2019}
    event = AuditEvent.objects.filter(action="region.poverty").latest("seq")
    assert event.region_code == "420322"
    assert event.after == {"is_poor": True, "exit_year": 2019}
    assert "贫困县（2019年摘帽）" in flag(capsys, "420322", "--poor", "--exit-year", "2019")[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["420322100", "--poor"], "只有县（市、区）和村可以标记贫困"),
        (["420322100201", "--not-poor", "--exit-year", "2018"], "未标记为贫困"),
        (["420322100201", "--poor", "--exit-year", "2030"], "2013–2020"),
        (["999999", "--poor"], "区划 999999 不存在"),
    ],
)
def test_cli_refuses_bad_flags(world, capsys, argv, message):
    code, _, err = flag(capsys, *argv)
    assert code == 2
    assert message in err
    assert not AuditEvent.objects.filter(action="region.poverty").exists()


def test_only_the_county_sysadmin_may_flag_its_villages(world):
    village = "420322100201"
    with pytest.raises(Http404):
        region_set_poverty(actor=world.users["sysadmin_b"], code=village, is_poor=False)
    with pytest.raises(Http404):
        region_set_poverty(actor=world.users["village_a"], code=village, is_poor=False)
    region_set_poverty(actor=world.users["sysadmin_a"], code=village, is_poor=True, exit_year=2018)
    assert Region.objects.get(code=village).poverty_label == "贫困村（2018年出列）"
    with pytest.raises(ValidationError):
        region_set_poverty(
            actor=world.users["sysadmin_a"], code=village, is_poor=False, exit_year=2018
        )
