"""Reads of check runs and of the records a run covers, through the access layer."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.checks.models import CheckResult, CheckRun, Outcome, Stage
from fupin.checks.registry import record_label
from fupin.records.models import ItemStatus, RecordItem


def visible_runs(actor: Any) -> QuerySet[CheckRun]:
    """Runs of a unit in scope; runs spanning units by their common region (so a county run is
    seen in the county, not in one of its villages)."""
    scope = user_scope(actor)
    if scope.everything:
        return CheckRun.objects.select_related("unit")
    q = Q(unit__isnull=False) & scope.unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    q |= Q(unit__isnull=True) & ~Q(region_code="") & scope.region_q(Cap.DATA_READ, "region_code")
    return CheckRun.objects.filter(q).select_related("unit")


def access_run(actor: Any, run_id: int) -> CheckRun:
    run = visible_runs(actor).filter(pk=run_id).first()
    if run is None:
        raise Http404("未找到该检测记录，或不在您的管辖范围内。")
    return run


def run_results(run: CheckRun) -> list[CheckResult]:
    return list(run.results.select_related("check_def").order_by("position"))


def run_blocking_reasons(run: CheckRun) -> list[str]:
    """Why a run blocks a transfer or receipt: one Chinese line per failed check."""
    lines = []
    for result in run_results(run):
        if result.outcome != Outcome.FAILED:
            continue
        first = result.failures[0] if result.failures else {"record": "", "reason": result.note}
        lines.append(
            f"{result.check_def.get_property_display()}·{result.check_def.title}："
            f"{len(result.failures)} 处不通过，如 {first['record']}：{first['reason']}"
        )
    return lines


def run_as_dict(run: CheckRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "stage": run.stage,
        "stage_label": run.get_stage_display(),
        "scope": run.scope_label,
        "package": run.package,
        "actor": run.actor_name,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "records": run.records,
        "files": run.files,
        "bytes": run.bytes,
        "passed": run.passed,
        "results": [
            {
                "code": r.check_def.code,
                "property": r.check_def.get_property_display(),
                "title": r.check_def.title,
                "description": r.check_def.description,
                "outcome": r.outcome,
                "outcome_label": r.get_outcome_display(),
                "checked": r.checked,
                "note": r.note,
                "failures": r.failures,
            }
            for r in run_results(run)
        ],
    }


def stage_items(
    *, stage: str, unit_id: int | None = None, fonds: str = "", year: int | None = None
) -> QuerySet[RecordItem]:
    """The records a stage looks at by default: at archiving those numbered and waiting to be
    locked, at the later stages the archived ones; destroyed records never. The caller's scope
    is applied by checks_run."""
    status = ItemStatus.ARRANGED if stage == Stage.ARCHIVE else ItemStatus.LOCKED
    items = RecordItem.objects.filter(status=status, destroyed_at__isnull=True)
    if unit_id is not None:
        items = items.filter(unit_id=unit_id)
    if fonds:
        items = items.filter(unit__fonds_code=fonds)
    if year is not None:
        items = items.filter(year=year)
    return items.order_by("pk")


# The stages whose runs judge records a unit keeps (a receipt run judges what arrived).
KEPT_STAGES = (Stage.ARCHIVE, Stage.TRANSFER, Stage.KEEPING)


def failing_items(item_ids: list[int]) -> dict[int, str]:
    """Records named as failing in the latest run over their unit: item id → the failed checks,
    in Chinese. A later run that no longer names a record clears it (a run names only what
    failed, so the latest run is the record's current standing)."""
    items = list(
        RecordItem.objects.filter(pk__in=item_ids).only("pk", "unit_id", "reference_code", "title")
    )
    found: dict[int, list[str]] = {}
    for unit_id in {i.unit_id for i in items}:
        run = CheckRun.objects.filter(unit_id=unit_id, stage__in=KEPT_STAGES).first()
        if run is None or run.passed:
            continue
        labels = {record_label(i): i.pk for i in items if i.unit_id == unit_id}
        for result in run_results(run):
            for failure in result.failures if result.outcome == Outcome.FAILED else []:
                named = str(failure.get("record", ""))
                label = named.split(" / ", 1)[0]
                if label in labels:
                    found.setdefault(labels[label], []).append(
                        f"四性检测（{run.get_stage_display()}）“{result.check_def.title}”未通过："
                        f"{failure.get('reason', '')}"
                    )
    return {pk: "；".join(dict.fromkeys(reasons)) for pk, reasons in found.items()}
