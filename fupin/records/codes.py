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
