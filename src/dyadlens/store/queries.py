"""Which events a read wants (:class:`EventQuery`), as SQL conditions over the events table.

Every view that lists, filters or counts events states what it wants as an
``EventQuery``; :meth:`Store.events <dyadlens.store.Store.events>` and
:meth:`Store.placed_events <dyadlens.store.Store.placed_events>` turn it into
one SQL query, so no view loads the whole table to filter it in Python.

Two ways to count (``count``): ``"reports"`` is every coded report, as the
pipeline stored it; ``"events"`` is one row per real event: the lead report
of each cluster (``clusters.lead``, :mod:`dyadlens.identity`) carrying the
cluster's consolidated code, modality, date and sides, plus every report the
identity step has not clustered (a store migrated before it ran), so nothing
silently disappears. Standing facts ("still lists") are observations, never
events: ``"events"`` leaves them out, and ``standing`` selects them or leaves
them out in either mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, and_, func, or_, select

from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import schema

E = schema.events
D = schema.documents
C = schema.clusters

#: How views count: one row per real event (the default of the views) or one per report.
COUNT_MODES = ("events", "reports")
#: The event columns a cluster consolidates over its reports.
CONSOLIDATED = ("source", "target", "code", "root", "modality", "date")


def not_rejected() -> ColumnElement[bool]:
    """Events the analyst's corrections did not reject."""
    return or_(E.c.correction.is_(None), E.c.correction != "rejected")


def check_count(count: str) -> str:
    """``count`` when it is a count mode, else a clear error."""
    if count not in COUNT_MODES:
        raise DyadlensError(f"unknown count {count!r}; count {' or '.join(COUNT_MODES)}")
    return count


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
    ``doc_id``. ``count="events"`` gives one row per real event, matched and
    returned with its cluster's consolidated fields (see the module);
    ``standing`` keeps only standing facts (True) or only acts (False).
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
    count: str = "reports"
    standing: bool | None = None

    @property
    def per_event(self) -> bool:
        return self.count == "events"

    def column(self, name: str) -> ColumnElement[Any]:
        """An event column as this query reads it: consolidated over the cluster when counting events."""
        if self.per_event and name in CONSOLIDATED:
            return func.coalesce(C.c[name], E.c[name])
        return E.c[name]

    def placed_date(self) -> ColumnElement[str]:
        """The date an event is placed at: its own (consolidated), else its document's publication date."""
        return func.coalesce(self.column("date"), D.c.published)

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clause, for a query over :func:`joined` tables. An event the analyst rejected
        (dyadlens.store.corrections) never matches."""
        conditions = [self.column(name) == value for name, value in self._equal().items() if value is not None]
        conditions.extend(self._identity())
        if self.actor:
            conditions.append(or_(self.column("source") == self.actor, self.column("target") == self.actor))
        if self.between:
            conditions.append(self._between(*self.between))
        if self.code:
            conditions.append(self.column("code").startswith(self.code, autoescape=True))
        if self.modalities is not None:
            conditions.append(self.column("modality").in_(self.modalities))
        dated = self.placed_date() if self.document_dates else self.column("date")
        conditions.append(overlaps_sql(dated, parse_bound(self.since), parse_bound(self.until)))
        if not (self.include_duplicates or self.doc_id):
            conditions.append(D.c.duplicate_of.is_(None))
        return conditions

    def select_events(self) -> Select[Any]:
        """Every event column (consolidated when counting events) of the matching events, unordered."""
        columns = [self.column(c.name).label(c.name) for c in E.c]
        return select(*columns).select_from(joined()).where(*self.conditions())

    def _identity(self) -> list[ColumnElement[bool]]:
        """Not rejected; acts or standing facts as asked; one row per cluster (its lead) when counting events."""
        conditions = [not_rejected()]
        if self.standing is not None:
            conditions.append(E.c.standing.is_(self.standing))
        if self.per_event:
            conditions.append(E.c.standing.is_(False))
            conditions.append(or_(C.c.id.is_(None), E.c.id == C.c.lead))
        return conditions

    def _between(self, a: str, b: str) -> ColumnElement[bool]:
        source, target = self.column("source"), self.column("target")
        return or_(and_(source == a, target == b), and_(source == b, target == a))

    def _equal(self) -> dict[str, str | None]:
        return {"source": self.source, "target": self.target, "doc_id": self.doc_id}


def joined() -> FromClause:
    """The events with their documents and (when clustered) their cluster."""
    return E.join(D, D.c.id == E.c.doc_id).outerjoin(C, C.c.id == E.c.cluster)


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    """What a counting view needs of an event: its id, its code and the date it is placed at."""

    id: str
    code: str
    date: str | None  # the event's date, else its document's publication date


@dataclass(frozen=True, slots=True)
class ClusterCounts:
    """How often one real event is told: GDELT's NumMentions (reports), NumArticles (documents),
    NumSources (outlets), and when it was first and last published."""

    reports: int = 1
    documents: int = 1
    outlets: int = 1
    first_seen: str | None = None
    last_seen: str | None = None
