"""--dirty injects the defects real sheets have, and lists exactly what it injected and where."""

import json

from fupin.cli import main
from fupin.demo.files import read_table
from fupin.households.registry.sheet import HEADER as COLUMNS

ID = COLUMNS.index("证件号码")
HOUSEHOLD = COLUMNS.index("户编号")
RELATION = COLUMNS.index("与户主关系")


def test_dirty_injects_what_it_lists(world, tmp_path, capsys):
    clean_out, dirty_out = tmp_path / "clean.csv", tmp_path / "dirty.csv"
    base = ["demo", "generate", "households", "--county", "420322", "--households", "800"]
    assert main([*base, "--out", str(clean_out)]) == 0
    capsys.readouterr()
    assert main([*base, "--out", str(dirty_out), "--dirty", "--json"]) == 0
    injected = json.loads(capsys.readouterr().out)["injected"]
    kinds = {i["kind"]: i for i in injected}
    assert set(kinds) == {
        "fullwidth",
        "lowercase_x",
        "spaces",
        "old15",
        "bad_check",
        "no_head",
        "duplicate",
    }
    dirty = list(read_table(dirty_out))
    clean = list(read_table(clean_out))

    def cell(kind: str) -> str:
        row = dirty[kinds[kind]["row"] - 1]
        assert row[HOUSEHOLD] == kinds[kind]["household"]
        assert row[ID] == kinds[kind]["value"]
        return row[ID]

    assert cell("fullwidth")[0] == "４"
    assert cell("lowercase_x").endswith("x")
    assert " " in cell("spaces")
    assert len(cell("old15")) == 15
    assert cell("bad_check") not in {r[ID] for r in clean}
    assert [r[ID] for r in dirty].count(cell("duplicate")) == 2
    headless = [r for r in dirty if r[HOUSEHOLD] == kinds["no_head"]["household"]]
    assert headless and "户主" not in {r[RELATION] for r in headless}
    # Apart from the listed defects, the dirty sheet is the clean one.
    assert len(dirty) == len(clean) - 1
    changed = {i["row"] for i in injected if i["kind"] != "no_head"}
    untouched = [r for n, r in enumerate(dirty, start=1) if n not in changed]
    assert all(r in clean for r in untouched[:50])
