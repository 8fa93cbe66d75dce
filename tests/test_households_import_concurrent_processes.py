"""Two `--skip-invalid` imports started together as real processes, each adding a household
under the same new 户编号 (two clerks' exports of one village): one import writes at a time,
and the later is applied on top of the earlier — both end applied, neither crashes, neither
reports "done" with every household skipped."""

import csv
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fupin.demo.idnumbers import make_id
from fupin.households.registry import sheet
from tests.procs import ROOT, fupin, installation

NO, PERSON_NO, ID = (sheet.INDEX[f] for f in ("household_no", "person_no", "id_number"))
NAME = sheet.INDEX["name"]


def _helper(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.households_kill_helper", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import-together")
    env = installation(folder)
    _helper(env, "regions")
    generate = ["demo", "generate", "households", "--township", "420322100"]
    fupin(env, *generate, "--households", "400", "--out", str(folder / "2016.csv"))
    fupin(env, "households", "import", str(folder / "2016.csv"), timeout=600)
    return env, folder


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source))
    return header, rows


def _variant(folder: Path, name: str, header, rows, number: int, seq: int) -> Path:
    """The registered sheet plus household `number` of the first village (its person new,
    told apart by `seq`) and a household with a wrong ID number."""
    head = list(rows[0])
    village = head[NO][:12]
    added = [*head]
    added[NO], added[PERSON_NO] = f"{village}{number:05d}", f"{village}{number:05d}01"
    added[ID] = make_id("420322", datetime.date(1961, 1, 1), seq, True)
    added[NAME] = f"新户{seq}"
    added[sheet.INDEX["size"]] = "1"
    wrong = [*added]
    wrong[NO], wrong[PERSON_NO], wrong[ID] = f"{village}99999", f"{village}9999901", "4203221"
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows([header, *rows, added, wrong])
    return path


@pytest.mark.parametrize("attempt", range(3))
def test_two_imports_started_together_both_apply_one_after_the_other(site, attempt):
    env, folder = site
    header, rows = _read(folder / "2016.csv")
    number, seq = 99990 + attempt, 901 + 4 * attempt
    sheets = [
        _variant(folder, f"{name}{attempt}", header, rows, number, seq + 2 * k)
        for k, name in enumerate(("甲", "乙"))
    ]
    command = [sys.executable, "-m", "fupin.cli", "households", "import", "--json"]
    runs = [
        subprocess.Popen(
            [*command, str(path), "--skip-invalid"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in sheets
    ]
    results = [run.communicate(timeout=600) for run in runs]
    reports = []
    for run, (out, err) in zip(runs, results, strict=True):
        assert "Traceback" not in err, err[-3000:]
        assert run.returncode == 2, err[-3000:]  # the wrong household, skipped
        report = json.loads(out)
        assert report["applied"] and report["skipped_households"] == 1, report
        reports.append(report)
    # One added the household (新识别); the other, applied on top, replaced its member. (From
    # the second attempt on, the household an earlier attempt added is 清退 too: these sheets
    # do not hold it.)
    kinds = [set(r["changes"]) for r in reports]
    assert any("新识别" in k for k in kinds), reports
    assert any({"成员增加", "成员减少"} <= k and "新识别" not in k for k in kinds), reports
