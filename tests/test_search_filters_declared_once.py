"""The search filters are declared once (fupin/search/filters.py): the page's form, the API's
parameters, the command's options, the engine's reserved tokens, the facets and the index's
columns all follow that one list, so a filter added there is offered everywhere."""

import pytest

from fupin.cli import build_parser
from fupin.search.filters import FACETS, FILTERS, TAG_PREFIX, source_fields
from fupin.search.models import Kind, SearchDoc
from tests.search_fixtures import build_corpus
from tests.test_search_pickers import Selects


def test_every_surface_offers_every_declared_filter(world):
    page = Selects()
    page.feed(world.client("township_a").get("/search/").content.decode())
    controls = set(page.options) | page.inputs
    schema = world.client("township_a").get("/api/v1/openapi.json").json()
    [operation] = [path["get"] for url, path in schema["paths"].items() if url.endswith("/search/")]
    parameters = {p["name"] for p in operation["parameters"]}
    search_command = build_parser()._subparsers._group_actions[0].choices["search"]
    options = {o for action in search_command._actions for o in action.option_strings}
    for f in FILTERS:
        assert f.name in controls, f.name
        assert f.name in parameters, f.name
        assert "--" + f.name.replace("_", "-") in options, f.name


def test_the_index_holds_a_column_and_a_token_letter_for_each():
    columns = {field.column for field in SearchDoc._meta.concrete_fields}
    assert {f.column for f in FILTERS} <= columns
    letters = list(TAG_PREFIX.values())
    assert len(letters) == len(set(letters)) == len(FILTERS)
    for kind in Kind.values:
        assert set(source_fields(kind)) <= columns


@pytest.mark.parametrize("f", FACETS, ids=[f.name for f in FACETS])
def test_each_facet_is_offered_and_its_link_filters(world, f):
    build_corpus(world)
    client = world.client("township_a")
    data = client.get("/api/v1/search/", {"q": "村", "per_page": 100}).json()
    assert f.name in data["facets"]
    for value in data["facets"][f.name]:
        narrowed = client.get(
            "/api/v1/search/", {"q": "村", "per_page": 100, f.name: value["value"]}
        ).json()
        assert narrowed["count"] == value["count"], (f.name, value)
