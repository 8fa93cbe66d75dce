"""API of the local implementation rules (实施细则) and their filing."""

import datetime

from ninja import Router, Schema
from ninja.responses import Status

from fupin.supervision.models import LocalRule
from fupin.supervision.rules import services as rules

router = Router(tags=["实施细则备案"])


class RuleIn(Schema):
    owner_region: str
    title: str
    body: str
    effective_from: datetime.date


class DecisionIn(Schema):
    office: str
    accept: bool
    reason: str = ""


class RuleOut(Schema):
    id: int
    owner_region: str
    title: str
    body: str
    effective_from: datetime.date
    status: str
    status_label: str
    round: int

    @staticmethod
    def of(rule: LocalRule) -> "RuleOut":
        return RuleOut(
            id=rule.pk,
            owner_region=rule.owner_region_id,
            title=rule.title,
            body=rule.body,
            effective_from=rule.effective_from,
            status=rule.status,
            status_label=rule.get_status_display(),
            round=rule.round,
        )


@router.get("", response=list[RuleOut], summary="本辖区的实施细则，以及报本级备案的实施细则")
def rule_list(request) -> list[RuleOut]:
    return [RuleOut.of(r) for r in rules.rules_visible(request.user)]


@router.post("", response={201: RuleOut}, summary="起草实施细则（市、县扶贫办或档案局）")
def rule_create(request, payload: RuleIn) -> Status:
    return Status(201, RuleOut.of(rules.rule_create(actor=request.user, **payload.dict())))


@router.get("/{int:rule_id}", response=RuleOut, summary="一份实施细则")
def rule_get(request, rule_id: int) -> RuleOut:
    return RuleOut.of(rules.access_rule(request.user, rule_id))


@router.post("/{int:rule_id}/submit", response=RuleOut, summary="报上一级扶贫办、档案局备案")
def rule_submit(request, rule_id: int) -> RuleOut:
    return RuleOut.of(rules.rule_submit(actor=request.user, rule_id=rule_id))


@router.post(
    "/{int:rule_id}/decide", response=RuleOut, summary="上一级扶贫办或档案局同意备案或退回"
)
def rule_decide(request, rule_id: int, payload: DecisionIn) -> RuleOut:
    rule = rules.rule_decide(actor=request.user, rule_id=rule_id, **payload.dict())
    return RuleOut.of(rule)
