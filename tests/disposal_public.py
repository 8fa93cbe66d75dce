"""Opened records at the archives, and the schemas that check what is published."""

from pathlib import Path

from lxml import etree

from fupin.disposal.services import opening_decide
from fupin.records.services import records_mark_access
from tests.conftest import shared_path
from tests.disposal_fixtures import archives
from tests.records_fixtures import file_item, set_up_fonds


def opened_archive(world, count: int = 3):
    unit = archives(world)
    klass = set_up_fonds(unit)["BGS"]
    from fupin.records.services import items_arrange, items_lock

    items = [file_item(unit, klass, title=f"扶贫工作简报第{n}期") for n in range(1, count + 1)]
    secret = file_item(unit, klass, title="张三户贫困户申请书")
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in [*items, secret]])
    for item in [*items, secret]:
        item.refresh_from_db()
    records_mark_access(
        actor=None,
        unit_id=unit.pk,
        marking="open",
        reason="无个人信息",
        item_ids=[i.pk for i in items],
    )
    opening_decide(
        actor=world.users["receiver_a"],
        item_ids=[i.pk for i in items],
        decision="open",
        reason="可开放",
    )
    return unit, items, secret


def schema(*names: str) -> etree.XMLSchema:
    """One schema importing the named ones from ../shared/schemas (offline)."""
    folder = shared_path("schemas")
    targets = {
        "OAI-PMH.xsd": "http://www.openarchives.org/OAI/2.0/",
        "oai_dc.xsd": "http://www.openarchives.org/OAI/2.0/oai_dc/",
        "ead3.xsd": "http://ead3.archivists.org/schema/",
    }
    imports = "".join(
        f'<xs:import namespace="{targets[n]}" schemaLocation="{(Path(folder) / n).as_uri()}"/>'
        for n in names
    )
    text = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(text.encode(), parser, base_url=str(folder) + "/"))
