"""Reference codes (档号) from the fonds' template; DA/T 22 form by default."""

from django.core.exceptions import ValidationError

PLACEHOLDERS = ("全宗号", "门类", "年度", "保管期限", "机构问题", "件号")


def check_template(template: str) -> None:
    try:
        render_code(
            template, fonds="F", category="WS", year=2016, retention="Y", klass="C", number=1
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(f"档号格式无效：{exc}。可用项：{'、'.join(PLACEHOLDERS)}") from exc
    if "{件号}" not in template:
        raise ValidationError("档号格式必须包含{件号}，否则档号不唯一。")


def render_code(
    template: str, *, fonds: str, category: str, year: int, retention: str, klass: str, number: int
) -> str:
    return template.format_map(
        {
            "全宗号": fonds,
            "门类": category,
            "年度": year,
            "保管期限": retention,
            "机构问题": klass,
            "件号": f"{number:04d}",
        }
    )


# The label on a box's spine (QR code and Code128): what a barcode scanner types into the
# inventory and shelving pages. Only letters, digits and "-", so any 1D scanner reads it.
BOX_LABEL_PREFIX = "BOX-"


def box_label(box_id: int) -> str:
    return f"{BOX_LABEL_PREFIX}{box_id:08d}"


def parse_box_label(text: str) -> int | None:
    """The box id of a scanned or typed label ("BOX-00000123", "box-123"), else None."""
    value = text.strip().upper()
    if not value.startswith(BOX_LABEL_PREFIX):
        return None
    digits = value[len(BOX_LABEL_PREFIX) :]
    return int(digits) if digits.isdigit() and 0 < len(digits) <= 12 else None
