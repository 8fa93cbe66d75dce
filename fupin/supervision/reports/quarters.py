"""Quarters as the reports name them ("2016Q3"): their dates, deadline and neighbours."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")
_NUMERALS = "一二三四"
# Targeted poverty alleviation (精准扶贫) began in 2014: no report is older.
FIRST_YEAR = 2014


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = _PATTERN.match((text or "").strip().upper())
        if not match:
            raise ValidationError(f"季度“{text}”格式不对，应写作 2016Q3 这样的形式。")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{_NUMERALS[self.number - 1]}季度"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    # Reports go up by the quarter's last day (the policy's "季末报送").
    @property
    def deadline(self) -> datetime.date:
        return self.last_day

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def span(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes in the installation's time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first_day, datetime.time(), zone)
        end = datetime.datetime.combine(self.next().first_day, datetime.time(), zone)
        return start, end


def pickable(today: datetime.date | None = None) -> list[Quarter]:
    """The quarters a report can be for, newest first: the page offers these, never a box."""
    current = Quarter.of(today or timezone.localdate())
    found, q = [], current
    while q.year >= FIRST_YEAR:
        found.append(q)
        q = q.previous()
    return found
