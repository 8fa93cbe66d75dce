"""OAI-PMH at /public/oai: every verb answers a document valid against OAI-PMH.xsd and
oai_dc.xsd; bad verbs, arguments, dates and tokens get the protocol's own error codes; the
EAD3 finding aid of a fonds is valid against ead3.xsd."""

import pytest
from lxml import etree

from tests.disposal_public import opened_archive, schema

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


def ask(client, **params):
    response = client.get("/public/oai", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


@pytest.fixture
def oai_schema():
    return schema("OAI-PMH.xsd", "oai_dc.xsd")


def test_every_verb_is_valid_and_lists_only_open_records(world, client, oai_schema, settings):
    unit, items, secret = opened_archive(world, count=3)
    for params in (
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListSets"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": f"{unit.fonds_code}:2016"},
    ):
        doc = ask(client, **params)
        oai_schema.assertValid(doc)
        assert not doc.findall("o:error", NS), params
    doc = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    titles = [t.text for t in doc.iterfind(".//dc:title", NS)]
    assert sorted(titles) == sorted(i.title for i in items)
    assert secret.title not in etree.tostring(doc, encoding="unicode")
    first = doc.find(".//o:header/o:identifier", NS).text
    got = ask(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=first)
    oai_schema.assertValid(got)


def test_resumption_tokens_page_through_everything(world, client, oai_schema, monkeypatch):
    monkeypatch.setattr("fupin.disposal.oai.PAGE", 2)
    opened_archive(world, count=5)
    seen, token = [], None
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        doc = ask(client, verb="ListIdentifiers", **params)
        oai_schema.assertValid(doc)
        seen += [e.text for e in doc.iterfind(".//o:identifier", NS)]
        found = doc.find(".//o:resumptionToken", NS)
        token = found.text if found is not None else None
        if not token:
            break
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Explode"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2016-13-45"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2016-01-01",
                "until": "2016-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_errors_carry_the_protocol_codes(world, client, oai_schema, params, code):
    opened_archive(world, count=1)
    doc = ask(client, **params)
    oai_schema.assertValid(doc)
    assert [e.get("code") for e in doc.findall("o:error", NS)] == [code]


def test_the_fonds_finding_aid_is_valid_ead3(world, client):
    unit, items, secret = opened_archive(world, count=2)
    page = client.get(f"/public/catalogue/fonds/{unit.fonds_code}/")
    assert page.status_code == 200 and "EAD3" in page.content.decode()
    response = client.get(f"/public/catalogue/fonds/{unit.fonds_code}/ead.xml")
    assert response.status_code == 200
    doc = etree.fromstring(response.content)
    schema("ead3.xsd").assertValid(doc)
    text = response.content.decode()
    assert all(i.reference_code in text for i in items) and secret.title not in text
