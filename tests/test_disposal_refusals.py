"""A record that must stay — 永久, on loan, under a use grant, under a hold (保全), part of a
household's file, in an unfinished transfer batch — refuses the whole request, naming each
such record with its reason, and nothing changes; once the reason is gone the same request
goes through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fupin.core.problems import ProblemError
from fupin.disposal import services
from fupin.disposal.blockers import blocked
from fupin.disposal.models import AppraisalEntry, RegisterStatus
from fupin.records.models import RecordItem
from fupin.transfer.services import batch_cancel, batch_plan
from fupin.use.services import loan_create, loan_return, use_request_create, use_request_refuse
from tests.disposal_fixtures import archives, expired_fonds, ready_register
from tests.household_file_samples import V_A, attach, household, import_households


def refusal(call) -> list[tuple[str, str]]:
    with pytest.raises(ProblemError) as caught:
        call()
    return [(p.code, p.message) for p in caught.value.problems]


def named(problems, code: str) -> list[str]:
    return [message for c, message in problems if c == code]


def test_a_proposal_with_records_that_must_stay_is_refused_whole(world):
    fonds = expired_fonds(world, scans=False)
    unit_a = world.users["unit_a"]
    free, held, lent, asked = fonds.expired
    hold = services.hold_set(
        actor=world.users["bureau_city"], unit_id=fonds.unit.pk, codes=[held.reference_code],
        kind="audit", reason="2015年度财务审计",
    )  # fmt: skip
    loan = loan_create(
        actor=unit_a, unit_id=fonds.unit.pk, borrower_name="李明", codes=[lent.reference_code],
        purpose="审计核对", due_on=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    request = use_request_create(
        actor=world.users["county_b"], codes=[asked.reference_code], purpose="核对", days=3
    )
    appraisal = services.appraisal_create(
        actor=unit_a, unit_id=fonds.unit.pk, item_ids=[i.pk for i in fonds.expired]
    )
    decisions = [
        {"item_id": i.pk, "decision": "destroy", "reason": "无保存价值"} for i in fonds.expired
    ]

    def decide():
        return services.appraisal_decide(
            actor=unit_a, appraisal_id=appraisal.pk, decisions=decisions
        )

    problems = refusal(decide)
    assert problems[0][0] == "disposal.refused" and "3 件档案不能销毁" in problems[0][1]
    assert [held.reference_code in m for m in named(problems, "disposal.hold")] == [True]
    assert "2015年度财务审计" in named(problems, "disposal.hold")[0]
    assert [lent.reference_code in m for m in named(problems, "disposal.on_loan")] == [True]
    assert [asked.reference_code in m for m in named(problems, "disposal.use_grant")] == [True]
    assert not any(free.reference_code in m for _, m in problems)
    # Refused whole: not even the free record's decision was kept.
    assert set(AppraisalEntry.objects.values_list("decision", flat=True)) == {""}

    services.hold_lift(actor=world.users["bureau_city"], hold_id=hold.pk, reason="审计结束")
    loan_return(actor=unit_a, loan_id=loan.pk)
    use_request_refuse(actor=unit_a, request_id=request.pk, reason="与本单位工作无关")
    decide()
    assert set(AppraisalEntry.objects.values_list("decision", flat=True)) == {"destroy"}


def test_permanent_records_are_never_appraised(world):
    fonds = expired_fonds(world, scans=False)
    problems = refusal(
        lambda: services.appraisal_create(
            actor=world.users["unit_a"],
            unit_id=fonds.unit.pk,
            item_ids=[fonds.permanent[0].pk, fonds.expired[0].pk],
        )
    )
    assert [c for c, _ in problems] == ["disposal.permanent"]
    assert fonds.permanent[0].reference_code in problems[0][1]
    assert not AppraisalEntry.objects.exists()


def test_a_hold_set_after_approval_stops_the_destruction(world):
    fonds = expired_fonds(world, scans=False)
    register, _keep, destroy = ready_register(world, fonds)
    services.hold_set(
        actor=world.users["unit_a"], unit_id=fonds.unit.pk, codes=[destroy[1].reference_code],
        kind="dispute", reason="村民对值班补助有异议",
    )  # fmt: skip
    problems = refusal(
        lambda: services.register_destroy(
            actor=world.users["unit_a"],
            register_id=register.pk,
            supervisors=["张监销", "赵监销"],
            paper_destroyed=True,
        )
    )
    assert [destroy[1].reference_code in m for m in named(problems, "disposal.hold")] == [True]
    register.refresh_from_db()
    assert register.status == RegisterStatus.READY
    assert not RecordItem.objects.filter(destroyed_at__isnull=False).exists()


def test_a_household_files_papers_stay_whatever_their_retention(world, tmp_path, capsys):
    found = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    clerk = world.client("village_a")
    # 5: the household's entitlement proof; filed in 2015, as an old catalogue might say, for
    # 10 years (the household file itself files every paper 永久).
    response = attach(clerk, found, 5, day=timezone.localdate().replace(year=2015, month=6))
    assert response.status_code == 302
    paper = RecordItem.objects.get(matter=found.household_no)
    RecordItem.objects.filter(pk=paper.pk).update(retention="D10")
    reasons = dict(blocked([paper.pk]).reasons[paper.pk])
    assert "享受帮扶政策的证明材料" in reasons["household_file"]


def test_records_in_an_unfinished_transfer_batch_stay(world):
    fonds = expired_fonds(world, scans=False)
    archives(world)
    unit_a = world.users["unit_a"]
    batch = batch_plan(
        actor=unit_a, unit_id=fonds.unit.pk, years=(2015, 2015), early_reason="档案室改造"
    )
    appraisal = services.appraisal_create(
        actor=unit_a, unit_id=fonds.unit.pk, item_ids=[i.pk for i in fonds.expired]
    )
    decisions = [
        {"item_id": i.pk, "decision": "destroy", "reason": "无保存价值"} for i in fonds.expired
    ]

    def decide():
        return services.appraisal_decide(
            actor=unit_a, appraisal_id=appraisal.pk, decisions=decisions
        )

    problems = refusal(decide)
    moving = named(problems, "disposal.in_transfer")
    assert len(moving) == len(fonds.expired)
    assert all("在未完成的移交批次中" in m for m in moving)
    batch_cancel(actor=unit_a, batch_id=batch.pk, reason="改为明年移交")
    decide()
    assert set(AppraisalEntry.objects.values_list("decision", flat=True)) == {"destroy"}
