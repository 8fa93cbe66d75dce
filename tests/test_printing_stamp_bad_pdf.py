"""A PDF that cannot be stamped is refused with a Chinese message, never a stack trace."""

from io import BytesIO

import pytest
from pypdf import PdfWriter
from reportlab.lib.units import mm

from fupin.printing import PrintingError, stamp_first_page
from tests.printing_samples import STAMP, scan_pdf


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj << /Type /Catalog", scan_pdf(2)[:200]],
    ids=["empty", "text", "truncated-header", "truncated-file"],
)
def test_unreadable_pdf_is_a_clear_chinese_error(data: bytes) -> None:
    with pytest.raises(PrintingError, match="无法读取这个 PDF 文件"):
        stamp_first_page(data, STAMP)


def test_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=BytesIO(scan_pdf(1)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    with pytest.raises(PrintingError, match="设有打开密码"):
        stamp_first_page(buffer.getvalue(), STAMP)


def test_page_smaller_than_the_stamp_is_refused() -> None:
    with pytest.raises(PrintingError, match="放不下 45×16 毫米的归档章"):
        stamp_first_page(scan_pdf(1, size=(40 * mm, 40 * mm)), STAMP)
