"""Every record checked has its history in the audit trail; one made around the services
(here: straight into the table) is named."""

from fupin.checks.services import checks_run
from fupin.records.models import RecordItem
from tests.checks_fixtures import archived_items, result


def test_records_made_through_the_services_have_a_trail(world):
    trail = result(
        checks_run(actor=None, stage="keeping", items=archived_items(world)), "audit_trail"
    )
    assert trail.outcome == "passed" and trail.checked == 2


def test_a_record_without_a_trail_is_named(world):
    first, second = archived_items(world)
    stray = RecordItem.objects.get(pk=second.pk)
    stray.pk = None
    stray.item_number = 3
    stray.reference_code = second.reference_code.replace("-0002", "-0003")
    stray.status = "arranged"
    stray.save()
    run = checks_run(actor=None, stage="keeping", items=[first, second, stray])
    assert result(run, "audit_trail").failures == [
        {"record": stray.reference_code, "reason": "审计日志中没有该文件的著录（创建）记录"}
    ]
