"""档号 well-formed, unique and as issued; 件号 continuous in every class checked."""

from fupin.checks.services import checks_run
from fupin.records.models import RecordItem
from tests.checks_fixtures import archived_items, result


def test_codes_and_numbers_of_a_clean_class_pass(world):
    run = checks_run(actor=None, stage="keeping", items=archived_items(world, count=3))
    assert result(run, "reference_code").outcome == "passed"
    numbering = result(run, "numbering")
    assert numbering.outcome == "passed" and numbering.checked == 1


def test_a_code_that_does_not_fit_its_fields_is_named(world):
    first, second = archived_items(world)
    RecordItem.objects.filter(pk=second.pk).update(reference_code="F004-WS·2016-Y-BGS-0009")
    codes = result(checks_run(actor=None, stage="keeping", items=[first, second]), "reference_code")
    reasons = {f["reason"] for f in codes.failures}
    assert {f["record"] for f in codes.failures} == {"F004-WS·2016-Y-BGS-0009"}
    assert f"档号与著录项不符，按档号格式应为 {second.reference_code}" in reasons
    assert "已归档文件的档号与归档时登记的档号不一致" in reasons


def test_a_gap_in_the_numbers_is_found_even_outside_the_checked_set(world):
    first, second, _third = archived_items(world, count=3)
    RecordItem.objects.filter(pk=second.pk).update(item_number=4)
    numbering = result(checks_run(actor=None, stage="keeping", items=[first]), "numbering")
    assert numbering.outcome == "failed"
    [failure] = numbering.failures
    assert failure["record"].endswith("2016年 WS 永久 BGS")
    assert failure["reason"] == "件号不连续，缺 0002（共 1 个）"
