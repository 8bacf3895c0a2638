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
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    or_,
    select,
)

from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import schema
from dyadlens.store.leads import lead_or_alone
from dyadlens.store.listed_in import listed_in

if TYPE_CHECKING:
    from dyadlens.model import Event

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
    ``standing`` keeps only standing facts (True) or only acts (False); ``with_observations``
    (counting events) adds the standing facts, each report its own row, as the timeline shows them.
    ``code_by_index`` reads the code prefix through the code indexes, as a range: for a rare code (a
    common one is met sooner by reading a listing in its own order, which the range would sort instead).
    ``sides_by_index`` lists the named actor's clusters for PostgreSQL to read by index, as a pair's always
    are: for an actor the caller knows to have few events (from the summaries); one actor's clusters may be a
    third of a store's, which are probed one candidate at a time instead (store/listed_in.py).
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
    with_observations: bool = False
    code_by_index: bool = False
    sides_by_index: bool = False

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
        return conditions + self._prefilter()

    def _prefilter(self) -> list[ColumnElement[bool]]:
        """Conditions every matching event meets anyway, written so that an index answers them.

        The exact conditions read consolidated columns (``coalesce(clusters.x, events.x)``) and
        placing dates (``coalesce(date, published)``), which no index serves; these add the
        candidates as a union of index look-ups: the events whose own columns match, the leads of
        the clusters that match, the events of the documents published in the period. A subquery is
        ``listed_in``, ``indexed`` where it lists a few thousand rows at most (a pair's clusters, a rare
        code's, a dyad's up to a date), so that PostgreSQL reads it by index too (store/listed_in.py).
        """
        found = []
        sides, cluster_sides = self._sides(E.c), self._sides(C.c)
        if sides is not None and cluster_sides is not None:
            with_leads = self.per_event and self.standing is not True  # a standing fact is never in a cluster
            listed = self._names_a_pair() or self.sides_by_index
            leads = listed_in(E.c.id, select(C.c.lead).where(cluster_sides), indexed=listed)
            found.append(or_(sides, leads) if with_leads else sides)
        if self.code and self.code_by_index:  # the code prefix as a range of the (code, source, target) indexes
            coded = prefix_range(E.c.code, self.code)
            leads = listed_in(E.c.id, select(C.c.lead).where(prefix_range(C.c.code, self.code)), indexed=True)
            found.append(or_(coded, leads) if self.per_event else coded)
        dated, cluster_dated, published = self._dated(E.c.date), self._dated(C.c.date), self._dated(D.c.published)
        if dated is not None and cluster_dated is not None and published is not None:
            alternatives = [dated]
            if self.per_event:
                alternatives.append(listed_in(E.c.id, select(C.c.lead).where(cluster_dated), indexed=False))
            if self.document_dates:
                alternatives.append(listed_in(E.c.doc_id, select(D.c.id).where(published), indexed=False))
            found.append(or_(*alternatives))
        dyad_dated = self._dyad_dated()
        return found if dyad_dated is None else [*found, dyad_dated]

    def _dyad_dated(self) -> ColumnElement[bool] | None:
        """With both sides named and an end to the period: the candidates as ranges of the (source, target,
        date) indexes, so that a busy dyad's first months are read without its other events. An event's
        placed date is its cluster's date, else its own, else its document's (an undated event's own date is
        NULL, a range of its own); a cluster's sides are its lead's."""
        until = parse_bound(self.until)
        pairs = {(self.source, self.target)} if self.source and self.target else set()
        if self.between:
            a, b = self.between
            pairs = {(a, b), (b, a)}
        if until is None or not pairs:
            return None
        last = until.last_day.isoformat()
        found = [and_(E.c.source == s, E.c.target == t, date) for s, t in sorted(pairs)
                 for date in (E.c.date <= last, E.c.date.is_(None))]
        if self.per_event:
            dated = or_(*(and_(C.c.source == s, C.c.target == t, C.c.date <= last) for s, t in sorted(pairs)))
            found.append(listed_in(E.c.id, select(C.c.lead).where(dated), indexed=True))
        return or_(*found)

    def _names_a_pair(self) -> bool:
        """Both sides named (a dyad's clusters, tens of thousands at most), not one actor's (a third of a store)."""
        return self.actor is None and (self.between is not None or bool(self.source and self.target))

    def _sides(self, columns: Any) -> ColumnElement[bool] | None:
        """The side filters (source, target, actor, between) over one table's columns, or None."""
        source, target = columns.source, columns.target
        found = [source == self.source] if self.source else []
        found += [target == self.target] if self.target else []
        if self.actor:
            found.append(or_(source == self.actor, target == self.actor))
        if self.between:
            a, b = self.between
            found.append(or_(and_(source == a, target == b), and_(source == b, target == a)))
        return and_(*found) if found else None

    def _dated(self, date: Any) -> ColumnElement[bool] | None:
        """A range over an ISO prefix date column that holds every date overlapping the period: from
        the first year of ``since`` (a coarser date sorts before its finer ones) to the last day of
        ``until``."""
        since, until = parse_bound(self.since), parse_bound(self.until)
        found = [date >= f"{since.year:04d}"] if since is not None else []
        found += [date <= until.last_day.isoformat()] if until is not None else []
        return and_(*found) if found else None

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
            lead = and_(E.c.standing.is_(False), lead_or_alone())
            conditions.append(or_(lead, E.c.standing.is_(True)) if self.with_observations else lead)
        return conditions

    def _between(self, a: str, b: str) -> ColumnElement[bool]:
        source, target = self.column("source"), self.column("target")
        return or_(and_(source == a, target == b), and_(source == b, target == a))

    def _equal(self) -> dict[str, str | None]:
        return {"source": self.source, "target": self.target, "doc_id": self.doc_id}


def exact_conditions(query: EventQuery) -> list[ColumnElement[bool]]:
    """``query``'s conditions without the index prefilter, for a read whose candidates are already a short
    list of ids: there the prefilter's subqueries (every cluster or document of a period) cost more than the
    whole read."""
    found = query.conditions()
    return found[: len(found) - len(query._prefilter())]


def standing_candidates(query: EventQuery) -> list[ColumnElement[bool]]:
    """The conditions of ``query``'s standing facts (``query.standing`` True) as the partial index of standing
    facts by sides answers them: the exact conditions and the sides over the events' own columns (a standing
    fact is never in a cluster, so its own sides are its consolidated sides); ``query.conditions()`` when it
    names no side."""
    sides = query._sides(E.c)
    return query.conditions() if sides is None else [*exact_conditions(query), sides]


def prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """The values of ``column`` that start with ``prefix``, as a range an index reads (``LIKE`` reads none
    in SQLite, whose ``LIKE`` ignores case): from the prefix up to the prefix with its last character
    raised by one."""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < after)


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


def placed_order(query: EventQuery) -> list[ColumnElement[Any]]:
    """The views' event order: by the date an event is placed at, then document, offset and id; undated last."""
    placed = query.placed_date()
    return [placed.is_(None), placed, E.c.doc_id, E.c.start, E.c.id]


def period_sql(date: ColumnElement[Any], by: str) -> ColumnElement[Any]:
    """The period label (``2024``, ``2024-Q3``, ``2024-07``) of an ISO prefix date, in SQL; NULL when the
    date is missing or coarser than the period (as :func:`dyadlens.analysis.series.period_of`)."""
    year = func.substr(date, 1, 4, type_=String)
    if by == "year":
        return case((func.length(date) >= 4, year))
    has_month = func.length(date) >= 7
    if by == "month":
        return case((has_month, func.substr(date, 1, 7)))
    quarter = (cast(func.substr(date, 6, 2), Integer) + 2) // 3
    return case((has_month, year + "-Q" + cast(quarter, String)))


@dataclass(frozen=True, slots=True)
class DocumentHead:
    """What an evidence row shows of its document: never its text."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class ShownEvent:
    """An event as a page shows it, read in one query: the event, its document's head, the words of
    its evidence sentence and of its place (cut from the document's text in SQL)."""

    event: Event
    document: DocumentHead
    evidence: str
    place_words: str | None
