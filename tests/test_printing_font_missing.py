"""Without the font package, printing fails with a Chinese message saying what to install."""

import pytest

from fupin.printing import FontMissingError, fonts


def test_missing_font_package_is_a_clear_chinese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_PACKAGE", "no_such_font_package")
    with pytest.raises(FontMissingError, match=r"找不到打印用的中文字体.*uv sync"):
        # The registered font is cached per process; the undecorated function looks again.
        fonts.cjk_font.__wrapped__()


def test_font_is_registered_once() -> None:
    assert fonts.cjk_font() == fonts.cjk_font() == "WenQuanYiMicroHei"
    assert fonts.cjk_font.cache_info().currsize == 1
