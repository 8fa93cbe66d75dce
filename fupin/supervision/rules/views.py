"""Pages of the local implementation rules (实施细则): list and draft, read, submit, decide."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.filing.services import decider_offices
from fupin.supervision.rules import services as rules


@login_required
def rule_index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        effective_from = parse_date(request.POST.get("effective_from", ""))
        try:
            if effective_from is None:
                raise ValidationError("请填写施行日期。")
            rule = rules.rule_create(
                actor=request.user,
                owner_region=request.POST.get("owner_region", ""),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                effective_from=effective_from,
            )
            return redirect("supervision:rule", rule_id=rule.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    scope = user_scope(request.user)
    context = {
        "rules": rules.rules_visible(request.user),
        "own_regions": scope.prefixes(Cap.SCHEDULE_REFINE),
    }
    return render(request, "supervision/rules.html", context)


@login_required
def rule_detail(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = rules.access_rule(request.user, rule_id)
    context = {
        "rule": rule,
        "decisions": rule.decisions.select_related("decided_by"),
        "offices": decider_offices(request.user, rule),
        "can_submit": rule.owner_region_id
        in user_scope(request.user).prefixes(Cap.SCHEDULE_REFINE),
    }
    return render(request, "supervision/rule.html", context)


def _act(
    request: HttpRequest, rule_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    rules.access_rule(request.user, rule_id)
    try:
        action()
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("supervision:rule", rule_id=rule_id)


@login_required
@require_POST
def rule_submit(request: HttpRequest, rule_id: int) -> HttpResponse:
    def act() -> object:
        return rules.rule_submit(actor=request.user, rule_id=rule_id)

    return _act(request, rule_id, act, "已报上一级扶贫办、档案局备案。")


@login_required
@require_POST
def rule_decide(request: HttpRequest, rule_id: int) -> HttpResponse:
    accept = request.POST.get("accept") == "1"

    def act() -> object:
        return rules.rule_decide(
            actor=request.user,
            rule_id=rule_id,
            office=request.POST.get("office", ""),
            accept=accept,
            reason=request.POST.get("reason", ""),
        )

    return _act(request, rule_id, act, "已同意备案。" if accept else "已退回。")
