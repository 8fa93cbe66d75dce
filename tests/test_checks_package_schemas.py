"""The package's METS is valid METS 1.12.1 and its PREMIS objects and events valid PREMIS 3,
checked against the schemas in ../shared/schemas (offline: no schema is fetched)."""

import copy

import pytest
from lxml import etree

from fupin.checks.package.build import package_build
from tests.checks_fixtures import archived_items, household_file
from tests.conftest import shared_path

METS = "{http://www.loc.gov/METS/}"
PREMIS = "http://www.loc.gov/premis/v3"


class _Offline(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url.startswith(("http:", "https:", "ftp:")):
            raise AssertionError(f"schema asked for a remote file: {url}")
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    return parser


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_path("schemas", name)), _parser()))


def _mets_and_premis() -> etree.XMLSchema:
    """METS with PREMIS known too, as a reader following the document's schemaLocation has
    them: the PREMIS inside METS (xsi:type="premis:file") is then validated, not skipped."""
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{shared_path("schemas", name).as_uri()}"/>'
        for ns, name in (("http://www.loc.gov/METS/", "mets.xsd"), (PREMIS, "premis.xsd"))
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:fupin:schemas">{imports}</xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), _parser()))


@pytest.fixture
def mets(world, tmp_path):
    items = archived_items(world)
    found = household_file(world, tmp_path)
    dest = tmp_path / "bag"
    package_build(items=items, households=[found], meta={"sender": "东岭村委会"}, dest=dest)
    return etree.parse(str(dest / "metadata" / "mets.xml"))


def test_mets_is_valid_against_mets_1_12_1(mets):
    schema = _mets_and_premis()
    assert schema.validate(mets), schema.error_log
    root = mets.getroot()
    originals = root.findall(f".//{METS}fileGrp[@USE='original']/{METS}file")
    assert len(originals) == 3
    kinds = [d.get("TYPE") for d in root.iter(f"{METS}div")]
    assert kinds.count("item") == 4 and kinds.count("household") == 1


def test_premis_objects_and_events_are_valid_premis_3(mets):
    schema = _schema("premis.xsd")
    objects = mets.getroot().findall(f".//{{{PREMIS}}}object")
    events = mets.getroot().findall(f".//{{{PREMIS}}}event")
    assert len(objects) == 3
    premis = etree.Element(f"{{{PREMIS}}}premis", nsmap={"premis": PREMIS}, version="3.0")
    premis.extend(copy.deepcopy(e) for e in objects + events)
    document = etree.fromstring(etree.tostring(premis))
    assert schema.validate(document), schema.error_log
    algorithms = {a.text for a in document.iter(f"{{{PREMIS}}}messageDigestAlgorithm")}
    assert algorithms == {"SHA-256", "SM3"}
    types = {t.text for t in document.iter(f"{{{PREMIS}}}eventType")}
    assert types == {"capture", "fixity check", "accession", "transfer"}


def test_a_broken_mets_is_rejected_by_the_same_schema(mets):
    root = mets.getroot()
    root.remove(root.find(f"{METS}structMap"))
    assert not _mets_and_premis().validate(mets)


def test_a_broken_premis_object_inside_mets_is_rejected(mets):
    characteristics = mets.getroot().find(f".//{{{PREMIS}}}objectCharacteristics")
    characteristics.remove(characteristics.find(f"{{{PREMIS}}}format"))
    assert not _mets_and_premis().validate(mets)
