"""Resident ID and phone numbers as they come in registration sheets: normalise, check, mask."""

from datetime import date
from typing import NamedTuple

# Full-width digits and letters, and the ideographic space, as typed on Chinese keyboards.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# A birth date after today lies in this year or later: only such dates need today's date,
# which costs more than the rest of the check (a sheet checks a million numbers).
_YEAR_STARTED = date.today().year


CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"需要 17 位数字：{first17!r}")
    # The standard's weights (7, 9, 10, 5, …, 4, 2) are 2^(17-i) mod 11, and 13 ≡ 2 (mod 11):
    # the weighted sum is congruent to twice the digits read as a base-13 number, which int()
    # reads in C (an import checks a million numbers; digit by digit was most of the check).
    return CHECK_CHARS[2 * int(first17, 13) % 11]


class IdCheck(NamedTuple):  # a tuple: made a million times by an import
    value: str  # the normalised 18-character number, or the cleaned input when invalid
    error: str = ""
    warning: str = ""


def normalise(raw: str) -> str:
    if raw.isascii() and raw.isalnum():  # the usual case: nothing to fold
        return raw.upper()
    text = raw.translate(_FULL_WIDTH)
    return "".join(text.split()).upper()


def _birth_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def check(raw: str) -> IdCheck:
    value = normalise(raw)
    if not value:
        return IdCheck(value, error="证件号码为空")
    if len(value) == 15 and value.isascii() and value.isdigit():
        # Pre-1999 numbers: two-digit year (all holders born in the 1900s) and no check digit.
        first17 = f"{value[:6]}19{value[6:]}"
        if _birth_date(first17[6:14]) is None:
            return IdCheck(value, error=f"15 位旧证件号码“{value}”中的出生日期无效")
        converted = first17 + check_digit(first17)
        return IdCheck(converted, warning=f"15 位旧证件号码 {mask(value)} 已升位为 18 位")
    if len(value) != 18:
        return IdCheck(value, error=f"证件号码应为 18 位，实为 {len(value)} 位")
    if not (value[:17].isascii() and value[:17].isdigit() and value[17] in "0123456789X"):
        return IdCheck(value, error="证件号码只能由数字和末位 X 组成")
    born = _birth_date(value[6:14])
    if born is None or born.year < 1880 or (born.year >= _YEAR_STARTED and born > date.today()):
        return IdCheck(value, error="证件号码中的出生日期无效")
    if check_digit(value[:17]) != value[17]:
        return IdCheck(value, error="证件号码校验码错误")
    return IdCheck(value)


def mask(id_number: str) -> str:
    if len(id_number) < 10:
        return "*" * len(id_number)
    return f"{id_number[:6]}********{id_number[-4:]}"


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"
