"""A result shows its title, number, responsible party and snippets as text: markup typed into
a record never reaches the page as markup, while the match is still marked; the line under
the title lists only the parts the record has."""

import re
from datetime import date

from fupin.records.services import item_create
from tests.records_fixtures import row, set_up_fonds


def test_markup_in_a_record_is_shown_as_text(world):
    unit = world.units["committee_a"]
    classes = set_up_fonds(unit)
    item_create(
        actor=None, unit_id=unit.pk, category="WS", retention="Y",
        schedule_row_id=row("village", "文书", "1").pk,
        class_code_id=classes["BGS"].pk, date=date(2016, 3, 1), pages=1,
        title='<b id="t">雨露计划</b> & "名单"', responsible='<i id="r">东岭村</i>',
        matter='雨露计划<img src=x onerror="alert(1)">',
    )  # fmt: skip
    page = world.client("village_a").get("/search/", {"q": "雨露计划"}).content.decode()
    (hit,) = re.findall(r'<li class="hit">.*?</li>', page, re.S)
    assert "<b" not in hit and "<i" not in hit and "<img" not in hit
    assert "&lt;b id=&quot;t&quot;&gt;<mark>雨露计划</mark>&lt;/b&gt; &amp; &quot;名单&quot;" in hit
    assert "<mark>雨露计划</mark>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in hit
    # Not yet numbered: no reference code, and no empty part before the year.
    assert '<div class="muted">2016 年 · 东岭村 · 东岭村委会</div>' in hit
