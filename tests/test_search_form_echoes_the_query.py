"""The results page's filter form shows what was asked: the words (escaped, in the header box
and the form alike), the chosen options and numbers; a bad number is shown back, not lost."""

from html.parser import HTMLParser


class Controls(HTMLParser):
    """Each named input's values and each select's chosen options, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.select = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            self.values.setdefault(found["name"], []).append(found.get("value") or "")
        elif tag == "select":
            self.select = found["name"]
            self.values.setdefault(self.select, [])
        elif tag == "option" and "selected" in found:
            self.values[self.select].append(found["value"])


def controls(world, persona: str, **params) -> dict[str, list[str]]:
    response = world.client(persona).get("/search/", params)
    assert response.status_code == 200
    parser = Controls()
    parser.feed(response.content.decode())
    return parser.values


def test_the_form_shows_the_query_and_filters(world):
    asked = '"><script>alert(1)</script> 雨露计划'
    shown = controls(
        world, "village_a", q=asked, kind="item", year="2016", has_scan="1", sort="title"
    )
    assert shown["q"] == [asked, asked]  # the header box and the form
    assert (shown["kind"], shown["year"], shown["has_scan"]) == (["item"], ["2016"], ["1"])
    assert (shown["sort"], shown["level"], shown["region"]) == (["title"], [""], [""])


def test_markup_in_the_query_stays_text(world):
    page = world.client("village_a").get("/search/", {"q": '"><b id="x">'}).content.decode()
    assert '<b id="x">' not in page
    assert "&quot;&gt;&lt;b id=&quot;x&quot;&gt;" in page


def test_a_bad_number_is_shown_back_with_the_error(world):
    shown = controls(world, "village_a", q="签到", year="abc")
    assert shown["year"] == ["abc"] and shown["q"] == ["签到", "签到"]
