"""Running the four-property checks: the catalogue's checks of one stage over a set of records
(and the package carrying them, at transfer and receipt); the itemised report is stored and
the run audited. Other apps call `checks_run` (transfer: when a batch is built and received)."""

from collections.abc import Iterable
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

# The checks register themselves on import.
import fupin.checks.catalogue
import fupin.checks.package.checks  # noqa: F401
from fupin.accounts.access import item_scope_q, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.checks.models import CheckDefinition, CheckResult, CheckRun, Outcome, Stage
from fupin.checks.registry import CHECKS, CheckContext, Found, not_applicable
from fupin.records.models import ItemFile, RecordItem
from fupin.regions.models import Unit

# Who may run the checks of a stage: the makers at archiving and transfer, the receiver at
# receipt; in keeping any custodian or inspector.
STAGE_CAPS: dict[str, tuple[str, ...]] = {
    Stage.ARCHIVE: (Cap.DATA_WRITE,),
    Stage.TRANSFER: (Cap.DATA_WRITE,),
    Stage.RECEIPT: (Cap.RECEIVE,),
    Stage.KEEPING: (Cap.DATA_WRITE, Cap.INSPECT, Cap.RECEIVE),
}
NOTHING_TO_CHECK = "没有可检测的对象。"


def checks_for(stage: str) -> list[CheckDefinition]:
    return [c for c in CheckDefinition.objects.filter(active=True) if stage in c.stages]


def _reachable(actor: Any, stage: str, ids: list[int]) -> list[RecordItem]:
    scope = user_scope(actor)
    caps = [c for c in STAGE_CAPS[stage] if scope.has(c)]
    if not caps:
        labels = "或".join(f"“{Cap(c).label}”" for c in STAGE_CAPS[stage])
        raise PermissionDenied(f"{Stage(stage).label}环节的四性检测需要{labels}权限。")
    q = reduce(or_, (item_scope_q(actor, c, "unit", "unit__region__code") for c in caps))
    files = ItemFile.objects.select_related("object").prefetch_related("object__digests")
    items = list(
        RecordItem.objects.filter(q, pk__in=ids)
        .select_related("unit", "class_code", "schedule_row", "photo__group", "issued")
        .prefetch_related(Prefetch("files", queryset=files.order_by("position")))
        .order_by("unit_id", "year", "category", "retention", "class_code_id", "item_number", "pk")
    )
    if len(items) != len(ids):
        raise Http404(f"有 {len(ids) - len(items)} 件文件不存在，或不在您的管辖范围内。")
    return items


def _common_prefix(codes: set[str]) -> str:
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _scope_label(items: list[RecordItem], package: Path | None) -> str:
    units = sorted({f"{i.unit.fonds_code} {i.unit.name}" for i in items})
    years = sorted({i.year for i in items})
    parts = []
    if units:
        shown = "、".join(units[:3]) + (f"等 {len(units)} 个全宗" if len(units) > 3 else "")
        span = f"{years[0]}—{years[-1]}年" if years[0] != years[-1] else f"{years[0]}年"
        parts.append(f"{shown}，{span}，{len(items)} 件")
    if package is not None:
        parts.append(f"数据包 {package.name}")
    return "；".join(parts)[:300]


def _run_one(definition: CheckDefinition, ctx: CheckContext) -> Found:
    function = CHECKS.get(definition.code)
    if function is None:
        # A catalogue row without code behind it is a configuration fault, shown in the report.
        found = Found()
        found.fail("（检测程序）", f"没有与代码“{definition.code}”对应的检测程序")
        return found
    found = function(ctx)
    if found.applicable and found.checked == 0 and not found.failures:
        return not_applicable(NOTHING_TO_CHECK)
    return found


def checks_run(
    *,
    actor: Any,
    stage: str,
    items: Iterable[RecordItem | int],
    package: Path | str | None = None,
    unit: Unit | None = None,
    verified: Any = None,
) -> CheckRun:
    """Run every active check of `stage` over `items` (records or their ids) and, when given,
    the BagIt package at `package`. Returns the stored run; `run.passed` is False when any
    check failed, and `run_blocking_reasons(run)` says why in Chinese. `unit` names the unit
    the run belongs to when only a package from elsewhere is checked (the receiving archives).
    `verified`: the package_verify report of `package` the caller already made (receipt needs
    its unpacked files and the recorded package digest checked), so the bytes are read once."""
    if stage not in Stage.values:
        raise ValidationError(f"未知的检测环节“{stage}”，应为 {'、'.join(Stage.values)}。")
    ids = sorted({i if isinstance(i, int) else i.pk for i in items})
    bag = Path(package) if package is not None else None
    if not ids and bag is None:
        raise ValidationError("没有选定要检测的文件。")
    records = _reachable(actor, stage, ids)
    if bag is not None and not bag.exists():
        raise ValidationError(f"找不到数据包 {bag}。")
    started = timezone.now()
    ctx = CheckContext(stage, records, bag)
    if verified is not None:
        ctx.package_report = verified
    definitions = checks_for(stage)
    found = [(d, _run_one(d, ctx)) for d in definitions]
    units = {i.unit for i in records}
    if unit is None and len(units) == 1:
        unit = units.pop()
    facts = {i_file.object_id: i_file.object.size for _, i_file in ctx.files()}
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        run = CheckRun.objects.create(
            stage=stage,
            unit=unit,
            region_code=unit.region_id
            if unit
            else _common_prefix({i.unit.region_id for i in records}),
            scope_label=_scope_label(records, bag),
            package=str(bag or "")[:500],
            actor=actor if signed_in else None,
            actor_name=actor.get_username() if signed_in else "命令行操作员",
            started_at=started,
            finished_at=timezone.now(),
            records=len(records),
            files=len(facts),
            bytes=sum(facts.values()),
            passed=all(f.outcome != Outcome.FAILED for _, f in found),
        )
        CheckResult.objects.bulk_create(
            CheckResult(
                run=run,
                check_def=definition,
                position=n,
                outcome=result.outcome,
                checked=result.checked,
                note=result.note[:500],
                failures=result.failures,
            )
            for n, (definition, result) in enumerate(found, start=1)
        )
        failed = [d.code for d, f in found if f.outcome == Outcome.FAILED]
        audit_record(
            actor=actor,
            action="checks.run",
            obj=run,
            summary=(
                f"{Stage(stage).label}环节四性检测（{run.scope_label}）："
                + ("全部通过" if run.passed else f"{len(failed)} 项不通过")
            ),
            after={
                "stage": stage,
                "records": len(records),
                "failed": failed,
                "package": run.package,
            },
        )
    return run
