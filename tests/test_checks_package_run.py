"""At transfer and receipt the catalogue's package checks read the package itself: a good one
passes with the records it carries; a tampered one fails the run, so it blocks the receipt."""

import json

from fupin.checks.selectors import run_blocking_reasons
from fupin.checks.services import checks_run
from fupin.cli import main
from tests.checks_fixtures import built_bag, original, result


def test_receipt_run_over_records_and_their_package_passes(world, tmp_path):
    items, bag = built_bag(world, tmp_path)
    run = checks_run(actor=None, stage="receipt", items=items, package=bag)
    assert run.passed, run_blocking_reasons(run)
    assert result(run, "package_fixity").outcome == "passed"
    assert result(run, "package_counts").checked == 4


def test_a_tampered_package_fails_the_receipt_with_the_reason(world, tmp_path):
    items, bag = built_bag(world, tmp_path)
    original(bag).write_bytes(b"%PDF-1.4 forged")
    run = checks_run(actor=None, stage="receipt", items=items, package=bag)
    assert not run.passed
    reasons = run_blocking_reasons(run)
    assert reasons[0].startswith("真实性·数据包摘要复核：3 处不通过")
    assert "的 SHA-256 摘要与清单不符（内容已被改动）" in reasons[0]
    assert any(r.startswith("完整性·数量与字节数与清单一致") for r in reasons)


def test_a_package_alone_from_the_command_line(world, tmp_path, capsys):
    _, bag = built_bag(world, tmp_path)
    capsys.readouterr()
    assert main(["checks", "run", "--stage", "receipt", "--package", str(bag), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    outcomes = {r["code"]: r["outcome"] for r in out["run"]["results"]}
    assert outcomes["package_fixity"] == "passed" and outcomes["fixity"] == "n/a"
    assert out["run"]["records"] == 0
