"""The one CJK font every printed form uses, embedded so the forms read the same in any viewer."""

from functools import cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fupin.printing.errors import PrintingError

FONT_NAME = "WenQuanYiMicroHei"
_PACKAGE = "paperang_p2_fonts_cjk"
_FILE = "fonts/wqy-microhei.ttc"
# The collection holds the proportional face (0) and a monospaced one (1).
_SUBFONT = 0


class FontMissingError(PrintingError):
    pass


@cache
def cjk_font() -> str:
    """Register the font with reportlab (once per process) and return its name."""
    try:
        font_file = resources.files(_PACKAGE).joinpath(_FILE)
        # The font must be a real file: reportlab and the .ttc reader need a path.
        with resources.as_file(font_file) as path:
            font = TTFont(FONT_NAME, str(path), subfontIndex=_SUBFONT)
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise FontMissingError(
            f"找不到打印用的中文字体（文泉驿微米黑 {_FILE}，由 {_PACKAGE} 软件包提供）。"
            "请运行 uv sync 安装依赖后重试。"
        ) from exc
    pdfmetrics.registerFont(font)
    # The face has no bold or italic; map them to itself so <b> in a paragraph stays CJK.
    pdfmetrics.registerFontFamily(
        FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
    )
    return FONT_NAME


@cache
def cjk_font_bytes() -> bytes:
    """The same face for Pillow, which draws text on images from the font's bytes."""
    try:
        return resources.files(_PACKAGE).joinpath(_FILE).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise FontMissingError(
            f"找不到打印用的中文字体（文泉驿微米黑 {_FILE}，由 {_PACKAGE} 软件包提供）。"
            "请运行 uv sync 安装依赖后重试。"
        ) from exc


CJK_SUBFONT = _SUBFONT
