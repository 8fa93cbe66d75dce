"""Receiving a package another installation made (`fupin transfer receive PACKAGE`), on the
archives' own installation. Nothing in the package is trusted: package_verify recomputes both
digests of every byte (and unpacks a .tar/.zip with limits), the receipt-stage checks run on
it, every record's metadata is read as untrusted input, and each original is captured afresh
(its format identified and its digests computed here, then compared with the verified
manifest). The records are recreated under their own unit (kept as provenance; made here,
inactive, when this installation does not know it), locked with their original 档号, and
taken into the archives' independent fonds — all in one transaction, so a refusal or a kill
leaves nothing half taken in and the command can be run again."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.checks.models import CheckRun, Stage
from fupin.checks.package.verify import VerifyReport, package_digest, package_verify
from fupin.checks.services import checks_run
from fupin.core.problems import Problem, ProblemError
from fupin.objects.services import object_capture
from fupin.records.models import (
    AccessMarking,
    ClassCode,
    Facet,
    FondsSettings,
    IssuedCode,
    ItemFile,
    ItemStatus,
    RecordItem,
    Secrecy,
)
from fupin.records.services import item_create
from fupin.regions.models import Region, Unit, UnitKind
from fupin.schedule.selectors import row_in_force, version_in_force
from fupin.transfer.models import Batch, BatchItem, BatchStatus, Nature
from fupin.transfer.services import (
    _run_problems,
    _signature,
    archives_fonds,
    run_summary,
    take_in,
)

REQUIRED = (
    "档号", "全宗号", "立档单位", "行政区划代码", "门类代码", "年度", "保管期限代码",
    "机构（问题）", "题名", "责任者", "日期", "页数", "归档范围条目",
)  # fmt: skip
_SECRECY = {label: value for value, label in Secrecy.choices}
_MARKING = {label: value for value, label in AccessMarking.choices}


@dataclass
class Received:
    batch: Batch
    records: int
    files: int
    run: CheckRun


def _refuse(message: str, where: str = "") -> ProblemError:
    return ProblemError([Problem("transfer.receive_refused", message, where)])


def _archives(actor: Any, archives_id: int | None) -> Unit:
    found = Unit.objects.filter(kind=UnitKind.ARCHIVES, active=True)
    if archives_id is not None:
        found = found.filter(pk=archives_id)
    archives = list(found.order_by("pk")[:2])
    if not archives:
        raise ValidationError("本系统没有登记综合档案馆（立档单位类别为“综合档案馆”），无法接收。")
    if len(archives) > 1:
        raise ValidationError("本系统登记了多个综合档案馆，请用 --archives 指明接收的档案馆。")
    if not user_scope(actor).covers_unit(Cap.RECEIVE, archives[0]):
        raise PermissionDenied("只有该档案馆的接收员可以办理接收。")
    return archives[0]


def _records(root: Path, report: VerifyReport) -> list[dict[str, Any]]:
    """Each record's metadata.json, checked field by field: a package from anywhere may hold
    anything."""
    problems: list[Problem] = []
    found: list[dict[str, Any]] = []
    for path in sorted((root / "data" / "records").glob("*/metadata.json")):
        where = path.relative_to(root).as_posix()
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            problems.append(Problem("transfer.metadata", f"{where} 不是有效的 JSON", where))
            continue
        if not isinstance(meta, dict):
            problems.append(Problem("transfer.metadata", f"{where} 不是著录项对象", where))
            continue
        missing = [k for k in REQUIRED if meta.get(k) in (None, "", [])]
        if missing:
            problems.append(
                Problem("transfer.metadata", f"{where} 缺少著录项：{'、'.join(missing)}", where)
            )
            continue
        for entry in meta.get("电子文件") or []:
            inside = str(entry.get("包内路径", "")) if isinstance(entry, dict) else ""
            if inside not in report.digests:
                problems.append(
                    Problem(
                        "transfer.metadata",
                        f"{meta['档号']} 登记的电子文件“{inside}”不在已核验的数据包内容中",
                        where,
                    )
                )
        meta["_where"] = where
        found.append(meta)
    if not found and not problems:
        problems.append(Problem("transfer.metadata", "数据包中没有任何文件的著录（data/records）"))
    if problems:
        raise ProblemError([Problem("transfer.metadata", "数据包的著录不能接收："), *problems])
    return found


def _provenance_unit(meta: dict[str, Any], made: list[Unit]) -> Unit:
    """The record's own unit on this installation, by its 全宗号; made (inactive: it keeps
    nothing here but provenance) when unknown, in a region this installation knows."""
    fonds = str(meta["全宗号"])
    unit = Unit.objects.filter(fonds_code=fonds).select_related("region").first()
    if unit is not None:
        if unit.region_id != str(meta["行政区划代码"]):
            raise _refuse(
                f"全宗号 {fonds} 在本系统属于 {unit.name}（{unit.region_id}），与数据包所载的"
                f"{meta['立档单位']}（{meta['行政区划代码']}）不符",
                meta["_where"],
            )
        return unit
    region = Region.objects.filter(code=str(meta["行政区划代码"])).first()
    if region is None:
        raise _refuse(
            f"行政区划 {meta['行政区划代码']}（{meta['立档单位']}）在本系统中不存在，"
            "请先导入区划再接收",
            meta["_where"],
        )
    kind = str(meta.get("立档单位类别代码") or "")
    unit = Unit.objects.create(
        region=region, kind=kind if kind in UnitKind.values else UnitKind.DEPARTMENT,
        name=str(meta["立档单位"])[:200], fonds_code=fonds[:20],
        fonds_name=str(meta.get("全宗名称") or meta["立档单位"])[:200], active=False,
    )  # fmt: skip
    facet = str(meta.get("分类方法代码") or "")
    FondsSettings.objects.create(unit=unit, facet=facet if facet in Facet.values else "department")
    made.append(unit)
    return unit


def _class_code(unit: Unit, text: str) -> ClassCode:
    code, _, name = text.strip().partition(" ")
    settings = FondsSettings.objects.get_or_create(unit=unit, defaults={"facet": "department"})[0]
    klass, _ = ClassCode.objects.get_or_create(
        unit=unit, code=code[:12], defaults={"facet": settings.facet, "name": name[:60] or code}
    )
    return klass


def _date(meta: dict[str, Any]) -> datetime.date:
    try:
        return datetime.datetime.strptime(str(meta["日期"]), "%Y%m%d").date()
    except ValueError as exc:
        raise _refuse(
            f"{meta['档号']} 的日期“{meta['日期']}”不是 YYYYMMDD", meta["_where"]
        ) from exc


def _recreate(actor: Any, meta: dict[str, Any], unit: Unit, root: Path) -> tuple[RecordItem, int]:
    code = str(meta["档号"])
    if RecordItem.objects.filter(reference_code=code).exists():
        raise _refuse(f"档号 {code} 在本系统中已有文件，不能重复接收", meta["_where"])
    when = _date(meta)
    row_of = meta["归档范围条目"] if isinstance(meta["归档范围条目"], dict) else {}
    version = version_in_force(unit=unit, on=when)
    row = row_in_force(
        version, level=row_of.get("层级代码"), category=row_of.get("门类代码"),
        number=row_of.get("序号") or "",
    )  # fmt: skip
    if row is None:
        raise _refuse(
            f"{code} 的归档范围条目（{row_of.get('层级代码')} {row_of.get('门类代码')} "
            f"序号 {row_of.get('序号')}）在本系统现行归档范围中找不到",
            meta["_where"],
        )
    try:
        item = item_create(
            actor=actor, unit_id=unit.pk, category=meta["门类代码"], date=when,
            year=meta["年度"], retention=meta["保管期限代码"], schedule_row_id=row.pk,
            class_code_id=_class_code(unit, str(meta["机构（问题）"])).pk,
            title=meta["题名"], title_by_archivist=bool(meta.get("自拟题名")),
            doc_number=meta.get("文号") or "", responsible=meta["责任者"],
            pages=meta["页数"], secrecy=_SECRECY.get(meta.get("密级") or "无", ""),
            notes=meta.get("备注") or "", matter=meta.get("事由") or "",
        )  # fmt: skip
    except ValidationError as exc:
        raise ProblemError(
            [Problem("transfer.metadata", f"{code}：{m}", meta["_where"]) for m in exc.messages]
        ) from exc
    marking = _MARKING.get(str(meta.get("开放/控制") or ""), AccessMarking.CONTROLLED)
    number = meta.get("件号")
    RecordItem.objects.filter(pk=item.pk).update(
        item_number=number if isinstance(number, int) and number > 0 else None,
        reference_code=code, status=ItemStatus.LOCKED, access_marking=marking,
        access_marking_reason=str(meta.get("开放/控制理由") or "移交进馆时未注明")[:300],
    )  # fmt: skip
    item.refresh_from_db()
    IssuedCode.objects.create(code=code, item=item)
    files = 0
    for entry in sorted(meta.get("电子文件") or [], key=lambda e: e.get("顺序") or 0):
        inside = str(entry["包内路径"])
        with (root / inside).open("rb") as stream:
            captured = object_capture(
                actor=actor, stream=stream, category=item.category, unit=unit,
                filename=str(entry.get("计算机文件名") or Path(inside).name),
            )  # fmt: skip
        if captured.object.sha256 != entry.get("摘要", {}).get("SHA-256"):
            raise _refuse(f"{code} 的电子文件“{inside}”与著录的摘要不符", meta["_where"])
        files += 1
        pages = entry.get("页数")
        ItemFile.objects.create(
            item=item, object=captured.object, position=files, filename=captured.filename,
            pages=pages if isinstance(pages, int) and pages > 0 else None,
        )  # fmt: skip
    return item, files


def package_receive(
    *,
    actor: Any,
    path: Path | str,
    leader: str,
    name: str,
    opinion: str = "",
    archives_id: int | None = None,
) -> Received:
    """Take in a package from another installation; refused (in Chinese, nothing kept) when
    anything in it does not verify. Recreating records needs write access to their units: the
    operator at the server's command line (actor None) has it."""
    leader, name, opinion = _signature(leader, name, opinion)
    archives = _archives(actor, archives_id)
    report = package_verify(path)
    try:
        if not report.ok:
            raise ProblemError(
                [Problem("transfer.package_refused", report.reason), *report.problems]
            )
        assert report.root is not None
        number = report.info.get("External-Identifier", "").strip()
        if not number:
            raise _refuse("bag-info.txt 缺少 External-Identifier（移交批次号）", "bag-info.txt")
        if Batch.objects.filter(number=number[:40]).exists():
            raise _refuse(f"移交包 {number} 已接收过，不能重复接收")
        records = _records(report.root, report)
        run = checks_run(
            actor=actor, stage=Stage.RECEIPT, items=[], package=report.root, unit=archives,
            verified=report,
        )  # fmt: skip
        if not run.passed:
            raise _run_problems(run, "transfer.receipt_failed", "接收检测未通过，不能接收")
        return _take(actor, report, records, run, archives, (leader, name, opinion), number)
    finally:
        report.cleanup()


def _take(
    actor: Any,
    report: VerifyReport,
    records: list[dict[str, Any]],
    run: CheckRun,
    archives: Unit,
    signed: tuple[str, str, str],
    number: str,
) -> Received:
    assert report.root is not None
    now = timezone.now()
    made: list[Unit] = []
    with transaction.atomic():
        items, files = [], 0
        for meta in records:
            unit = _provenance_unit(meta, made)
            item, count = _recreate(actor, meta, unit, report.root)
            items.append(item)
            files += count
        sender = report.info.get("Source-Organization", items[0].unit.name)
        bagged = report.info.get("Bagging-Date", "")
        try:
            sent = datetime.datetime.fromisoformat(bagged).replace(tzinfo=datetime.UTC)
        except ValueError:
            sent = now
        batch = Batch.objects.create(
            number=number[:40], unit=items[0].unit, archives=archives, nature=Nature.TRANSFER,
            status=BatchStatus.ACCEPTED, selection={"package": str(report.source)},
            sender_name=sender[:50], sender_signed_at=sent, sent_at=sent,
            sender_opinion=report.info.get("Internal-Sender-Description", ""),
            receiver_leader=signed[0], receiver_name=signed[1], receiver_opinion=signed[2],
            receiver_signed_at=now, decided_at=now, package_name=report.source.name[:200],
            package_sha256=package_digest(report.root), package_bytes=report.bytes,
            digest_algorithms="SHA-256、SM3", receipt_checks=run_summary(run), receipt_run=run,
        )  # fmt: skip
        BatchItem.objects.bulk_create(BatchItem(batch=batch, item=i) for i in items)
        fonds = archives_fonds(archives, actor=actor)
        holdings = take_in(batch, fonds, now)
        after = {
            "package": str(report.source), "sha256": batch.package_sha256, "records": len(items),
            "files": files, "units_made": [u.fonds_code for u in made], "check_run": run.pk,
        }  # fmt: skip
        audit_record(
            actor=actor, action="transfer.receive", obj=batch, after=after,
            summary=f"{archives.name}接收另一系统的移交包 {number}（{sender}）："
            f"{len(holdings)} 件进馆，归入 {fonds.fonds_code} {fonds.name}",
        )  # fmt: skip
        audit_record(
            actor=actor, action="transfer.receive", object_type="transfer.batch",
            object_id=batch.pk, region_code=archives.region_id, after=after,
            summary=f"接收{sender}的移交包 {number}：{len(holdings)} 件、{files} 个电子文件",
        )  # fmt: skip
    return Received(batch, len(items), files, run)
