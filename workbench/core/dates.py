"""Evidence dates as precise as the source allows: a year, a month or a day."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


class BadDate(ValueError):
    """Text that is not YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclasses.dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Ordering sorts a year before its months and a month before its days
    (``2020 < 2020-08 < 2020-08-09``), which is how a timeline should read them.
    """

    year: int
    month: int = 0
    day: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise BadDate(f"year {self.year} is out of range")
        if self.month and not 1 <= self.month <= 12:
            raise BadDate(f"month {self.month} is out of range")
        if self.day:
            if not self.month:
                raise BadDate("a day needs a month")
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise BadDate(f"day {self.day} is out of range for {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """``""`` gives None; anything else must be YYYY, YYYY-MM or YYYY-MM-DD."""
        if text is None or str(text).strip() == "":
            return None
        match = _DATE.match(str(text))
        if not match:
            raise BadDate(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def start(self) -> dt.date:
        """The first day the date could mean: used to place it on a time axis."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def ordinal(self) -> float:
        """A number for plotting: days since 0001-01-01 of :meth:`start`."""
        return float(self.start().toordinal())
