"""盒脊: each strip as wide as its box is thick, packed side by side on A4 without running off."""

from itertools import pairwise

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from fupin.printing import BoxSpine, PrintingError, box_spine_pdf
from fupin.printing.boxes import SPINE_LENGTH
from tests.printing_samples import page_text, pages, rectangles


def _spine(thickness: int, department: str = "办公室") -> BoxSpine:
    return BoxSpine("Z109", 2016, "永久", 1, 50, 3, department, thickness)


def test_strip_width_is_the_box_thickness() -> None:
    thicknesses = [20, 30, 40, 50, 20, 30, 50, 50]
    drawn: list[float] = []
    document = pages(box_spine_pdf([_spine(t) for t in thicknesses]))
    assert len(document) > 1
    for page in document:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)
        strips = sorted(rectangles(page))
        for x, y, width, height in strips:
            assert height == pytest.approx(SPINE_LENGTH)
            assert x >= 5 * mm and x + width <= A4[0] - 5 * mm
            assert y >= 5 * mm and y + height <= A4[1] - 5 * mm
        for (x, _, width, _), (next_x, _, _, _) in pairwise(strips):
            assert x + width < next_x, "strips overlap"
        drawn += [width / mm for _, _, width, _ in strips]
    assert drawn == pytest.approx(thicknesses)


def test_department_is_optional() -> None:
    [text] = page_text(box_spine_pdf([_spine(20, department="")]))
    assert "机构" not in text
    assert "全宗号" in text and "盒号" in text


@pytest.mark.parametrize("thickness", [10, 25, 60])
def test_only_standard_box_thicknesses(thickness: int) -> None:
    with pytest.raises(PrintingError, match="档案盒厚度只能是 20、30、40、50 毫米"):
        _spine(thickness)


def test_item_range_must_run_forwards() -> None:
    with pytest.raises(PrintingError, match="起止件号颠倒"):
        BoxSpine("Z109", 2016, "永久", 50, 1, 3)


def test_code_too_wide_for_a_thin_box_is_refused() -> None:
    spine = BoxSpine("Z109-FUPIN-2016-ARCHIVE", 2016, "永久", 1, 50, 3, thickness_mm=20)
    with pytest.raises(PrintingError, match="请选更厚的档案盒"):
        box_spine_pdf([spine])


def test_the_label_is_printed_as_text_qr_code_and_barcode() -> None:
    with_label = box_spine_pdf([BoxSpine("Z109", 2016, "永久", 1, 50, 3, label="BOX-00000123")])
    [text] = page_text(with_label)
    assert "BOX-00000123" in text
    # The QR code's modules and the barcode's bars are drawn as rectangles; without a label
    # the strip is the page's only one.
    assert len(rectangles(pages(with_label)[0])) > 100
    assert len(rectangles(pages(box_spine_pdf([_spine(20)]))[0])) == 1


def test_a_label_with_chinese_cannot_be_a_barcode() -> None:
    with pytest.raises(PrintingError, match="盒标签只能含字母、数字"):
        BoxSpine("Z109", 2016, "永久", 1, 50, 3, label="盒-1")
