"""Every printed PDF embeds its fonts as TrueType with a ToUnicode map, and only those."""

from typing import Any

import pytest
from pypdf.generic import DictionaryObject

from tests.printing_samples import PDF_RENDERERS, pages


def _fonts(resources: Any) -> list[Any]:
    """The fonts of a resource dictionary, and of the form XObjects it draws, recursively."""
    resources = resources.get_object() if resources is not None else DictionaryObject()
    fonts = resources.get("/Font", DictionaryObject()).get_object()
    found = [font.get_object() for font in fonts.values()]
    for xobject in resources.get("/XObject", DictionaryObject()).get_object().values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources"))
    return found


@pytest.mark.parametrize("name", sorted(PDF_RENDERERS))
def test_every_font_is_embedded_with_to_unicode(name: str) -> None:
    for number, page in enumerate(pages(PDF_RENDERERS[name]()), start=1):
        fonts = _fonts(page.get("/Resources"))
        # The stamped scan has text only where the stamp is, on its first page.
        if name != "stamped_scan" or number == 1:
            assert fonts, f"{name} page {number} draws no text"
        for font in fonts:
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} p{number}: {font['/BaseFont']} not embedded"
            assert "/ToUnicode" in font, f"{name} p{number}: {font['/BaseFont']} has no ToUnicode"
