"""A retention option is declared once (fupin/schedule/retention.py): the volume form offers
exactly the declared options, so an option added there is offered with nothing else changed."""

from fupin.schedule import retention
from tests.records_fixtures import set_up_fonds

FIVE_YEARS = retention._Option("D5", "5年", 5, ("5年", "定期5年", "五年"))


def test_an_added_option_is_offered(world, monkeypatch):
    monkeypatch.setattr(retention, "_OPTIONS", (*retention._OPTIONS, FIVE_YEARS))
    unit = world.units["office_a"]
    set_up_fonds(unit)
    page = world.client("unit_a").get(f"/records/units/{unit.pk}/").content.decode()
    assert '<option value="D5">5年</option>' in page
    assert '<option value="Y">永久</option>' in page


def test_the_volume_form_offers_exactly_the_declared_options(world):
    unit = world.units["office_a"]
    set_up_fonds(unit)
    page = world.client("unit_a").get(f"/records/units/{unit.pk}/").content.decode()
    select = page.split('id="v-retention"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == len(retention.choices())
