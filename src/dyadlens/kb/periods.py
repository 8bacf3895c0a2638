"""ISO prefix dates ("2021", "2021-08", "2021-08-15") as closed day intervals.

The KB's validity periods, government terms and office roles, and the
document dates they are compared with, all keep their precision. A prefix
stands for every day it covers, so "2021-08" overlaps both a term that ends on
2021-08-15 and one that starts that day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_prefix(value: object) -> tuple[date, date] | None:
    """The first and last day an ISO prefix covers, or None when it is malformed."""
    if isinstance(value, date):
        return value, value
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _ISO_PREFIX.match(value.strip())
    if not match:
        return None
    year = int(match[1])
    try:
        if match[2] is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match[2])
        if match[3] is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        exact = date(year, month, int(match[3]))
    except ValueError:
        return None
    return exact, exact


def normalise_prefix(value: object) -> str | None:
    """The canonical string of a valid prefix (YAML may hand over ints or dates)."""
    if isinstance(value, date):
        return value.isoformat()
    if parse_prefix(value) is None:
        return None
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class Period:
    """A closed interval given by ISO prefixes; a missing end is open."""

    start: str | None = None
    until: str | None = None

    def first_day(self) -> date:
        bounds = parse_prefix(self.start) if self.start else None
        return bounds[0] if bounds else date.min

    def last_day(self) -> date:
        bounds = parse_prefix(self.until) if self.until else None
        return bounds[1] if bounds else date.max

    def overlaps(self, when: str | None) -> bool:
        """True when the period shares a day with ``when``; None means "now", an open end."""
        if when is None:
            return self.until is None
        bounds = parse_prefix(when)
        if bounds is None:
            return False
        return self.first_day() <= bounds[1] and bounds[0] <= self.last_day()


def latest_first(periods: list[tuple[Period, str]]) -> list[tuple[Period, str]]:
    """Order (period, value) pairs so that the most recently started comes first.

    When a document date overlaps two terms (a month in which power changed
    hands), the newer term wins.
    """
    return sorted(periods, key=lambda pair: (pair[0].first_day(), pair[0].last_day()), reverse=True)
