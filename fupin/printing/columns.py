"""The columns of the list forms, shared by their PDF and XLSX renderings."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm

from fupin.printing.forms import (
    AppraisalRow,
    CatalogueEntry,
    DestroyedFileRow,
    HandoverCount,
    HouseholdTodo,
    RegisterRow,
    TransferRow,
    VolumeEntry,
)

Entry = TypeVar("Entry")
Cell = str | int | None


@dataclass(frozen=True)
class Column(Generic[Entry]):
    header: str
    width_mm: float
    value: Callable[[Entry], Cell]
    # Free text reads better ranged left; codes, numbers and dates are centred.
    align: Literal["LEFT", "CENTER"] = "CENTER"


@dataclass(frozen=True)
class ListForm(Generic[Entry]):
    heading: str
    columns: tuple[Column[Entry], ...]
    landscape: bool
    margin_mm: float

    @property
    def page_size(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else portrait(A4)

    @property
    def text_width(self) -> float:
        return self.page_size[0] - 2 * self.margin_mm * mm

    def rows(self, entries: Sequence[Entry]) -> list[list[Cell]]:
        return [[column.value(entry) for column in self.columns] for entry in entries]


# DA/T 22-2015 归档文件目录, A4 landscape; the widths add up to the 267 mm between the margins.
CATALOGUE: ListForm[CatalogueEntry] = ListForm(
    heading="归档文件目录",
    columns=(
        Column("序号", 12, lambda e: e.seq),
        Column("档号", 42, lambda e: e.reference_code),
        Column("文号", 36, lambda e: e.document_number),
        Column("责任者", 28, lambda e: e.responsible, "LEFT"),
        Column("题名", 85, lambda e: e.shown_title, "LEFT"),
        Column("日期", 20, lambda e: e.date),
        Column("密级", 12, lambda e: e.secrecy),
        Column("页数", 12, lambda e: e.pages),
        Column("备注", 20, lambda e: e.notes, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)

# GB/T 11822-2008 卷内目录, A4 portrait; the widths add up to the 170 mm between the margins.
VOLUME_LIST: ListForm[VolumeEntry] = ListForm(
    heading="卷内目录",
    columns=(
        Column("序号", 12, lambda e: e.seq),
        Column("文件编号", 26, lambda e: e.document_number),
        Column("责任者", 26, lambda e: e.responsible, "LEFT"),
        Column("文件题名", 58, lambda e: e.title, "LEFT"),
        Column("日期", 20, lambda e: e.date),
        Column("页号", 14, lambda e: e.page_label),
        Column("备注", 14, lambda e: e.notes, "LEFT"),
    ),
    landscape=False,
    margin_mm=20,
)

# 一户一档 to-do list, A4 landscape; the widths add up to the 267 mm between the margins.
HOUSEHOLD_TODO: ListForm[HouseholdTodo] = ListForm(
    heading="一户一档缺项清单",
    columns=(
        Column("乡镇", 26, lambda e: e.township, "LEFT"),
        Column("村", 26, lambda e: e.village, "LEFT"),
        Column("户编号", 34, lambda e: e.household_no),
        Column("户主", 18, lambda e: e.head_name),
        Column("状态", 14, lambda e: e.status),
        Column("应有", 12, lambda e: e.required),
        Column("缺少", 12, lambda e: e.missing),
        Column("缺少的材料", 125, lambda e: e.missing_labels, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)

# 到期档案鉴定表, A4 landscape; 267 mm between the margins.
APPRAISAL_FORM: ListForm[AppraisalRow] = ListForm(
    heading="到期档案鉴定表",
    columns=(
        Column("序号", 12, lambda e: e.seq),
        Column("档号", 42, lambda e: e.reference_code),
        Column("题名", 70, lambda e: e.title, "LEFT"),
        Column("年度", 12, lambda e: e.year),
        Column("保管期限", 16, lambda e: e.retention_label),
        Column("到期日期", 22, lambda e: e.ends_on),
        Column("鉴定意见", 20, lambda e: e.decision),
        Column("延长至", 15, lambda e: e.new_retention_label),
        Column("理由", 58, lambda e: e.reason, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)

# 档案销毁清册 (standards.md, Transfer and destruction), A4 landscape.
DESTRUCTION_REGISTER: ListForm[RegisterRow] = ListForm(
    heading="档案销毁清册",
    columns=(
        Column("序号", 12, lambda e: e.seq),
        Column("题名", 95, lambda e: e.title, "LEFT"),
        Column("年度", 14, lambda e: e.year),
        Column("档号", 48, lambda e: e.reference_code),
        Column("应保管期限", 22, lambda e: e.retention_label),
        Column("已保管期限", 22, lambda e: f"{e.kept_years}年"),
        Column("页数", 14, lambda e: e.pages),
        Column("备注", 40, lambda e: e.notes, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)

# 电子文件销毁证明: every file deleted, with its digests, A4 landscape.
DESTRUCTION_CERTIFICATE: ListForm[DestroyedFileRow] = ListForm(
    heading="电子档案销毁证明",
    columns=(
        Column("序号", 10, lambda e: e.seq),
        Column("档号", 38, lambda e: e.reference_code),
        Column("文件", 38, lambda e: e.filename, "LEFT"),
        Column("字节", 16, lambda e: e.size),
        Column("SHA-256", 58, lambda e: e.sha256, "LEFT"),
        Column("SM3", 58, lambda e: e.sm3, "LEFT"),
        Column("删除时间", 25, lambda e: e.deleted_at),
        Column("备注", 24, lambda e: e.notes, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)


# 移交清单: one line per item or volume handed to the archives, A4 landscape (267 mm).
TRANSFER_LIST: ListForm[TransferRow] = ListForm(
    heading="档案移交清单",
    columns=(
        Column("序号", 11, lambda e: e.seq),
        Column("档号", 44, lambda e: e.reference_code),
        Column("件/卷", 11, lambda e: e.kind),
        Column("题名", 80, lambda e: e.title, "LEFT"),
        Column("年度", 12, lambda e: e.year),
        Column("门类", 12, lambda e: e.category_label),
        Column("保管期限", 16, lambda e: e.retention_label),
        Column("页数", 11, lambda e: e.pages),
        Column("电子文件", 14, lambda e: e.files),
        Column("字节", 20, lambda e: e.size),
        Column("开放/控制", 14, lambda e: e.marking_label),
        Column("备注", 22, lambda e: e.notes, "LEFT"),
    ),
    landscape=True,
    margin_mm=15,
)

# 档案交接文据's quantities by 门类 and retention, A4 portrait (180 mm).
HANDOVER_COUNTS: ListForm[HandoverCount] = ListForm(
    heading="档案交接文据",
    columns=(
        Column("门类", 24, lambda e: e.category_label),
        Column("保管期限", 24, lambda e: e.retention_label),
        Column("件", 20, lambda e: e.items),
        Column("卷", 20, lambda e: e.volumes),
        Column("盒", 20, lambda e: e.boxes),
        Column("张（照片）", 30, lambda e: e.photos),
        Column("字节", 42, lambda e: e.size),
    ),
    landscape=False,
    margin_mm=15,
)
