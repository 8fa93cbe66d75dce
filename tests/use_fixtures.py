"""Items of 东岭村 (village_a's fonds) with scans, for the use (利用) tests."""

import io

from fupin.records.files import item_attach
from fupin.records.services import items_arrange
from tests import objects_samples
from tests.records_fixtures import file_item, set_up_fonds


def village_a_items(world, *titles: str, secrecy: str = "") -> list:
    """Numbered items of committee_a, each with a one-page PDF scan naming its title."""
    unit = world.units["committee_a"]
    classes = set_up_fonds(unit)
    made = [
        file_item(unit, classes["BGS"], level="village", title=t, secrecy=secrecy) for t in titles
    ]
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    for item in made:
        scan = io.BytesIO(objects_samples.pdf(text=f"scan {item.pk}"))
        item_attach(actor=None, item_id=item.pk, stream=scan, filename="扫描件.pdf")
        item.refresh_from_db()
    return made


def attach(item, data: bytes, filename: str):
    attached, _, _ = item_attach(
        actor=None, item_id=item.pk, stream=io.BytesIO(data), filename=filename
    )
    return attached
