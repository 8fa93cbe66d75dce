"""The one retention rule: a period runs from 1 January after the record's year, so a 2016
record kept 10 years is kept through 31 December 2026; 永久 never ends (issues 18, 19)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fupin.records.models import RecordItem
from fupin.schedule import retention
from tests.records_fixtures import file_item, set_up_fonds


@pytest.mark.parametrize(
    ("year", "code", "last_day"),
    [(2016, "D10", date(2026, 12, 31)), (2016, "D30", date(2046, 12, 31)), (2016, "Y", None)],
)
def test_the_last_day_of_keeping(year, code, last_day):
    assert retention.ends_on(year, code) == last_day


def test_keeping_ends_on_its_last_day_not_before():
    assert not retention.has_ended(2016, "D10", date(2026, 12, 30))
    assert retention.has_ended(2016, "D10", date(2026, 12, 31))
    assert retention.has_ended(2016, "D10", date(2027, 1, 1))
    assert not retention.has_ended(1950, "Y", date(2999, 12, 31))


def test_years_kept_so_far():
    assert retention.kept_years(2016, date(2016, 12, 31)) == 0
    assert retention.kept_years(2016, date(2017, 1, 1)) == 0
    assert retention.kept_years(2016, date(2026, 12, 30)) == 9
    assert retention.kept_years(2016, date(2026, 12, 31)) == 10


@pytest.mark.parametrize(
    ("text", "code"),
    [("永久", "Y"), ("Y", "Y"), ("y", "Y"), ("定期30年", "D30"), ("３０年", "D30"),
     (" 10 年", "D10"), ("D10", "D10"), ("十年", "D10"), ("5年", None), ("", None), (None, None)],
)  # fmt: skip
def test_spellings_offices_write(text, code):
    assert retention.parse(text) == code


def test_longer_and_not_shorter():
    assert retention.longer("D10", "D30") == "D30"
    assert retention.longest(["D10", "Y", "D30"]) == "Y"
    assert retention.options_from_text("永久或30年") == ["Y", "D30"]
    assert retention.options_from_text("按有关规定执行") == ["Y", "D30", "D10"]
    retention.require_not_shorter(["D30", "D10"], ["D30"])
    with pytest.raises(ValidationError, match="不能短于"):
        retention.require_not_shorter(["Y"], ["D30"])


def test_the_query_matches_the_rule_at_its_edges(world):
    unit = world.units["office_a"]
    klass = set_up_fonds(unit)["BGS"]
    made = {}
    for year, code, number in [(2016, "D10", "49"), (2017, "D10", "49"), (2016, "D30", "48"),
                               (1990, "Y", "1")]:  # fmt: skip
        item = file_item(unit, klass, day=date(year, 3, 1), retention=code, number=number)
        made[(year, code)] = item.pk
    for day in (date(2026, 12, 30), date(2026, 12, 31), date(2027, 12, 31), date(2046, 12, 31)):
        found = set(
            RecordItem.objects.filter(retention.ending_by_q(day)).values_list("pk", flat=True)
        )
        expected = {pk for (year, code), pk in made.items() if retention.has_ended(year, code, day)}
        assert found == expected, day
    assert made[(2016, "D10")] in found and made[(1990, "Y")] not in found
