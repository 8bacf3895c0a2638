"""Which events a read wants (:class:`EventQuery`), as SQL conditions over the events table.

Every view that lists, filters or counts events states what it wants as an
``EventQuery``; :meth:`Store.events <dyadlens.store.Store.events>` and
:meth:`Store.placed_events <dyadlens.store.Store.placed_events>` turn it into
one SQL query, so no view loads the whole table to filter it in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_

from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import schema

E = schema.events
D = schema.documents


def not_rejected() -> ColumnElement[bool]:
    """Events the analyst's corrections did not reject."""
    return or_(E.c.correction.is_(None), E.c.correction != "rejected")


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Events matching every field given.

    ``actor`` matches the source or the target; ``between=(a, b)`` matches
    events from either to the other. ``code`` matches as a prefix ("08" finds
    081 and 0831). ``since`` and ``until`` are partial dates: an event matches
    when its date overlaps the range, and an undated event never matches,
    unless ``document_dates``, which places an undated event at its document's
    publication date (as the views order events). Events of documents that
    duplicate an earlier one are left out unless ``include_duplicates`` or
    ``doc_id``.
    """

    source: str | None = None
    target: str | None = None
    actor: str | None = None
    between: tuple[str, str] | None = None
    code: str | None = None
    modalities: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None
    document_dates: bool = False
    include_duplicates: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clause, for a query that joins the events to their documents. An event the
        analyst rejected (dyadlens.store.corrections) never matches."""
        conditions = [E.c[name] == value for name, value in self._equal().items() if value is not None]
        conditions.append(not_rejected())
        if self.actor:
            conditions.append(or_(E.c.source == self.actor, E.c.target == self.actor))
        if self.between:
            a, b = self.between
            conditions.append(or_(and_(E.c.source == a, E.c.target == b), and_(E.c.source == b, E.c.target == a)))
        if self.code:
            conditions.append(E.c.code.startswith(self.code, autoescape=True))
        if self.modalities is not None:
            conditions.append(E.c.modality.in_(self.modalities))
        dated = placed_date() if self.document_dates else E.c.date
        conditions.append(overlaps_sql(dated, parse_bound(self.since), parse_bound(self.until)))
        if not (self.include_duplicates or self.doc_id):
            conditions.append(D.c.duplicate_of.is_(None))
        return conditions

    def _equal(self) -> dict[str, str | None]:
        return {"source": self.source, "target": self.target, "doc_id": self.doc_id}


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    """What a counting view needs of an event: its id, its code and the date it is placed at."""

    id: str
    code: str
    date: str | None  # the event's date, else its document's publication date


def placed_date() -> ColumnElement[str]:
    """The date an event is placed at: its own, else its document's publication date."""
    return func.coalesce(E.c.date, D.c.published)
