"""Local implementation rules (实施细则): drafted by a city or county, filed (备案) with the
poverty office and the archive bureau one level up, who accept or return them with a reason —
the same filing workflow as the schedule refinements (`fupin.filing`)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from fupin.accounts.access import access_region, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.filing.models import FilingStatus
from fupin.filing.services import FilingKind, filing_decide, filing_submit
from fupin.regions.models import Level
from fupin.supervision.models import LocalRule

RULE = FilingKind(
    noun="实施细则",
    submit_action="supervision.rule_submit",
    decide_action="supervision.rule_decide",
)


def rule_create(
    *, actor: Any, owner_region: str, title: str, body: str, effective_from: datetime.date
) -> LocalRule:
    region = access_region(actor, owner_region, Cap.SCHEDULE_REFINE)
    if region.level not in (Level.CITY, Level.COUNTY):
        raise ValidationError("实施细则由市（州）或县（市、区）制定。")
    scope = user_scope(actor)
    if not scope.everything and region.code not in scope.prefixes(Cap.SCHEDULE_REFINE):
        raise PermissionDenied("只有本级扶贫办或档案局可以制定本地区的实施细则。")
    if not title.strip() or not body.strip():
        raise ValidationError("请填写实施细则的标题和正文。")
    with transaction.atomic():
        rule = LocalRule.objects.create(
            owner_region=region,
            status=FilingStatus.DRAFT,
            title=title.strip(),
            body=body.strip(),
            effective_from=effective_from,
        )
        audit_record(
            actor=actor,
            action="supervision.rule_create",
            obj=rule,
            after={"title": rule.title, "effective_from": str(effective_from)},
            summary=f"起草实施细则“{rule.title}”",
        )
    return rule


def rules_visible(actor: Any) -> QuerySet[LocalRule]:
    """Rules of the reader's regions, and those filed with the offices the reader speaks for."""
    scope = user_scope(actor)
    own = scope.region_q(Cap.DATA_READ, "owner_region__code")
    filed = Q(owner_region__parent__code__in=scope.prefixes(Cap.FILING_POVERTY))
    filed |= Q(owner_region__parent__code__in=scope.prefixes(Cap.FILING_ARCHIVE))
    return LocalRule.objects.filter(own | filed).select_related("owner_region")


def access_rule(actor: Any, rule_id: int) -> LocalRule:
    rule = rules_visible(actor).filter(pk=rule_id).first()
    if rule is None:
        raise Http404("未找到该实施细则，或不在您的管辖范围内。")
    return rule


def rule_submit(*, actor: Any, rule_id: int) -> LocalRule:
    with transaction.atomic():
        rule = LocalRule.objects.select_for_update().filter(pk=rule_id).first()
        scope = user_scope(actor)
        if rule is None or not (
            scope.everything or rule.owner_region_id in scope.prefixes(Cap.SCHEDULE_REFINE)
        ):
            raise Http404("未找到该实施细则，或不在您的管辖范围内。")
        return filing_submit(actor=actor, filed=rule, kind=RULE)


def rule_decide(
    *, actor: Any, rule_id: int, office: str, accept: bool, reason: str = ""
) -> LocalRule:
    with transaction.atomic():
        rule = LocalRule.objects.select_for_update().filter(pk=rule_id).first()
        return filing_decide(
            actor=actor, filed=rule, kind=RULE, office=office, accept=accept, reason=reason
        )
