"""Partial dates: ISO prefixes ("2024", "2024-03", "2024-03-12") that keep their precision.

Every date dyadlens stores or is given (an event's date, a document's
publication date, a KB validity period, ``--since``/``--until``) is such a
prefix. A partial date stands for every day it covers: "2024-02" is the closed
interval 2024-02-01..2024-02-29, so it overlaps a range that ends on
2024-02-10 as well as one that starts that day.

Partial dates order as their ISO strings sort: by first day, and a coarser
date before a finer one that starts the same day ("2024" < "2024-01" <
"2024-01-01"). The store compares the strings in SQL with the same rules
(:func:`overlaps_sql`).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from dyadlens.errors import DyadlensError

_ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

#: Sorts after every digit and "-": ``date || "~"`` sorts after every day the date covers.
_AFTER_EVERY_DAY = "~"


class InvalidDateError(DyadlensError, ValueError):
    """Text that is not a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD."""


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise InvalidDateError(f"a day without a month: {self.year}-?-{self.day}")
        try:
            datetime.date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)
        except ValueError as error:
            raise InvalidDateError(f"not a calendar date: {self.year}, {self.month}, {self.day}") from error

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """The partial date ``text`` writes (surrounding blanks ignored); raises :class:`InvalidDateError`."""
        match = _ISO_PREFIX.fullmatch(text.strip())
        if match is None:
            raise InvalidDateError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        return cls(year, month, day)

    @classmethod
    def parse_or_none(cls, value: object) -> PartialDate | None:
        """A partial date from a data file's value (text, a YAML year or date), or None when it is not one."""
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        try:
            return cls.parse(value)
        except InvalidDateError:
            return None

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])

    def overlaps(self, since: PartialDate | None = None, until: PartialDate | None = None) -> bool:
        """Whether the date shares a day with [since, until] (a missing end is open)."""
        after_since = since is None or self.last_day >= since.first_day
        return after_since and (until is None or self.first_day <= until.last_day)

    def year_fraction(self) -> float:
        """The date as a fractional year for a time axis; a coarse date sits in the middle of its period."""
        if self.month is None:
            return self.year + 0.5
        if self.day is None:
            return self.year + (self.month - 0.5) / 12
        return self.year + (self.month - 1 + (self.day - 0.5) / 31) / 12

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{part:02d}" for part in (self.month, self.day) if part is not None]
        return "-".join(parts)

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()


def check_date(value: str | None, name: str = "date") -> str | None:
    """``value`` stripped, if it is a partial date; else an error naming the option and the value."""
    if value is None:
        return None
    try:
        return str(PartialDate.parse(value))
    except InvalidDateError as error:
        raise InvalidDateError(f"{name}: {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)") from error


def parse_bound(value: str | None) -> PartialDate | None:
    """One end of a period as given (None: open); raises :class:`InvalidDateError`."""
    return PartialDate.parse(value) if value else None


def overlaps(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a stored partial date overlaps [since, until]; an undated value is outside any bounded period."""
    if not since and not until:
        return True
    return date is not None and PartialDate.parse(date).overlaps(parse_bound(since), parse_bound(until))


def overlaps_sql(column: Any, since: PartialDate | None, until: PartialDate | None) -> ColumnElement[bool]:
    """SQL for "the partial date in ``column`` overlaps [since, until]" (NULL never does, once bounded).

    The column holds ISO prefix strings, so string comparison is date
    comparison: its first day is at or before ``until``'s last day exactly when
    ``column <= until.last_day``, and its last day is at or after ``since``'s
    first day exactly when ``column || "~" >= since.first_day``.
    """
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(column.concat(_AFTER_EVERY_DAY) >= since.first_day.isoformat())
    if until is not None:
        conditions.append(column <= until.last_day.isoformat())
    if not conditions:
        return true()
    return and_(column.is_not(None), *conditions)
