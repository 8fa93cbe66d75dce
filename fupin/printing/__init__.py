"""Printed forms (归档章, 目录, 盒脊, 备考表): plain values in, PDF or XLSX bytes out.

The CJK font is embedded (subset, with a ToUnicode map) so every form prints and searches the
same in any viewer.
"""

from fupin.printing.boxes import box_spine_pdf
from fupin.printing.covers import volume_cover_pdf
from fupin.printing.errors import PrintingError
from fupin.printing.fonts import FontMissingError
from fupin.printing.forms import (
    BoxNote,
    BoxSpine,
    CatalogueCover,
    CatalogueEntry,
    HouseholdTodo,
    StampFields,
    VolumeCover,
    VolumeEntry,
    VolumeNote,
)
from fupin.printing.lists import catalogue_pdf, volume_list_pdf
from fupin.printing.notes import box_note_pdf, volume_note_pdf
from fupin.printing.stamp import archive_stamp_sheet, stamp_first_page
from fupin.printing.watermark import WATERMARKABLE, watermark
from fupin.printing.xlsx import catalogue_xlsx, household_todo_xlsx, volume_list_xlsx

__all__ = [
    "WATERMARKABLE",
    "BoxNote",
    "BoxSpine",
    "CatalogueCover",
    "CatalogueEntry",
    "FontMissingError",
    "HouseholdTodo",
    "PrintingError",
    "StampFields",
    "VolumeCover",
    "VolumeEntry",
    "VolumeNote",
    "archive_stamp_sheet",
    "box_note_pdf",
    "box_spine_pdf",
    "catalogue_pdf",
    "catalogue_xlsx",
    "household_todo_xlsx",
    "stamp_first_page",
    "volume_cover_pdf",
    "volume_list_pdf",
    "volume_list_xlsx",
    "volume_note_pdf",
    "watermark",
]
