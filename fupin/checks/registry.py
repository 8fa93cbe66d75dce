"""Checks are Python functions registered under the code of their catalogue row
(CheckDefinition). Each gets the run's context and returns what it found."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from fupin.checks.inspect import FileFacts, inspect_file
from fupin.checks.models import Outcome
from fupin.records.models import ItemFile, RecordItem


@dataclass
class Found:
    """A check's answer. `checked` counts what it looked at; each failure names a record."""

    checked: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    note: str = ""
    applicable: bool = True

    def fail(self, record: str, reason: str) -> None:
        self.failures.append({"record": record, "reason": reason})

    @property
    def outcome(self) -> str:
        if not self.applicable:
            return Outcome.NOT_APPLICABLE
        return Outcome.FAILED if self.failures else Outcome.PASSED


def not_applicable(note: str) -> Found:
    return Found(note=note, applicable=False)


def record_label(item: RecordItem) -> str:
    return item.reference_code or f"未编号文件（编号 {item.pk}）《{item.title[:40]}》"


def file_label(item: RecordItem, item_file: ItemFile) -> str:
    return f"{record_label(item)} / {item_file.filename}"


class CheckContext:
    """The records of one run and, where given, the package. File facts are found once per
    stored object and shared by every check that needs them."""

    def __init__(self, stage: str, items: list[RecordItem], package: Path | None) -> None:
        self.stage = stage
        self.items = items
        self.package = package
        self._facts: dict[int, FileFacts] = {}
        # The package_verify report of `package`, made once and read by the package checks.
        self.package_report: Any = None

    def files(self) -> Iterator[tuple[RecordItem, ItemFile]]:
        for item in self.items:
            for item_file in item.files.all():
                yield item, item_file

    def facts(self, item_file: ItemFile) -> FileFacts:
        obj = item_file.object
        if obj.pk not in self._facts:
            if not default_storage.exists(obj.storage_name):
                self._facts[obj.pk] = FileFacts(found=False)
            else:
                with default_storage.open(obj.storage_name, "rb") as handle:
                    self._facts[obj.pk] = inspect_file(handle)
        return self._facts[obj.pk]


CheckFunction = Callable[[CheckContext], Found]
CHECKS: dict[str, CheckFunction] = {}


def check(code: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[code] = function
        return function

    return register
