"""Corpus overview: documents, actors and the most reported dyads.

Counts real events (one per cluster of reports, ``count="events"``, the default)
or every report (``count="reports"``); standing facts are never counted as acts.
Everything is an aggregate in SQL: the totals are counts, the actors and the
dyads the top of a ``GROUP BY``, and the documents one page (``limit``,
``offset``, ordered by publication date) with the true total in ``window``. The
actors' events and mentions and the top dyads are read off the totals kept per actor and per dyad
(``summary_actors``, ``summary_dyads``: :mod:`dyadlens.store.actor_summaries`); inside
``summaries.bypassed()`` they are counted from the records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, tuple_, union_all

from dyadlens.analysis.common import PAGE_SIZE, AnalysisContext, Window, check_window, weigh
from dyadlens.store import EventQuery, check_count, schema
from dyadlens.store.queries import not_rejected
from dyadlens.store.summaries import SummaryTally, Tally, in_use, tally

#: Actors the overview lists, most events first.
ACTORS_SHOWN = 30

A, D, M, SA, SD = schema.actors, schema.documents, schema.mentions, schema.summary_actors, schema.summary_dyads
TOTALS = schema.summary_totals


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    kind: str | None
    duplicate_of: str | None
    events: int
    quotes: int


@dataclass(frozen=True, slots=True)
class ActorSummary:
    id: str
    name: str
    type: str
    resolved: bool
    events: int
    mentions: int  # in documents that are not duplicates


@dataclass(frozen=True, slots=True)
class DyadSummary:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    events: int
    asserted: int
    mean_goldstein: float | None


@dataclass(frozen=True, slots=True)
class Overview:
    documents: list[DocumentSummary]  # one page of them, by publication date
    actors: list[ActorSummary]  # the ACTORS_SHOWN with the most events (then mentions)
    dyads: list[DyadSummary]
    totals: dict[str, int]
    count: str = "events"  # what the event counts count: events | reports
    window: Window | None = None  # which documents of how many ``documents`` holds
    duplicates: int = 0  # documents that repeat an earlier one


def corpus_overview(ctx: AnalysisContext, top: int = 20, count: str = "events", limit: int | None = PAGE_SIZE,
                    offset: int = 0) -> Overview:
    """Totals, the ``top`` dyads, the most active actors and ``limit`` documents from ``offset``."""
    check_window(limit, offset)
    acts = EventQuery(count=check_count(count), standing=False)
    documents = _documents(ctx, count, limit, offset)
    totals = _totals(ctx, acts)
    duplicates = int(ctx.store.read(select(func.count()).where(D.c.duplicate_of.is_not(None)))[0][0])
    return Overview(documents=documents, actors=_actors(ctx, acts), dyads=_top_dyads(ctx, acts, top), totals=totals,
                    count=count, window=Window(offset, limit, totals["documents"]), duplicates=duplicates)


def _documents(ctx: AnalysisContext, count: str, limit: int | None, offset: int) -> list[DocumentSummary]:
    """One page of the documents by publication date (undated last, then id), with their events and quotes.

    Each part is read in the order of the (published, id, ...) index, which holds every column shown, up to
    the page's end: the dated documents, then the undated ones; only those rows are sorted and counted (a
    sort of every document, or a read of their rows with the article text, costs a second on a large store).
    """
    end = None if limit is None else offset + limit
    head = [D.c.id, D.c.title, D.c.outlet, D.c.published, D.c.kind, D.c.duplicate_of]
    dated = select(*head, literal(0).label("undated")).where(D.c.published.is_not(None)).order_by(
        D.c.published, D.c.id).limit(end).subquery()
    undated = select(*head, literal(1).label("undated")).where(D.c.published.is_(None)).order_by(
        D.c.id).limit(end).subquery()
    both = union_all(select(dated), select(undated)).subquery()
    e, q = schema.events, schema.quotes
    each_once = func.count(func.distinct(func.coalesce(e.c.cluster, e.c.id))).filter(e.c.standing.is_(False))
    events = func.count() if count == "reports" else each_once
    page = select(
        *(both.c[c.name] for c in head),
        select(events).where(e.c.doc_id == both.c.id, not_rejected()).scalar_subquery().label("events"),
        select(func.count()).where(q.c.doc_id == both.c.id).scalar_subquery().label("quotes"),
    ).order_by(both.c.undated, both.c.published, both.c.id).limit(limit).offset(offset or None)
    return [DocumentSummary(**row._mapping) for row in ctx.store.read(page)]


def _totals(ctx: AnalysisContext, acts: EventQuery) -> dict[str, int]:
    counts = select(
        select(func.count()).select_from(D).scalar_subquery(),
        _actors_total(),
        _events_total(tally(acts)),
        _rows_in_originals(schema.quotes),
        _rows_in_originals(schema.designations),
    )
    row = ctx.store.read(counts)[0]
    return dict(zip(("documents", "actors", "events", "quotes", "designations"), map(int, row), strict=True))


def _actors_total() -> Any:
    if in_use():
        return select(func.count()).where(SA.c.documents > 0).scalar_subquery()
    return select(func.count(func.distinct(A.c.id))).scalar_subquery()


def _events_total(counted: Tally) -> Any:
    if _totals_of(counted):
        return _kept_events_total(counted.query.count)
    return select(func.coalesce(counted.count(), 0)).select_from(counted.source).where(
        *counted.conditions()).scalar_subquery()


def _kept_events_total(mode: str) -> Any:
    """Every act of ``mode`` without reading ``summary_totals`` whole (millions of rows on a large store): the
    acts between two actors kept per dyad, plus the totals' rows that ``summary_dyads`` leaves out, each read
    by an index (a side missing: ranges of the key and of the target index; one actor on both sides: a
    look-up per actor)."""
    t = TOTALS.c
    between_two = select(func.coalesce(func.sum(SD.c.events), 0)).where(SD.c.mode == mode).scalar_subquery()
    one_side = select(func.coalesce(func.sum(t.n), 0)).where(t.mode == mode, or_(t.source == "", t.target == ""))
    same_actor = (select(func.coalesce(func.sum(t.n), 0))
                  .select_from(SA.join(TOTALS, and_(t.mode == mode, t.source == SA.c.actor, t.target == SA.c.actor)))
                  .where(SA.c.actor != ""))
    return between_two + one_side.scalar_subquery() + same_actor.scalar_subquery()


def _rows_in_originals(table: Any) -> Any:
    """The rows of ``table`` in documents that are not duplicates: all of them less those of the duplicates (a
    count of the table's smallest index and a few look-ups, where joining each row to its document costs
    a look-up per row)."""
    in_duplicates = select(func.count()).select_from(table.join(D, D.c.id == table.c.doc_id)).where(
        D.c.duplicate_of.is_not(None)).scalar_subquery()
    return select(func.count()).select_from(table).scalar_subquery() - in_duplicates


def _actors(ctx: AnalysisContext, acts: EventQuery) -> list[ActorSummary]:
    """The actors with the most events, then mentions; ties by name (the first of its stored names)."""
    involved = _involvement(tally(acts))
    mentioned, known = _mentioned(), _known()
    events, mentions = func.coalesce(involved.c.events, 0), func.coalesce(mentioned.c.mentions, 0)
    ranked = (
        select(known.c.id, events.label("events"), mentions.label("mentions"))
        .select_from(known.outerjoin(involved, involved.c.actor == known.c.id)
                     .outerjoin(mentioned, mentioned.c.actor == known.c.id))
        .order_by(events.desc(), mentions.desc(), known.c.name).limit(ACTORS_SHOWN)
    )
    rows = ctx.store.read(ranked)
    stored = ctx.actor_refs(row.id for row in rows)
    return [
        ActorSummary(id=row.id, name=stored[row.id].name, type=stored[row.id].type, resolved=stored[row.id].resolved,
                     events=int(row.events), mentions=int(row.mentions))
        for row in rows if row.id in stored
    ]


def _mentioned() -> Any:
    """Per actor, its mentions in documents that are not duplicates."""
    if in_use():
        return select(SA.c.actor, SA.c.mentions).where(SA.c.mentions != 0).subquery()
    return (
        select(M.c.actor_id.label("actor"), func.count().label("mentions"))
        .join(D, D.c.id == M.c.doc_id).where(D.c.duplicate_of.is_(None), M.c.actor_id.is_not(None))
        .group_by(M.c.actor_id).subquery()
    )


def _known() -> Any:
    """Every actor id of the ``actors`` table with the first of its stored names."""
    if in_use():  # one seek of the (id, name) index per actor the summary knows
        first_name = select(func.min(A.c.name)).where(A.c.id == SA.c.actor).scalar_subquery()
        return select(SA.c.actor.label("id"), first_name.label("name")).where(SA.c.documents > 0).subquery()
    return select(A.c.id, func.min(A.c.name).label("name")).group_by(A.c.id).subquery()


def _totals_of(counted: Tally) -> bool:
    """Whether ``counted`` reads ``summary_totals``, which the per-actor and per-dyad totals follow."""
    return isinstance(counted, SummaryTally) and counted.table is schema.summary_totals


def _involvement(counted: Tally) -> Any:
    """Per actor, the events it takes part in on either side (once when on both)."""
    if _totals_of(counted):  # kept per actor
        involved = SA.c[f"{counted.query.count}_involved"]
        return select(SA.c.actor, involved.label("events")).where(involved != 0).subquery()
    source, target, weight = counted.column("source"), counted.column("target"), counted.weight.label("weight")
    as_source = select(source.label("actor"), weight).select_from(counted.source).where(
        *counted.conditions(), source.is_not(None))
    as_target = select(target.label("actor"), weight).select_from(counted.source).where(
        *counted.conditions(), target.is_not(None), or_(source.is_(None), source != target)
    )
    sides = union_all(as_source, as_target).subquery()
    return select(sides.c.actor, func.sum(sides.c.weight).label("events")).group_by(sides.c.actor).subquery()


def _top_dyads(ctx: AnalysisContext, acts: EventQuery, top: int) -> list[DyadSummary]:
    """The ``top`` dyads (either direction) by events, each weighed from its asserted events by code."""
    counted = tally(acts)
    source, target = counted.column("source"), counted.column("target")
    a, b = case((source < target, source), else_=target), case((source < target, target), else_=source)
    asserted = counted.column("modality") == "asserted"
    where = [*counted.conditions(), and_(source.is_not(None), target.is_not(None), source != target)]
    found = (
        select(a.label("a"), b.label("b"), counted.count().label("events"),
               func.sum(case((asserted, counted.weight), else_=0)).label("asserted"))
        .select_from(counted.source).where(*where).group_by(a, b).order_by(counted.count().desc(), a, b).limit(top)
    )
    if _totals_of(counted):  # kept per dyad: the top read off the (mode, events) index
        found = (select(SD.c.a, SD.c.b, SD.c.events, SD.c.asserted).where(SD.c.mode == acts.count, SD.c.events > 0)
                 .order_by(SD.c.events.desc(), SD.c.a, SD.c.b).limit(top))
    rows = ctx.store.read(found)
    codes = _asserted_codes(ctx, counted, where, [(row.a, row.b) for row in rows]) if rows else {}
    ctx.load_names(actor for row in rows for actor in (row.a, row.b))
    return [
        DyadSummary(a=row.a, a_name=ctx.actor_name(row.a), b=row.b, b_name=ctx.actor_name(row.b),
                    events=int(row.events), asserted=int(row.asserted),
                    mean_goldstein=weigh(ctx.ontology, codes[(row.a, row.b)]).mean_goldstein)
        for row in rows
    ]


def _asserted_codes(ctx: AnalysisContext, counted: Tally, where: list[Any],
                    pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """The asserted events of the dyads named, counted by code."""
    source, target, code = counted.column("source"), counted.column("target"), counted.column("code")
    a, b = case((source < target, source), else_=target), case((source < target, target), else_=source)
    found = (select(a.label("a"), b.label("b"), code.label("code"), counted.count().label("n"))
             .select_from(counted.source)
             .where(*where, *_keys_of(counted, pairs), counted.column("modality") == "asserted",
                    tuple_(a, b).in_(pairs))
             .group_by(a, b, code))
    codes: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for row in ctx.store.read(found):
        codes[(row.a, row.b)].append((row.code, int(row.n)))
    return codes


def _keys_of(counted: Tally, pairs: list[tuple[str, str]]) -> list[Any]:
    """On a summary, the pairs again as its key columns in both directions: ranges of its primary key."""
    if not isinstance(counted, SummaryTally):
        return []
    t = counted.table.c
    return [or_(*(and_(t.mode == counted.query.count, t.source == x, t.target == y)
                  for a, b in pairs for x, y in ((a, b), (b, a))))]
