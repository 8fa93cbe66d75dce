"""What each printed form needs, as plain values (callers map their models onto these)."""

from dataclasses import dataclass
from datetime import date

from fupin.printing.errors import PrintingError

BOX_THICKNESSES_MM = (20, 30, 40, 50)


def item_code(number: int) -> str:
    # DA/T 22-2015: item numbers are four digits, zero-padded.
    return f"{number:04d}"


@dataclass(frozen=True)
class StampFields:
    """归档章: 全宗号 | 年度 | 件号 / 机构（问题）| 保管期限 | 页数."""

    fonds_code: str
    year: int
    item_number: int
    department_or_subject: str
    retention_label: str
    pages: int | None = None


@dataclass(frozen=True)
class CatalogueCover:
    """The cover of a bound 归档文件目录."""

    fonds_code: str
    fonds_name: str
    year: int
    retention_label: str
    department_or_subject: str


@dataclass(frozen=True)
class CatalogueEntry:
    """One row of the 归档文件目录; ``date`` is YYYYMMDD."""

    seq: int
    reference_code: str
    document_number: str
    responsible: str
    title: str
    date: str
    secrecy: str = ""
    pages: int | None = None
    notes: str = ""
    title_made_by_archivist: bool = False

    @property
    def shown_title(self) -> str:
        # DA/T 22-2015: a title the archivist made up is printed in square brackets.
        return f"[{self.title}]" if self.title_made_by_archivist else self.title


@dataclass(frozen=True)
class VolumeCover:
    """案卷封面 (GB/T 11822): what the cover of a bound volume states."""

    heading: str
    fonds_name: str
    reference_code: str
    title: str
    arranging_unit: str
    date_range: str
    retention_label: str
    secrecy_label: str
    items: int
    pages: int


@dataclass(frozen=True)
class VolumeEntry:
    """One row of a 卷内目录 (GB/T 11822); ``page_label`` is the start page or a range."""

    seq: int
    document_number: str
    responsible: str
    title: str
    date: str
    page_label: str = ""
    notes: str = ""


@dataclass(frozen=True)
class BoxSpine:
    """盒脊: the strip glued on the spine of a box, as wide as the box is thick."""

    fonds_code: str
    year: int
    retention_label: str
    first_item: int
    last_item: int
    box_number: int
    department: str = ""
    thickness_mm: int = 20
    # The box's label (fupin.records.codes.box_label), printed as a QR code and a Code128
    # barcode for the shelving and inventory pages' scanner; none printed when empty.
    label: str = ""

    def __post_init__(self) -> None:
        if self.label and not self.label.isascii():
            raise PrintingError(f"盒标签只能含字母、数字和“-”，收到“{self.label}”。")
        if self.thickness_mm not in BOX_THICKNESSES_MM:
            allowed = "、".join(str(t) for t in BOX_THICKNESSES_MM)
            raise PrintingError(f"档案盒厚度只能是 {allowed} 毫米，收到 {self.thickness_mm}。")
        if self.first_item > self.last_item:
            raise PrintingError(
                f"起止件号颠倒：起 {item_code(self.first_item)}，止 {item_code(self.last_item)}。"
            )


@dataclass(frozen=True)
class _Note:
    """What a box note and a volume note share; empty fields print blank, to fill by hand."""

    description: str = ""
    arranger: str = ""
    arranged_on: date | None = None
    checker: str = ""
    checked_on: date | None = None


@dataclass(frozen=True)
class BoxNote(_Note):
    """备考表 (DA/T 22-2015): 盒内文件情况说明, 整理人, 整理日期, 检查人, 检查日期."""


@dataclass(frozen=True)
class VolumeNote(_Note):
    """卷内备考表 (GB/T 11822): 本卷情况说明, 立卷人, 立卷日期, 检查人, 检查日期."""


@dataclass(frozen=True)
class HouseholdTodo:
    """One line of a township's to-do list for its villages: a household and what it lacks."""

    township: str
    village: str
    household_no: str
    head_name: str
    status: str
    required: int
    missing: int
    missing_labels: str


@dataclass(frozen=True)
class AppraisalRow:
    """One line of 到期档案鉴定表: a record, when its keeping ended, and the group's decision."""

    seq: int
    reference_code: str
    title: str
    year: int
    retention_label: str
    ends_on: str
    decision: str
    new_retention_label: str
    reason: str


@dataclass(frozen=True)
class RegisterCover:
    """The cover of a 销毁清册: 全宗号, quantity, approver and the two supervisors (监销人)."""

    number: str
    fonds_code: str
    fonds_name: str
    quantity: int
    pages: int
    approver: str
    approved_on: date | None
    supervisors: tuple[str, str]
    destroyed_on: date | None = None


@dataclass(frozen=True)
class RegisterRow:
    """销毁清册: 序号, 题名, 年度, 档号, 应保管期限, 已保管期限, 页数, 备注."""

    seq: int
    title: str
    year: int
    reference_code: str
    retention_label: str
    kept_years: int
    pages: int
    notes: str = ""


@dataclass(frozen=True)
class DestroyedFileRow:
    """A line of the destruction certificate: which file, its digests, when it was deleted."""

    seq: int
    reference_code: str
    filename: str
    size: int
    sha256: str
    sm3: str
    deleted_at: str
    notes: str = ""


@dataclass(frozen=True)
class TransferRow:
    """One line of the 移交清单: an item (件) or a volume (卷) handed to the archives."""

    seq: int
    reference_code: str
    kind: str
    title: str
    year: int
    category_label: str
    retention_label: str
    pages: int | None
    files: int
    size: int
    marking_label: str
    notes: str = ""


@dataclass(frozen=True)
class HandoverCount:
    """A line of the 档案交接文据's quantities: per 门类 and retention, 件/卷/盒/张 and bytes."""

    category_label: str
    retention_label: str
    items: int
    volumes: int
    boxes: int
    photos: int
    size: int
