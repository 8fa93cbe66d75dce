"""A destruction stopped with kill -9 between deleting two files: the catalogue never says a
file exists that is gone, nor the reverse, and running the command again finishes it. A real
process, a real kill, on an installation of its own (tests/disposal_live.py)."""

import json

from tests.disposal_live import stop


def test_killed_between_files_then_finished_by_running_again(live_template, tmp_path):
    site = live_template.copy(tmp_path / "site")
    seeded = site.helper("seed-destruction")
    register = str(seeded["register"])
    before = site.helper("state", register)
    assert before["status"] == "ready" and before["item_files"] == 4

    process = site.start("-m", "tests.disposal_live", "slow-destroy", register)
    # Progress lines come after each file is confirmed deleted: stop after the first one.
    # Eight files: each record's PDF and the page thumbnail made when its scan was read.
    line = process.stderr.readline()
    assert line.startswith("删除电子文件 1/8"), line + process.stderr.read()
    stop(process)
    assert process.returncode == -9

    mid = site.helper("state", register)
    assert mid["status"] == "destroying"
    # Every record is marked destroyed and none lists a file any more.
    assert mid["destroyed_items"] == 4 and mid["item_files"] == 0 and len(mid["files"]) == 8
    for f in mid["files"]:
        # Confirmed deleted → really gone; still there → still listed as to be deleted.
        assert not (f["deleted"] and f["exists"]), f
    assert sum(f["deleted"] for f in mid["files"]) >= 1
    assert any(f["exists"] and not f["deleted"] for f in mid["files"])

    done = site.fupin("disposal", "destroy", register, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "destroyed"
    after = site.helper("state", register)
    assert after["status"] == "destroyed"
    assert all(f["deleted"] and not f["exists"] for f in after["files"])
