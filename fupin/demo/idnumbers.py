"""Resident ID numbers (GB 11643-1999): 6-digit county code, birth date, sequence, check."""

from datetime import date

CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"需要 17 位数字：{first17!r}")
    # The standard's weights (7, 9, 10, 5, …, 4, 2) are 2^(17-i) mod 11, and 13 ≡ 2 (mod 11):
    # the weighted sum is congruent to twice the digits read as a base-13 number, which int()
    # reads in C (an import checks a million numbers; digit by digit was most of the check).
    return CHECK_CHARS[2 * int(first17, 13) % 11]


def make_id(county_code: str, birth_date: date, seq: int, male: bool) -> str:
    """The sequence's parity carries the sex, so a mismatch is a caller's bug, not data."""
    if len(county_code) != 6 or not county_code.isdigit():
        raise ValueError(f"县级区划代码应为 6 位数字：{county_code!r}")
    if not 0 <= seq <= 999 or (seq % 2 == 1) != male:
        raise ValueError(f"顺序码 {seq} 与性别不符（男性为奇数，女性为偶数）")
    first17 = f"{county_code}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
