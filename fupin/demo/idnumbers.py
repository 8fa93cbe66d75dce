"""Resident ID numbers (GB 11643-1999): 6-digit county code, birth date, sequence, check."""

from datetime import date

from fupin.households.registry.idcard import CHECK_CHARS, check_digit

__all__ = ["CHECK_CHARS", "check_digit", "make_id"]


def make_id(county_code: str, birth_date: date, seq: int, male: bool) -> str:
    """The sequence's parity carries the sex, so a mismatch is a caller's bug, not data."""
    if len(county_code) != 6 or not county_code.isdigit():
        raise ValueError(f"县级区划代码应为 6 位数字：{county_code!r}")
    if not 0 <= seq <= 999 or (seq % 2 == 1) != male:
        raise ValueError(f"顺序码 {seq} 与性别不符（男性为奇数，女性为偶数）")
    first17 = f"{county_code}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
