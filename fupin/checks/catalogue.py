"""The checks of the catalogue (DA/T 70-2018 四性检测), one function per catalogue code. Each
recomputes what it checks from the records and the stored bytes; nothing recorded earlier is
taken on trust."""

import datetime
from collections import defaultdict

from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.checks.registry import (
    CheckContext,
    Found,
    check,
    file_label,
    not_applicable,
    record_label,
)
from fupin.objects.formats import EXTENSIONS, LABELS, declared_extension
from fupin.objects.models import CaptureEvent, Category, DigestAlgorithm, FormatPolicy
from fupin.photos.services import photo_code
from fupin.records.codes import render_code
from fupin.records.models import ItemStatus, RecordItem, Secrecy
from fupin.records.services import fonds_settings
from fupin.schedule import retention

NO_FILES = "所检文件均没有电子文件。"


def _printable(text: str) -> bool:
    return all(ch.isprintable() for ch in text)


@check("fixity")
def fixity(ctx: CheckContext) -> Found:
    found = Found()
    for item, item_file in ctx.files():
        found.checked += 1
        label = file_label(item, item_file)
        facts = ctx.facts(item_file)
        if not facts.found:
            found.fail(label, "存储中找不到该电子文件")
            continue
        recorded = {d.algorithm: d.value for d in item_file.object.digests.all()}
        for algorithm in DigestAlgorithm.values:
            if algorithm not in recorded:
                found.fail(label, f"没有记录 {algorithm} 摘要")
            elif facts.digests[algorithm] != recorded[algorithm]:
                found.fail(
                    label,
                    f"{algorithm} 摘要与记录不符：重新计算为 {facts.digests[algorithm]}，"
                    f"记录为 {recorded[algorithm]}",
                )
        if facts.size != item_file.object.size:
            found.fail(label, f"大小 {facts.size} 字节，与记录的 {item_file.object.size} 字节不符")
    return found if found.checked else not_applicable(NO_FILES)


@check("metadata_required")
def metadata_required(ctx: CheckContext) -> Found:
    found = Found()
    for item in ctx.items:
        found.checked += 1
        label = record_label(item)
        missing = [
            name
            for name, value in (
                ("全宗号", item.unit.fonds_code),
                ("题名", item.title.strip()),
                ("责任者", item.responsible.strip()),
                ("日期", item.date),
                ("保管期限", item.retention),
                ("机构（问题）", item.class_code_id),
                ("页数", item.pages),
                ("件号", item.item_number),
                ("档号", item.reference_code),
            )
            if not value
        ]
        if missing:
            found.fail(label, f"缺少必要著录项：{'、'.join(missing)}")
        for item_file in item.files.all():
            obj = item_file.object
            absent = [
                name
                for name, value in (
                    ("计算机文件名", item_file.filename.strip()),
                    ("计算机文件大小", obj.size),
                    ("格式", obj.format),
                )
                if not value
            ]
            if absent:
                found.fail(file_label(item, item_file), f"缺少元数据：{'、'.join(absent)}")
    return found


@check("metadata_valid")
def metadata_valid(ctx: CheckContext) -> Found:
    found = Found()
    today = timezone.localdate()
    for item in ctx.items:
        found.checked += 1
        label = record_label(item)
        problems = []
        if isinstance(item.date, datetime.date):
            if item.date.year != item.year:
                problems.append(f"年度 {item.year} 与文件日期 {item.date:%Y%m%d} 的年份不符")
            if item.date > today:
                problems.append(f"文件日期 {item.date:%Y%m%d} 晚于今天")
        if retention.parse(item.retention) != item.retention:
            problems.append(f"保管期限代码“{item.retention}”无效")
        elif item.retention not in retention.allowed(item.schedule_row):
            problems.append(retention.allowed_error(item.schedule_row, item.retention))
        if item.category not in Category.values:
            problems.append(f"门类代码“{item.category}”无效")
        if item.secrecy not in Secrecy.values:
            problems.append(f"密级“{item.secrecy}”无效")
        if item.pages < 1:
            problems.append("页数应为正整数")
        if not _printable(item.title) or len(item.title) > 500:
            problems.append("题名含不可打印字符或超过 500 字")
        if item.class_code_id and item.class_code.unit_id != item.unit_id:
            problems.append("机构（问题）不属于本全宗")
        for item_file in item.files.all():
            if item_file.object.format not in LABELS:
                problems.append(f"{item_file.filename} 的格式“{item_file.object.format}”未知")
            if not _printable(item_file.filename):
                problems.append(f"文件名“{item_file.filename}”含不可打印字符")
        for problem in problems:
            found.fail(label, problem)
    return found


def _expected_code(item: RecordItem, templates: dict[int, str]) -> str | None:
    if item.category == Category.ZP:
        details = getattr(item, "photo", None)
        if details is None:
            return None
        return photo_code(item.unit, details.group, details.photo_number)
    if item.item_number is None:
        return None
    if item.unit_id not in templates:
        templates[item.unit_id] = fonds_settings(item.unit).code_template
    return render_code(
        templates[item.unit_id],
        fonds=item.unit.fonds_code,
        category=item.category,
        year=item.year,
        retention=item.retention,
        klass=item.class_code.code,
        number=item.item_number,
    )


@check("reference_code")
def reference_code(ctx: CheckContext) -> Found:
    found = Found()
    templates: dict[int, str] = {}
    codes = [i.reference_code for i in ctx.items if i.reference_code]
    holders: dict[str, list[int]] = defaultdict(list)
    for code, pk in RecordItem.objects.filter(reference_code__in=codes).values_list(
        "reference_code", "pk"
    ):
        holders[str(code)].append(pk)
    for item in ctx.items:
        found.checked += 1
        label = record_label(item)
        if not item.reference_code:
            found.fail(label, "没有档号")
            continue
        expected = _expected_code(item, templates)
        if expected is not None and expected != item.reference_code:
            found.fail(label, f"档号与著录项不符，按档号格式应为 {expected}")
        if holders.get(item.reference_code, [item.pk]) != [item.pk]:
            found.fail(label, "档号不唯一，另有文件使用同一档号")
        issued = getattr(item, "issued", None) if item.status == ItemStatus.LOCKED else None
        if item.status == ItemStatus.LOCKED and (
            issued is None or issued.code != item.reference_code
        ):
            found.fail(label, "已归档文件的档号与归档时登记的档号不一致")
    return found


def _class_name(item: RecordItem) -> str:
    return (
        f"{item.unit.fonds_code} {item.year}年 {item.category} "
        f"{retention.label(item.retention)} {item.class_code.code}"
    )


@check("numbering")
def numbering(ctx: CheckContext) -> Found:
    """Every lowest class holding a checked record is numbered 1…n without gaps or repeats
    (its other records are read too: a gap may sit outside the checked set)."""
    found = Found()
    classes: dict[tuple, str] = {}
    groups: dict[int, str] = {}
    for item in ctx.items:
        details = getattr(item, "photo", None) if item.category == Category.ZP else None
        if details is not None:
            groups[details.group_id] = (
                f"{item.unit.fonds_code} 照片第 {details.group.group_number} 组"
            )
        else:
            key = (item.unit_id, item.year, item.category, item.retention, item.class_code_id)
            classes[key] = _class_name(item)
    for key, name in classes.items():
        unit_id, year, category, kept, class_id = key
        numbers = list(
            RecordItem.objects.filter(
                unit_id=unit_id,
                year=year,
                category=category,
                retention=kept,
                class_code_id=class_id,
                item_number__isnull=False,
            ).values_list("item_number", flat=True)
        )
        _gaps(found, name, "件号", numbers)
    if groups:
        from fupin.photos.models import PhotoDetails

        for group_id, name in groups.items():
            numbers = list(
                PhotoDetails.objects.filter(group_id=group_id).values_list(
                    "photo_number", flat=True
                )
            )
            _gaps(found, name, "张号", numbers)
    return found


def _gaps(found: Found, name: str, what: str, numbers: list[int | None]) -> None:
    found.checked += 1
    counted: dict[int, int] = defaultdict(int)
    for n in numbers:
        if n is not None:
            counted[n] += 1
    repeated = sorted(n for n, c in counted.items() if c > 1)
    missing = sorted(set(range(1, max(counted, default=0) + 1)) - set(counted))
    if missing:
        shown = "、".join(f"{n:04d}" for n in missing[:20]) + ("等" if len(missing) > 20 else "")
        found.fail(name, f"{what}不连续，缺 {shown}（共 {len(missing)} 个）")
    if repeated:
        found.fail(name, f"{what}重复：{'、'.join(f'{n:04d}' for n in repeated[:20])}")


@check("format_identity")
def format_identity(ctx: CheckContext) -> Found:
    found = Found()
    for item, item_file in ctx.files():
        found.checked += 1
        label = file_label(item, item_file)
        facts = ctx.facts(item_file)
        if not facts.found:
            found.fail(label, "存储中找不到该电子文件")
            continue
        claimed = item_file.object.format
        if facts.kind != claimed:
            found.fail(
                label,
                f"实际格式为{LABELS.get(facts.kind, facts.kind)}，"
                f"与登记的{LABELS.get(claimed, claimed)}不符",
            )
        if facts.broken:
            found.fail(label, f"无法按{LABELS.get(facts.kind, facts.kind)}打开：{facts.broken}")
        extension = declared_extension(item_file.filename)
        if facts.kind != "unknown" and extension not in EXTENSIONS.get(facts.kind, set()):
            found.fail(label, f"扩展名 .{extension or '（无）'} 与格式{LABELS[facts.kind]}不符")
    return found if found.checked else not_applicable(NO_FILES)


@check("format_policy")
def format_policy(ctx: CheckContext) -> Found:
    found = Found()
    policies = {p.category: p.allowed for p in FormatPolicy.objects.all()}
    for item, item_file in ctx.files():
        found.checked += 1
        label = file_label(item, item_file)
        facts = ctx.facts(item_file)
        kind = facts.kind if facts.found else item_file.object.format
        allowed = policies.get(item.category)
        if allowed is None:
            found.fail(label, f"“{Category(item.category).label}”门类没有设置长期保存格式")
        elif kind not in allowed:
            found.fail(
                label,
                f"{LABELS.get(kind, kind)}不在“{Category(item.category).label}”门类的长期保存格式"
                f"（{'、'.join(LABELS.get(k, k) for k in allowed)}）之列",
            )
    return found if found.checked else not_applicable(NO_FILES)


def _file_facts(ctx: CheckContext, facet: str) -> Found:
    """Every file of the records, failed for each reason its inspection lists under `facet`."""
    found = Found()
    for item, item_file in ctx.files():
        found.checked += 1
        for reason in getattr(ctx.facts(item_file), facet):
            found.fail(file_label(item, item_file), reason)
    return found if found.checked else not_applicable(NO_FILES)


@check("no_encryption")
def no_encryption(ctx: CheckContext) -> Found:
    return _file_facts(ctx, "encrypted")


@check("no_executable")
def no_executable(ctx: CheckContext) -> Found:
    return _file_facts(ctx, "active")


@check("audit_trail")
def audit_trail(ctx: CheckContext) -> Found:
    """Every record's creation, every file's capture and every archived record's locking are
    in the audit trail."""
    found = Found()
    ids = [str(i.pk) for i in ctx.items]
    created: set[str] = set()
    for start in range(0, len(ids), 500):
        created.update(
            AuditEvent.objects.filter(
                object_type="records.recorditem",
                object_id__in=ids[start : start + 500],
                action="records.item_create",
            ).values_list("object_id", flat=True)
        )
    locked_units = {i.unit_id for i in ctx.items if i.status == ItemStatus.LOCKED}
    lock_events = set(
        AuditEvent.objects.filter(
            action="records.lock",
            object_type="regions.unit",
            object_id__in=[str(u) for u in locked_units],
        ).values_list("object_id", flat=True)
    )
    object_ids = {f.object_id for _, f in ctx.files()}
    captured = set(
        CaptureEvent.objects.filter(object_id__in=object_ids).values_list("object_id", flat=True)
    )
    for item in ctx.items:
        found.checked += 1
        label = record_label(item)
        if str(item.pk) not in created:
            found.fail(label, "审计日志中没有该文件的著录（创建）记录")
        if item.status == ItemStatus.LOCKED and str(item.unit_id) not in lock_events:
            found.fail(label, "已归档，但审计日志中没有本全宗的归档记录")
        for item_file in item.files.all():
            if item_file.object_id not in captured:
                found.fail(file_label(item, item_file), "没有该电子文件的接收（采集）记录")
    return found
