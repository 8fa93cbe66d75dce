"""Importing the registration sheet: every difference from the registry becomes history."""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fupin.accounts.access import require_cap, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event, audit_record
from fupin.core.bulk import insert_rows
from fupin.core.planner import statistics_refresh
from fupin.core.problems import Problem, ProblemError
from fupin.households.models import (
    ChangeKind,
    CodeAlias,
    Household,
    HouseholdChange,
    HouseholdStatus,
    IdentifiedBasis,
    ImportBatch,
    Person,
)
from fupin.households.registry import sheet
from fupin.households.registry.codes import CODED_COLUMNS, code_lists, fold
from fupin.households.registry.hooks import FileColumns, file_columns
from fupin.households.registry.importing import (
    Group,
    ParsedRow,
    SheetCheck,
    VillageResolver,
    find_layout,
    require_sheet_format,
    row_groups,
    write_error_workbook,
)
from fupin.regions.models import CODE_LENGTH

WRITE_CHUNK = 1000  # households compared and written together
ERRORS_LISTED = 200
# Household and person fields compared on re-import, with the sheet column that names them.
HOUSEHOLD_FIELDS = {c.field: c.label for c in sheet.HOUSEHOLD_COMPARED}
PERSON_FIELDS = {c.field: c.label for c in sheet.PERSON_COMPARED}
STATUS_FIELD = sheet.STATUS_LABEL
IDENTIFIED_YEAR_LABEL = sheet.BY_FIELD["identified_year"].label
EXITED_LIKE = (HouseholdStatus.EXITED, HouseholdStatus.STABLE)
# The plan's figures per village, by change kind, under the names the JSON output uses.
PLAN_FIGURES = {
    ChangeKind.IDENTIFIED: "new",
    ChangeKind.RETURNED: "returned",
    ChangeKind.EXITED: "exited",
    ChangeKind.REMOVED: "removed",
    ChangeKind.MEMBER_ADDED: "members_added",
    ChangeKind.MEMBER_REMOVED: "members_removed",
    ChangeKind.ATTRIBUTE: "attributes_changed",
}
PLAN_LABELS = {
    "new": "新识别",
    "returned": "返贫",
    "exited": "脱贫",
    "removed": "清退",
    "members_added": "成员增加",
    "members_removed": "成员减少",
    "attributes_changed": "属性变更",
}
# A plain import whose registry another import changed under it this many times in a row.
IMPORT_ATTEMPTS = 3
REGISTRY_KEPT_CHANGING = (
    f"导入过程中登记数据接连被其他导入改变（已重新核对 {IMPORT_ATTEMPTS} 次），"
    "本次未导入任何内容。请稍后重新导入。"
)
CHANGED_SINCE_PREVIEW = (
    "预览之后表格或登记数据已有变化，本次未导入任何内容。请重新上传并预览，确认后再导入。"
)


class Plan:
    """What an import changes, per village, with the households it would 清退 by name, and a
    digest of every single change in order: confirming a preview means "exactly this"."""

    def __init__(self, sheet_sha256: str, skip_invalid: bool, data_year: int) -> None:
        self.villages: dict[str, Counter] = {}
        self.removed: dict[str, list[dict[str, str]]] = {}
        self._digest = hashlib.sha256(f"{sheet_sha256}|{int(skip_invalid)}|{data_year}".encode())

    def count(self, village: str, kind: str, n: int = 1) -> None:
        self.villages.setdefault(village, Counter())[PLAN_FIGURES[ChangeKind(kind)]] += n

    def note(self, *parts: Any) -> None:
        self._digest.update("\x1f".join(map(str, parts)).encode() + b"\x1e")

    def remove(self, village: str, household_no: str, head_name: str) -> None:
        self.removed.setdefault(village, []).append(
            {"household_no": household_no, "head_name": head_name}
        )

    @property
    def digest(self) -> str:
        return self._digest.hexdigest()

    def rows(self) -> list[dict[str, Any]]:
        names = _village_names(set(self.villages))
        return [
            {
                "village": code,
                "village_name": names.get(code, ""),
                **{figure: counts.get(figure, 0) for figure in PLAN_LABELS},
                "removed_households": self.removed.get(code, []),
            }
            for code, counts in sorted(self.villages.items())
        ]


def _village_names(codes: set[str]) -> dict[str, str]:
    """ "郧西县城关镇东岭村" for each village code."""
    from fupin.regions.models import Region

    found: dict[str, str] = {}
    listed = sorted(codes)
    for start in range(0, len(listed), WRITE_CHUNK):
        villages = Region.objects.filter(code__in=listed[start : start + WRITE_CHUNK])
        for code, village, township, county in villages.values_list(
            "code", "name", "parent__name", "parent__parent__name"
        ):
            found[code] = f"{county or ''}{township or ''}{village}"
    return found


@dataclass
class ImportReport:
    ok: bool
    file: str
    rows: int
    households: int
    batch_id: int | None = None
    imported_households: int = 0
    people: int = 0
    skipped_households: int = 0
    unchanged_households: int = 0  # valid households the registry already holds as the sheet says
    applied: bool = False  # the import was carried out (with or without changes)
    changes: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False  # a preview: computed as the import would apply it, then undone
    plan: list[dict[str, Any]] = field(default_factory=list)  # per village, see Plan.rows
    digest: str = ""  # the sheet and every change of the plan; `expect` of the apply
    error_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error_workbook: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _target_status(exit_status: str, current: str | None, village_known: bool) -> str:
    """The status the sheet's 脱贫属性 means for a household now in `current`."""
    if exit_status == "已脱贫":
        return current if current in EXITED_LIKE else HouseholdStatus.EXITED
    if exit_status == "返贫":
        return HouseholdStatus.RETURNED
    if current is None or current == HouseholdStatus.REMOVED:
        return HouseholdStatus.NEW if village_known else HouseholdStatus.POOR
    if current in EXITED_LIKE:
        return HouseholdStatus.RETURNED
    return current


def _status_kind(current: str, target: str) -> str | None:
    if current == HouseholdStatus.REMOVED:
        return ChangeKind.IDENTIFIED
    if target == HouseholdStatus.EXITED and current not in EXITED_LIKE:
        return ChangeKind.EXITED
    if target == HouseholdStatus.RETURNED and current != HouseholdStatus.RETURNED:
        return ChangeKind.RETURNED
    return None


@dataclass
class _Writer:
    """Compares chunks of the sheet's households with the registry and writes the difference."""

    batch: ImportBatch
    at: datetime
    year: int  # the sheet's data year: what a 新识别 or 脱贫 of this import is dated by
    check: SheetCheck
    plan: Plan
    counts: Counter = field(default_factory=Counter)
    # Villages that had households before this import: a household new to such a village is
    # newly identified (新识别) this year; in a village seen for the first time it is not.
    known: dict[str, bool] = field(default_factory=dict)
    last_id: int = 0  # the largest id of the households this writer created
    files: FileColumns = field(default_factory=file_columns)
    seen: int = 0  # the sheet's households this pass compared with the registry
    created: int = 0
    created_people: int = 0
    # Registered households of the sheet that this import changed (and their people): a
    # household the sheet repeats unchanged is not counted as imported.
    touched: dict[int, int] = field(default_factory=dict)  # household id → people

    def change(self, household: Household, kind: str, **values: Any) -> HouseholdChange:
        self.counts[kind] += 1
        self.plan.count(household.village_id, kind)
        self.plan.note(household.household_no, kind, *values.values())
        return HouseholdChange(
            household=household, batch=self.batch, kind=kind, at=self.at, **values
        )

    def _learn_villages(self, villages: set[str]) -> None:
        """Whether these villages had households, in one query for those not asked before
        (a query per village kept the main thread waiting on the reading threads' GIL)."""
        if asked := villages - self.known.keys():
            found = Household.objects.filter(village_id__in=asked).order_by()
            settled = set(found.values_list("village_id", flat=True).distinct())
            self.known.update((village, village in settled) for village in asked)

    def _move_out(self, idents: list[str]) -> None:
        """People moving in from another household of the sheet leave it first, so an ID is
        never registered twice; the other household's own rows come later or already came."""
        leaving = Person.objects.filter(id_number__in=idents)
        changes = [
            self.change(
                p.household, ChangeKind.MEMBER_REMOVED, person_no=p.person_no, person_name=p.name
            )
            for p in leaving.select_related("household")
        ]
        for change in changes:
            self.touched.setdefault(change.household_id, 0)
        HouseholdChange.objects.bulk_create(changes)
        leaving.delete()

    def write(self, groups: list[Group]) -> None:
        idents = (r.person["id_number"] for g in groups for r in g.rows)
        if moving := [i for i in idents if i in self.check.moves]:
            self._move_out(moving)
        numbers = [g.household_no for g in groups]
        self.seen += len(groups)
        existing = (
            {}  # the sheet's own households are all new, and told apart by `take`
            if self.check.first_import
            else {h.household_no: h for h in Household.objects.filter(household_no__in=numbers)}
        )
        self._create([g for g in groups if g.household_no not in existing])
        self._update([(existing[g.household_no], g) for g in groups if g.household_no in existing])

    def _identified(self, sheet_year: int | None, village_known: bool) -> dict[str, Any]:
        """A new household's 识别年度 and what it rests on: the sheet's column when filled;
        else, new in a registered village, it is identified in this data year; else (its
        village's first sheet) it was registered by this data year, which is all we know."""
        if village_known:
            return {
                "identified_year": sheet_year or self.year,
                "identified_basis": IdentifiedBasis.IDENTIFIED,
            }
        if sheet_year:
            return {"identified_year": sheet_year, "identified_basis": IdentifiedBasis.SHEET}
        return {"identified_year": self.year, "identified_basis": IdentifiedBasis.REGISTERED}

    @staticmethod
    def _sheet_values(group: Group) -> dict[str, Any]:
        values = {k: group.rows[0].household[k] for k in HOUSEHOLD_FIELDS}
        values["size"] = values["size"] or len(group.rows)
        return values

    def _create(self, groups: list[Group]) -> None:
        """New households with their members and their 新识别 entry, by plain INSERTs: on a
        first import that is every row of the sheet."""
        if not groups:
            return
        households = []
        self._learn_villages({self.check.households[g.household_no] for g in groups})
        for group in groups:
            village = self.check.households[group.household_no]
            known = self.known[village]
            head = group.rows[0].household
            values = {
                "village_id": village,
                "household_no": group.household_no,
                "status": _target_status(head["exit_status"], None, known),
                **self._identified(head["identified_year"], known),
                "updated_by_id": self.batch.pk,
                **self._sheet_values(group),
            }
            households.append(values)
        for values, columns in zip(households, self.files.new(households), strict=True):
            values.update(columns)
        insert_rows(Household, households)
        # This batch's households written since the last chunk: ids only grow within one
        # transaction, and a range read is far cheaper than a thousand-item IN list.
        added = Household.objects.filter(updated_by=self.batch, pk__gt=self.last_id)
        wanted = {g.household_no for g in groups}
        ids = {no: pk for no, pk in added.values_list("household_no", "id") if no in wanted}
        self.last_id = max(ids.values())
        for group in groups:
            for row in group.rows:
                row.person["household_id"] = ids[group.household_no]
        insert_rows(Person, (r.person for g in groups for r in g.rows))
        identified = {"batch_id": self.batch.pk, "kind": ChangeKind.IDENTIFIED.value, "at": self.at}
        insert_rows(
            HouseholdChange, ({"household_id": ids[g.household_no], **identified} for g in groups)
        )
        self.counts[ChangeKind.IDENTIFIED] += len(groups)
        for group in groups:
            self.plan.count(self.check.households[group.household_no], ChangeKind.IDENTIFIED)
            self.plan.note(group.household_no, ChangeKind.IDENTIFIED)
        self.created += len(groups)
        self.created_people += sum(len(g.rows) for g in groups)

    @property
    def households(self) -> int:
        """Households this import wrote: new ones and registered ones it changed."""
        return self.created + len(self.touched)

    @property
    def people(self) -> int:
        return self.created_people + sum(self.touched.values())

    def _update(self, pairs: list[tuple[Household, Group]]) -> None:
        """Registered households: every difference from the sheet becomes a change entry."""
        if not pairs:
            return
        members: dict[int, dict[str, Person]] = {h.pk: {} for h, _ in pairs}
        for member in Person.objects.filter(household__in=[h for h, _ in pairs]):
            members[member.household_id][member.id_number] = member
        new_people: list[tuple[Household, dict[str, Any]]] = []
        changed_households: list[Household] = []
        changed_people: list[Person] = []
        gone: list[int] = []
        changes: list[HouseholdChange] = []
        for household, group in pairs:
            rows = group.rows
            before = len(changes)
            dirty = self._household_changes(household, rows[0], self._sheet_values(group), changes)
            old = members[household.pk]
            sheet_people = {r.person["id_number"]: r.person for r in rows}
            for ident, leaving in old.items():
                if ident not in sheet_people:
                    gone.append(leaving.pk)
                    self.check.left[ident] = household.household_no
                    changes.append(
                        self.change(
                            household,
                            ChangeKind.MEMBER_REMOVED,
                            person_no=leaving.person_no,
                            person_name=leaving.name,
                        )
                    )
            for ident, values in sheet_people.items():
                person = old.get(ident)
                if person is None:
                    new_people.append((household, values))
                    changes.append(
                        self.change(
                            household,
                            ChangeKind.MEMBER_ADDED,
                            person_no=values["person_no"],
                            person_name=values["name"],
                        )
                    )
                elif self._person_changes(household, person, values, changes):
                    changed_people.append(person)
            if dirty:
                household.updated_by = self.batch
                changed_households.append(household)
            if len(changes) > before or household.pk in self.touched:
                self.touched[household.pk] = len(rows)
        Person.objects.filter(pk__in=gone).delete()
        Household.objects.bulk_update(
            changed_households,
            [
                *HOUSEHOLD_FIELDS,
                "status",
                "exit_year",
                "identified_year",
                "identified_basis",
                "updated_by",
            ],
            batch_size=WRITE_CHUNK,
        )
        Person.objects.bulk_update(changed_people, list(PERSON_FIELDS), batch_size=WRITE_CHUNK)
        Person.objects.bulk_create(
            [Person(household=h, **values) for h, values in new_people], batch_size=WRITE_CHUNK
        )
        HouseholdChange.objects.bulk_create(changes, batch_size=WRITE_CHUNK)
        self.files.refresh(h.pk for h in changed_households)

    def _household_changes(
        self, household: Household, head: ParsedRow, values: dict[str, Any], changes: list
    ) -> bool:
        dirty = False
        current = household.status
        target = _target_status(head.household["exit_status"], current, True)
        if target != current:
            kind = _status_kind(current, target) or ChangeKind.ATTRIBUTE
            changes.append(
                self.change(
                    household,
                    kind,
                    field=STATUS_FIELD,
                    before=HouseholdStatus(current).label,
                    after=HouseholdStatus(target).label,
                )
            )
            household.status = target
            if kind == ChangeKind.EXITED:
                household.exit_year = max(self.year, household.identified_year or self.year)
            dirty = True
        dirty |= self._identified_year_changes(
            household, head.household["identified_year"], changes
        )
        for name, label in HOUSEHOLD_FIELDS.items():
            before, after = getattr(household, name), values[name]
            if before != after:
                changes.append(
                    self.change(
                        household,
                        ChangeKind.ATTRIBUTE,
                        field=label,
                        before=sheet.shown(before),
                        after=sheet.shown(after),
                    )
                )
                setattr(household, name, after)
                dirty = True
        return dirty

    def _identified_year_changes(
        self, household: Household, sheet_year: int | None, changes: list
    ) -> bool:
        """A filled 识别年度 corrects the registry's, or replaces a first import's data year
        (then it is known, not only bounded); a blank one says nothing."""
        if not sheet_year:
            return False
        loaded = household.identified_basis == IdentifiedBasis.REGISTERED
        if sheet_year == household.identified_year and not loaded:
            return False
        if sheet_year != household.identified_year:
            changes.append(
                self.change(
                    household,
                    ChangeKind.ATTRIBUTE,
                    field=IDENTIFIED_YEAR_LABEL,
                    before=sheet.shown(household.identified_year),
                    after=sheet.shown(sheet_year),
                )
            )
        household.identified_year = sheet_year
        if loaded:
            household.identified_basis = IdentifiedBasis.SHEET
        return True

    def _person_changes(
        self, household: Household, person: Person, values: dict[str, Any], changes: list
    ) -> bool:
        dirty = False
        for name, label in PERSON_FIELDS.items():
            before, after = getattr(person, name), values[name]
            if before != after:
                changes.append(
                    self.change(
                        household,
                        ChangeKind.ATTRIBUTE,
                        field=label,
                        person_no=values["person_no"],
                        person_name=values["name"],
                        before=sheet.shown(before),
                        after=sheet.shown(after),
                    )
                )
                setattr(person, name, after)
                dirty = True
        return dirty

    def remove_missing(self, covered: set[str], present: set[str]) -> None:
        """清退: a registered household of a village the sheet covers, absent from the sheet.

        A village is covered only by a household of it that this pass imports (a valid one):
        a village whose every household was refused says nothing about who left it. Households
        the sheet holds, valid or not, are never 清退."""
        if self.check.first_import:
            return  # everything registered came from this sheet
        registered = Household.objects.filter(village_id__in=covered).exclude(
            status=HouseholdStatus.REMOVED
        )
        # Numbers first, instances only for the missing: a sheet covers whole provinces.
        gone = [pk for pk, no in registered.values_list("pk", "household_no") if no not in present]
        for start in range(0, len(gone), WRITE_CHUNK):
            chunk = list(
                Household.objects.filter(pk__in=gone[start : start + WRITE_CHUNK]).only(
                    "pk", "household_no", "status", "village_id", "head_name"
                )
            )
            changes = []
            for household in chunk:
                self.plan.remove(household.village_id, household.household_no, household.head_name)
                changes.append(
                    self.change(
                        household,
                        ChangeKind.REMOVED,
                        field=STATUS_FIELD,
                        before=HouseholdStatus(household.status).label,
                        after=HouseholdStatus.REMOVED.label,
                    )
                )
            Household.objects.filter(pk__in=[h.pk for h in chunk]).update(
                status=HouseholdStatus.REMOVED,
                updated_by=self.batch,
                **self.files.owed_nothing(),
            )
            HouseholdChange.objects.bulk_create(changes)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _common_region(codes: set[str]) -> str:
    """The smallest region containing every village of the sheet, for the audit trail."""
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    for length in sorted(CODE_LENGTH.values(), reverse=True):
        if first[:length] == last[:length]:
            return first[:length]
    return ""


class _Rollback(Exception):
    """The sheet has errors: undo what the pass wrote."""


def households_import(
    *,
    actor: Any,
    path: Path,
    skip_invalid: bool = False,
    dry_run: bool = False,
    expect: str = "",
    progress: Callable[[int], None] | None = None,
    data_year: int | None = None,
) -> ImportReport:
    """Import a registration sheet, all or nothing: with any error nothing is written, unless
    `skip_invalid`, when the households without errors are imported whole.

    One pass reads, checks and writes, in one transaction; the sheet is read a second time
    only when it has errors (for the error workbook, and for `skip_invalid` the import of
    the good households once every error is known). The pass computes the plan as it writes:
    `dry_run` undoes it at the end (the preview is what the import itself would do, by the
    same code), and `expect` — a preview's digest — undoes it and refuses unless the plan
    is exactly the one previewed. `progress` hears the rows read so far. `data_year` is the
    year the sheet's data describe (数据年度, this year unless given)."""
    path = Path(path)
    require_cap(actor, Cap.DATA_WRITE)
    year = data_year_checked(data_year)
    require_sheet_format(path)
    for _attempt in range(IMPORT_ATTEMPTS):
        run = _Run(actor, path, _sha256(path), skip_invalid, dry_run, expect, progress, year)
        report = _import_once(run)
        if report is not None:
            return report
        # The second reading found what the first did not: another import committed between
        # them (or the file was replaced). What this one would write was decided against a
        # registry that is gone, so nothing was written; a preview's confirmation cannot
        # hold any more, a plain import reads the sheet again against the registry as it is.
        if expect:
            raise ProblemError([Problem("import.changed_since_preview", CHANGED_SINCE_PREVIEW)])
    raise ProblemError([Problem("import.registry_busy", REGISTRY_KEPT_CHANGING)])


def _import_once(run: "_Run") -> ImportReport | None:
    """One import: a single pass when the sheet is clean; with errors and `skip_invalid`, a
    second pass writing the households the first found valid. None when the registry (or the
    file) changed between the two passes, so the first pass's verdicts no longer hold."""
    check = SheetCheck(find_layout(run.path), data_year=run.data_year)
    try:
        return _write_pass(run, check)
    except _Rollback:
        pass
    report = _report(run.path, check)
    report.dry_run = run.dry_run
    report.error_workbook = str(write_error_workbook(run.path, check, check.bad))
    if not run.skip_invalid:
        report.skipped_households = report.households
        return report
    again = SheetCheck(check.layout, data_year=run.data_year)
    try:
        done = _write_pass(run, again, first=check)
    except _Rollback:
        return None
    done.error_workbook = report.error_workbook
    return done


@dataclass(frozen=True)
class _Run:
    actor: Any
    path: Path
    sha256: str
    skip_invalid: bool
    dry_run: bool
    expect: str
    progress: Callable[[int], None] | None
    data_year: int


def data_year_checked(year: int | None) -> int:
    """The import's 数据年度: from the first year of 建档立卡 to this one."""
    this_year = timezone.localdate().year
    if year is None:
        return this_year
    if not sheet.FIRST_IDENTIFICATION_YEAR <= year <= this_year:
        raise ProblemError(
            [
                Problem(
                    "import.data_year",
                    f"数据年度应在 {sheet.FIRST_IDENTIFICATION_YEAR}–{this_year} 年之间。",
                    "数据年度",
                )
            ]
        )
    return year


class _Previewed(Exception):
    """A dry run is over: undo what it wrote, keep its report."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report


def _report(path: Path, check: SheetCheck) -> ImportReport:
    return ImportReport(
        ok=not check.errors,
        file=path.name,
        rows=check.rows,
        households=len(check.numbers),
        skipped_households=len(check.bad),
        error_rows=len(check.errors),
        errors=[
            {"row": row, "message": "；".join(messages)}
            for row, messages in sorted(check.errors.items())[:ERRORS_LISTED]
        ],
        warnings=[{"row": row, "message": m} for row, m in check.warnings[:ERRORS_LISTED]],
    )


def _write_pass(run: _Run, check: SheetCheck, first: SheetCheck | None = None) -> ImportReport:
    """Check and write chunk by chunk; after the first error only check, then roll back.
    Given the `first` pass's check, leave out the households it found wrong."""
    resolver = VillageResolver(user_scope(run.actor))
    plan = Plan(run.sha256, run.skip_invalid, run.data_year)
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            check.first_import = not Household.objects.exists()
            batch = ImportBatch.objects.create(
                file_name=run.path.name,
                sha256=run.sha256,
                rows=0,
                households=0,
                data_year=run.data_year,
                actor=run.actor if getattr(run.actor, "is_authenticated", False) else None,
            )
            writer = _Writer(batch, timezone.now(), run.data_year, check, plan)
            chunk: list[Group] = []
            for group in row_groups(run.path, check.layout):
                if first and group.household_no in first.bad:
                    continue
                check.take(group, resolver)
                chunk.append(group)
                if len(chunk) >= WRITE_CHUNK:
                    _write_chunk(writer, check, chunk)
                    chunk = []
                    if run.progress:
                        run.progress(check.rows)
            _write_chunk(writer, check, chunk)
            check.finish()
            if check.errors:
                raise _Rollback
            # The whole sheet's figures and errors, with what this pass imported.
            whole = first or check
            writer.remove_missing(covered=check.villages, present=whole.numbers)
            report = _report(run.path, whole)
            report.plan = plan.rows()
            report.digest = plan.digest
            if run.dry_run:
                report.dry_run = True
                _count(writer, report)
                raise _Previewed(report)
            if run.expect and run.expect != plan.digest:
                raise ProblemError([Problem("import.changed_since_preview", CHANGED_SINCE_PREVIEW)])
            _close_batch(run.actor, run.path, batch, writer, whole, report)
    except _Previewed as previewed:
        return previewed.report
    return report


# Any number the imports agree on: the key of PostgreSQL's advisory lock they take.
IMPORT_LOCK_KEY = 0x46555049  # "FUPI"


def _one_import_at_a_time() -> None:
    """An import pass reads the registry, then writes what differs from it: two at once would
    each write against a registry the other is changing (the same new 户编号 twice, a change
    history comparing with values already gone). SQLite's IMMEDIATE transactions take the
    write lock at BEGIN already; on PostgreSQL a lock held to the end of the transaction makes
    a second pass wait, then read what the first committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _write_chunk(writer: "_Writer", check: SheetCheck, chunk: list[Group]) -> None:
    if not chunk:
        return
    check.registry(chunk)
    if not check.errors:
        writer.write(chunk)


def _count(writer: _Writer, report: ImportReport) -> None:
    report.imported_households = writer.households
    report.people = writer.people
    report.unchanged_households = writer.seen - writer.households
    report.changes = {ChangeKind(k).label: n for k, n in sorted(writer.counts.items())}


def _close_batch(
    actor: Any,
    path: Path,
    batch: ImportBatch,
    writer: "_Writer",
    check: SheetCheck,
    report: ImportReport,
) -> None:
    _count(writer, report)
    report.applied = True
    if not writer.counts:
        # The registry already says what the sheet says: no batch, no history, only the
        # trace that someone imported it.
        batch.delete()
        audit_record(
            actor=actor,
            action="households.import",
            object_type="households.importbatch",
            region_code=_common_region(check.villages),
            after={"rows": check.rows, "changes": {}},
            summary=f"导入建档立卡表 {path.name}：与登记数据相同，无变动",
        )
        return
    report.batch_id = batch.pk
    batch.rows = check.rows
    batch.region_code = _common_region(check.villages)
    batch.households = writer.households
    batch.summary = {
        "people": writer.people,
        "skipped_households": report.skipped_households,
        "error_rows": report.error_rows,
        "warnings": len(check.warnings),
        "villages": len(check.villages),
        "changes": report.changes,
    }
    batch.save(update_fields=["rows", "region_code", "households", "summary"])
    statistics_refresh(Household, Person, HouseholdChange)
    counted = "，".join(f"{k} {n}" for k, n in report.changes.items()) or "无变动"
    audit_record(
        actor=actor,
        action="households.import",
        obj=batch,
        after=batch.summary,
        summary=f"导入建档立卡表 {path.name}：{writer.households} 户 {writer.people} 人；{counted}",
    )


def household_reveal(*, actor: Any, household: Household) -> None:
    """Full ID and phone numbers are shown only on request, to those allowed, and leave a trace."""
    require_cap(actor, Cap.PERSONAL_READ, household.village_id)
    audit_read_event(
        actor=actor,
        action="household.reveal",
        summary=f"查看户 {household.household_no} 的完整证件号码与联系电话",
        object_type="households.household",
        object_id=household.pk,
        region_code=household.village_id,
    )


def code_alias_add(*, actor: Any, column: str, alias: str, value: str) -> CodeAlias:
    """Another spelling of a code value (or of "nothing to report", when `value` is blank),
    taken by every import from now on. For the system administrator."""
    require_cap(actor, Cap.USERS_MANAGE)
    problems = []
    folded = fold(alias)
    lists = code_lists()
    code_list = lists.get(column)
    if code_list is None:
        problems.append(Problem("code_alias.column", f"没有名为“{column}”的代码列。", "列"))
    elif not folded or len(folded) > 30:
        problems.append(Problem("code_alias.alias", "别名不能为空，且不超过 30 个字。", "别名"))
    elif folded in code_list.folded:
        known = code_list.folded[folded] or "空"
        problems.append(
            Problem("code_alias.taken", f"“{alias}”已可识别（对应“{known}”），无需再加。", "别名")
        )
    elif value and value not in code_list.values:
        problems.append(
            Problem(
                "code_alias.value",
                f"“{value}”不是{CODED_COLUMNS[column]}的代码值（应为："
                f"{'、'.join(code_list.values)}，或留空表示无）。",
                "对应代码值",
            )
        )
    if problems:
        raise ProblemError(problems)
    with transaction.atomic():
        added = CodeAlias.objects.create(column=column, alias=folded, value=value)
        audit_record(
            actor=actor,
            action="households.code_alias_add",
            obj=added,
            after={"column": column, "alias": folded, "value": value},
            summary=f"代码表{CODED_COLUMNS[column]}增加别名“{folded}”→“{value or '（空）'}”",
        )
    return added
