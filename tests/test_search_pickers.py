"""The search page's filters offer the reader's own regions, units and schedule rows to pick
from (not bare number boxes), and the three administrators, who read no records, get no
search box at all."""

from html.parser import HTMLParser

import pytest

from fupin.schedule.services import schedule_load_annex


class Selects(HTMLParser):
    """Each select's options (value → label) and each input's name, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, dict[str, str]] = {}
        self.inputs: set[str] = set()
        self.select = ""
        self.value: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "select":
            self.select = found["name"]
            self.options[self.select] = {}
        elif tag == "option":
            self.value = found["value"]
        elif tag == "input" and found.get("name"):
            self.inputs.add(found["name"])

    def handle_data(self, data: str) -> None:
        if self.value is not None:
            self.options[self.select][self.value] = data.strip()
            self.value = None


def form(world, persona: str, **params) -> Selects:
    response = world.client(persona).get("/search/", params)
    assert response.status_code == 200
    parser = Selects()
    parser.feed(response.content.decode())
    return parser


def test_region_unit_and_schedule_row_are_pickers_of_ones_own_scope(world):
    schedule_load_annex(actor=None)
    page = form(world, "township_a")
    assert not {"region", "unit", "schedule_row"} & page.inputs
    regions = page.options["region"]
    assert regions["420322100"] == "城关镇"
    assert regions["420322100201"].strip("\u3000") == "东岭村"
    assert "420322101" not in regions and "420323" not in regions
    units = set(page.options["unit"].values())
    assert "东岭村委会（东岭村）" in units and "城关镇人民政府（城关镇）" in units
    assert "土门镇人民政府（土门镇）" not in units
    rows = page.options["schedule_row"]
    assert len(rows) > 20 and all(label for label in rows.values())
    # The village sees its own village only.
    assert set(form(world, "village_a").options["region"]) == {"", "420322100201"}


def test_a_chosen_region_narrows_the_units_and_stays_chosen(world):
    page = form(world, "township_a", q="村", region="420322100202")
    assert set(page.options["unit"].values()) == {"不限", "西岭村委会（西岭村）"}
    html = world.client("township_a").get("/search/", {"q": "村", "region": "420322100202"})
    assert '<option value="420322100202" selected>' in html.content.decode()


@pytest.mark.parametrize("persona", ["sysadmin_a", "secadmin_a", "auditor_a"])
def test_administrators_get_no_search_box(world, persona):
    client = world.client(persona)
    home = client.get("/").content.decode()
    assert 'action="/search/"' not in home
    page = client.get("/search/", {"q": "雨露计划"})
    assert page.status_code == 403
    assert "检索只供查阅档案的角色使用" in page.content.decode()
    api = client.get("/api/v1/search/", {"q": "雨露计划"})
    assert api.status_code == 403 and "检索只供" in api.json()["detail"]
    assert client.get("/api/v1/search/suggest", {"q": "雨露"}).status_code == 403


def test_readers_keep_the_box(world):
    home = world.client("village_a").get("/").content.decode()
    assert 'action="/search/"' in home
