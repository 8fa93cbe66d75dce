"""Required metadata present and values well-formed; a bad record is named with the reason."""

from fupin.checks.services import checks_run
from fupin.records.models import RecordItem
from tests.checks_fixtures import archived_items, result


def test_complete_records_pass(world):
    run = checks_run(actor=None, stage="transfer", items=archived_items(world))
    assert result(run, "metadata_required").outcome == "passed"
    assert result(run, "metadata_valid").outcome == "passed"


def test_missing_responsible_and_wrong_year_are_named(world):
    first, second = archived_items(world)
    RecordItem.objects.filter(pk=first.pk).update(responsible=" ")
    RecordItem.objects.filter(pk=second.pk).update(year=2017, retention="X9")
    run = checks_run(actor=None, stage="transfer", items=[first, second])
    required = result(run, "metadata_required")
    assert required.failures == [
        {"record": first.reference_code, "reason": "缺少必要著录项：责任者"}
    ]
    valid = result(run, "metadata_valid")
    reasons = [f["reason"] for f in valid.failures if f["record"] == second.reference_code]
    assert "年度 2017 与文件日期 20160301 的年份不符" in reasons
    assert "保管期限代码“X9”无效" in reasons
    assert not run.passed


def test_unnumbered_record_at_archiving_lacks_its_code(world):
    items = archived_items(world, count=1, lock=False)
    RecordItem.objects.filter(pk=items[0].pk).update(
        status="draft", item_number=None, reference_code=None
    )
    run = checks_run(actor=None, stage="archive", items=items)
    failure = result(run, "metadata_required").failures[0]
    assert failure["record"].startswith("未编号文件")
    assert failure["reason"] == "缺少必要著录项：件号、档号"
