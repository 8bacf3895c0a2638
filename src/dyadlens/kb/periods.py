"""KB periods: validity periods, government terms and office roles, as closed day intervals.

Their ends are partial dates (:mod:`dyadlens.partial_dates`) that keep their
precision, and so are the document dates they are compared with: a period
that ends "2021-08" and one that starts on 2021-08-15 both overlap "2021-08".
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from dyadlens.partial_dates import PartialDate


@dataclass(frozen=True, slots=True)
class Period:
    """A closed interval given by ISO prefixes; a missing end is open."""

    start: str | None = None
    until: str | None = None

    def first_day(self) -> datetime.date:
        start = PartialDate.parse_or_none(self.start)
        return start.first_day if start else datetime.date.min

    def last_day(self) -> datetime.date:
        until = PartialDate.parse_or_none(self.until)
        return until.last_day if until else datetime.date.max

    def overlaps(self, when: str | None) -> bool:
        """True when the period shares a day with ``when``; None means "now", an open end."""
        if when is None:
            return self.until is None
        found = _parsed(when)
        return found is not None and found.overlaps(_parsed(self.start), _parsed(self.until))


def latest_first(periods: list[tuple[Period, str]]) -> list[tuple[Period, str]]:
    """Order (period, value) pairs so that the most recently started comes first.

    When a document date overlaps two terms (a month in which power changed
    hands), the newer term wins.
    """
    return sorted(periods, key=lambda pair: (pair[0].first_day(), pair[0].last_day()), reverse=True)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str | None) -> PartialDate | None:
    """A period end or document date parsed once: the KB's terms are compared with every mention's date."""
    return PartialDate.parse_or_none(text)
