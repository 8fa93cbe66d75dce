"""An import batch shows each reader the totals of their own scope only; a batch with nothing
in one's scope answers exactly as one that does not exist."""

import re

from tests.households_samples import household, run_import, write_sheet

V_A, V_B = "420322100201", "420322100202"


def _batch(capsys, tmp_path) -> int:
    rows = household(V_A, 1) + household(V_B, 2) + household(V_B, 3, size=1)
    code, report = run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))
    assert code == 0, report
    return report["batch_id"]


def test_batch_totals_are_the_readers_own(world, tmp_path, capsys):
    batch = _batch(capsys, tmp_path)
    own = world.client("village_a").get(f"/api/v1/households/batches/{batch}/changes").json()
    assert own["summary"]["households"] == 1 and own["summary"]["changes"] == {"新识别": 1}
    assert not own["summary"]["whole_batch"]
    assert {c["household_no"] for c in own["changes"]} == {f"{V_A}00001"}
    page = world.client("village_a").get(f"/households/batches/{batch}/").content.decode()
    assert "变动 1 户 · 新识别 1" in page and "全表" not in page and "新识别 3" not in page

    whole = world.client("township_a").get(f"/api/v1/households/batches/{batch}/changes").json()
    assert whole["summary"]["changes"] == {"新识别": 3} and whole["summary"]["whole_batch"]
    page = world.client("township_a").get(f"/households/batches/{batch}/").content.decode()
    assert "全表 7 行" in page and "新识别 3" in page


def _unsalted(body: bytes) -> str:
    """The body without what differs on every response alike (CSRF token, CSP nonce)."""
    return re.sub(r'(value|nonce)="[^"]{16,}"', "", body.decode())


def test_out_of_scope_batch_answers_like_a_missing_one(world, tmp_path, capsys):
    batch = _batch(capsys, tmp_path)
    outsider = world.client("county_b")
    for url in ("/households/batches/{}/", "/api/v1/households/batches/{}/changes"):
        hidden = outsider.get(url.format(batch))
        missing = outsider.get(url.format(batch + 1000))
        assert hidden.status_code == missing.status_code == 404
        assert _unsalted(hidden.content) == _unsalted(missing.content)
    # A village of the same township without a change in the batch sees nothing either.
    hidden = world.client("township_b").get(f"/api/v1/households/batches/{batch}/changes")
    assert hidden.status_code == 404
