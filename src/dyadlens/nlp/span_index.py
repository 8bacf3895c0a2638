"""Offset look-ups over a document's spans without scanning the whole document.

The extractors ask, many times per sentence, which mentions, quotations or
sentences lie at or around an offset. A scan of every span per question costs
time proportional to the document for each sentence, so quadratic time in
all; :class:`SpanIndex` answers the same questions by bisection, which keeps
the cost per MB flat on long documents.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


class SpanIndex(Generic[S]):
    """Items with ``[start, end)`` offsets, sorted by start.

    Lists come back in the order of the items given (not sorted by start), so
    "the first item that ..." means what it meant over the plain list.
    """

    def __init__(self, items: Iterable[S]) -> None:
        given = list(items)
        order = sorted(range(len(given)), key=lambda k: given[k].start)
        self._items = [given[k] for k in order]
        self._positions = order
        self._starts = [item.start for item in self._items]
        #: ``_reach[i]``: the largest end among the first ``i + 1`` items by start.
        self._reach = list(itertools.accumulate((item.end for item in self._items), max))

    def starting_in(self, low: int, high: int) -> list[S]:
        """The items with ``low <= start < high``."""
        first, stop = bisect.bisect_left(self._starts, low), bisect.bisect_left(self._starts, high)
        return self._in_given_order(range(first, stop))

    def overlapping(self, start: int, end: int) -> list[S]:
        """The items with ``item.start < end and start < item.end``."""
        i = bisect.bisect_left(self._starts, end) - 1
        found = []
        while i >= 0 and self._reach[i] > start:
            if self._items[i].end > start:
                found.append(i)
            i -= 1
        return self._in_given_order(found)

    def containing(self, offset: int) -> list[S]:
        """The items with ``item.start <= offset < item.end``."""
        return self.overlapping(offset, offset + 1)

    def overlaps_any(self, start: int, end: int) -> bool:
        """Whether some item has ``item.start < end and start < item.end`` (by bisection alone)."""
        reach = self.reach_before(end)
        return reach is not None and reach > start

    def contains(self, offset: int) -> bool:
        return self.overlaps_any(offset, offset + 1)

    def covers(self, start: int, end: int) -> bool:
        """Whether some item has ``item.start <= start and end <= item.end``."""
        reach = self.reach_before(start + 1)
        return reach is not None and reach >= end

    def reach_before(self, offset: int) -> int | None:
        """The largest end among the items that start before ``offset`` (None: there are none)."""
        i = bisect.bisect_left(self._starts, offset) - 1
        return self._reach[i] if i >= 0 else None

    def _in_given_order(self, indexes: Iterable[int]) -> list[S]:
        return [self._items[i] for i in sorted(indexes, key=self._positions.__getitem__)]
