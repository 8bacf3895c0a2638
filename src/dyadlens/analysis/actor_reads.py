"""The actor page's reads that grow with the store, each made a bounded read.

An actor in a third of the store (Russia at 10M events: millions of reports and mentions) cannot be
sorted whole to show 50 of its events or 10 of its mentions. How a list is read depends on how much
the store says about the actor (``summary_actors``: its mentions and the acts it takes part in):

- a *sparse* list (an actor with few acts, mentions or quotes: :class:`Density`): through the actor's
  own index, its rows sorted;
- a *dense* list: in the list's own order, a slice at a time (a month of placed dates for the events,
  a month of publication dates for the mentions, the documents by id), keeping the actor's rows, until
  the page is full. Most rows of a slice are the actor's, so a page reads a slice or two; a deep page
  reads every slice before it.

Either way the rows and their order are those of the one sorted query they replace. Totals come from
the summaries where they keep them (events, partners, mentions); the documents and quotes are counted
up to :data:`COUNTED`, and a larger total is shown as "more than 10,000" (:class:`Bounded`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, func, or_, select, union

from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.store import EventQuery, schema, summaries
from dyadlens.store.queries import joined, placed_order
from dyadlens.store.store import shown_event, with_evidence

if TYPE_CHECKING:
    from dyadlens.analysis.common import AnalysisContext, QuoteRow
    from dyadlens.store.queries import ShownEvent

E, C, D, M, Q = schema.events, schema.clusters, schema.documents, schema.mentions, schema.quotes
G = schema.designations
MONTHS, SA = schema.summary_months, schema.summary_actors

#: An actor with more acts than this (``summary_actors``) has its events and reporting documents read in
#: their own order (at 10M events: sorting 50,000 acts for a page takes 1.3 s CPU, a month 0.2 s).
MANY_ACTS = 10_000
#: An actor with more mentions than this has its mentions and the quotes about it read in their own order.
MANY_MENTIONS = 50_000
#: An actor with more quotes spoken for it than this has its quotes read in their order.
QUOTED = 10_000
#: Counts given exactly up to this; above it, "more than".
COUNTED = 10_000
#: The quotes about an actor are counted up to this (each found by a look-up in the mentions).
QUOTES_COUNTED = 1_000

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Bounded:
    """A count read up to :data:`COUNTED`: ``more`` when there are more than ``n`` (then ``n`` is the bound)."""

    n: int
    more: bool = False


@dataclass(frozen=True, slots=True)
class Density:
    """Whether the actor has more acts than :data:`MANY_ACTS`, more mentions (naming it as actor or person)
    than :data:`MANY_MENTIONS`, more quotes than :data:`QUOTED`: which of its lists are walked in their own
    order."""

    acts: bool = False
    mentions: bool = False
    quotes: bool = False  # more than QUOTED quotes spoken for it


def density(ctx: AnalysisContext, actor_id: str, count: str) -> Density:
    """The actor's :class:`Density` from ``summary_actors``; none while the summaries are bypassed (the
    reads as they were)."""
    if not summaries.in_use():
        return Density()
    involved = SA.c[f"{count}_involved"]
    found = ctx.store.read(select(SA.c.named, involved, SA.c.quotes).where(SA.c.actor == actor_id))
    if not found:
        return Density()
    named, acts, quotes = (int(n) for n in found[0])
    return Density(acts=acts > MANY_ACTS, mentions=named > MANY_MENTIONS, quotes=quotes > QUOTED)


def involved_total(ctx: AnalysisContext, actor_id: str, count: str) -> int:
    """The acts the actor takes part in, as ``summary_actors`` keeps them (0 without a row)."""
    involved = SA.c[f"{count}_involved"]
    found = ctx.store.read(select(involved).where(SA.c.actor == actor_id))
    return int(found[0][0]) if found else 0


def partner_total(ctx: AnalysisContext, actor_id: str, count: str) -> int:
    """The actors with at least one act with the actor, from ``summary_dyads`` (one row per pair)."""
    dyads = schema.summary_dyads.c
    found = (select(func.count()).select_from(schema.summary_dyads)
             .where(dyads.mode == count, or_(dyads.a == actor_id, dyads.b == actor_id), dyads.events > 0))
    return int(ctx.store.read(found)[0][0])


def top_partners(ctx: AnalysisContext, actor_id: str, count: str, limit: int) -> list[str]:
    """The ``limit`` partners with the most acts with the actor, then by id, from ``summary_dyads``."""
    dyads = schema.summary_dyads.c
    other = func.coalesce(func.nullif(dyads.a, actor_id), dyads.b)
    found = (select(other).where(dyads.mode == count, or_(dyads.a == actor_id, dyads.b == actor_id), dyads.events > 0)
             .order_by(dyads.events.desc(), other).limit(limit))
    return [row[0] for row in ctx.store.read(found)]


def partner_codes(ctx: AnalysisContext, table: Any, actor_id: str, count: str,
                  partners: list[str]) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Per (partner, code), the acts from the actor to each of ``partners``, from them to the actor, and the
    asserted ones among both, from the summary ``table``: one statement per side, each a range of that side's
    covering index (mode, side, other side, code, ...) read in its order, with no sort (Russia's 50 first
    partners at 10M: 116,000 rows, 0.4 s CPU grouped by an expression, a tenth of it so)."""
    t = table.c
    found: dict[tuple[str, str], tuple[int, int, int]] = {}
    for mine, theirs, outgoing in ((t.source, t.target, True), (t.target, t.source, False)):
        asserted = func.sum(case((t.modality == "asserted", t.n), else_=0))
        rows = (select(theirs, t.code, func.sum(t.n), asserted)
                .where(t.mode == count, mine == actor_id, theirs.in_(partners), theirs != actor_id, theirs != "",
                       t.n > 0)
                .group_by(theirs, t.code))
        with ctx.store.reader() as conn:
            read = conn.execute(rows).all()  # fetched at once: 15,000 rows a side, a third faster than one by one
        for other, code, n, among in read:
            before = found.get((other, code), (0, 0, 0))
            n_out, n_in = (int(n), 0) if outgoing else (0, int(n))
            found[(other, code)] = (before[0] + n_out, before[1] + n_in, before[2] + int(among))
    return found


def designation_ids(ctx: AnalysisContext, actor_id: str, limit: int) -> list[str]:
    """The first ``limit`` designations of original documents with the actor on either side, in the order of
    :func:`~dyadlens.analysis.shown_rows.designation_rows`, read as light rows: the rows shown (with their
    sentences cut from the text) are then read for these alone, not sorted among the actor's 13,000 (Russia
    at 10M: 0.2-0.5 s CPU down to 0.04 s)."""
    found = (select(G.c.id).select_from(G.join(D, D.c.id == G.c.doc_id))
             .where(D.c.duplicate_of.is_(None), or_(G.c.designee == actor_id, G.c.designator == actor_id))
             .order_by(G.c.date.is_(None), G.c.date, G.c.doc_id, G.c.start).limit(limit))
    return [row[0] for row in ctx.store.read(found)]


# --- walking a list in its own order ------------------------------------------------


def walk_pages(chunks: Iterable[T], count: Callable[[T], int], fetch: Callable[[T, int, int], list[R]],
               limit: int, offset: int) -> list[R]:
    """Rows ``offset`` to ``offset + limit`` of a list cut in ``chunks`` (in order): chunks wholly before the
    page are only counted, the page's are read (``fetch(chunk, offset in it, how many)``)."""
    found: list[R] = []
    skip = offset
    for chunk in chunks:
        if skip:
            n = count(chunk)
            if n <= skip:
                skip -= n
                continue
        found.extend(fetch(chunk, skip, limit - len(found)))
        skip = 0
        if len(found) >= limit:
            break
    return found


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """The ISO dates whose first 7 characters are ``prefix`` (``2024-07``; ``2024``: the year-only date), as a
    range an index on ``column`` reads."""
    if len(prefix) < 7:
        return column == prefix  # type: ignore[no-any-return]
    return and_(column >= prefix, column <= _month_end(prefix))


def _month_end(month: str) -> str:
    """A bound above every ISO date of ``month`` (``2024-07-99``), in byte order and in PostgreSQL's collations."""
    return f"{month}-99"


def _periods(ctx: AnalysisContext, mode: str) -> Iterator[str | None]:
    """The months (and year-only periods) that hold placed acts, in order, one index seek each, then None
    (the acts with no date at all, placed last)."""
    after = ""
    while True:
        found = ctx.store.read(select(func.min(MONTHS.c.period)).where(MONTHS.c.mode == mode, MONTHS.c.period > after))
        period = found[0][0]
        if period is None:
            break
        yield period
        after = period
    yield None


def _placed_in(query: EventQuery, period: str | None) -> list[ColumnElement[bool]]:
    """The events placed in ``period`` (None: undated), exactly, with the candidates as one indexed union
    (own date, cluster date, publication date) so that a month is read, not the store."""
    placed = query.placed_date()
    c2, d2, e2 = C.alias("period_clusters"), D.alias("period_documents"), E.alias("period_events")
    if period is None:
        return [placed.is_(None), E.c.doc_id.in_(select(d2.c.id).where(d2.c.published.is_(None)))]
    candidates = union(select(e2.c.id).where(_prefix_range(e2.c.date, period)),
                       select(c2.c.lead).where(_prefix_range(c2.c.date, period)),
                       select(e2.c.id).join(d2, d2.c.id == e2.c.doc_id).where(_prefix_range(d2.c.published, period)))
    return [func.substr(placed, 1, 7) == period, E.c.id.in_(candidates)]


def _either_side(query: EventQuery, actor_id: str) -> ColumnElement[bool]:
    """The actor on either side, as the query reads the sides (consolidated), with no index on them: the
    walk is driven by the period."""
    return or_(query.column("source") == actor_id, query.column("target") == actor_id)


def shown_acts(ctx: AnalysisContext, acts: EventQuery, limit: int, offset: int) -> list[ShownEvent]:
    """One page of a dense actor's acts (``acts``: its ``EventQuery``) in the views' order, a month at a time:
    the page's ids first, sorted on light rows, then its rows with their evidence (a month holds thousands of
    the actor's acts, whose evidence cut from the text was the cost of the sort)."""
    assert acts.actor is not None
    every = EventQuery(count=acts.count, standing=False)
    side = _either_side(every, acts.actor)

    def count(period: str | None) -> int:
        found = select(func.count()).select_from(joined()).where(*every.conditions(), side, *_placed_in(every, period))
        return int(ctx.store.read(found)[0][0])

    def fetch(period: str | None, skip: int, wanted: int) -> list[ShownEvent]:
        ids = (select(E.c.id).select_from(joined()).where(*every.conditions(), side, *_placed_in(every, period))
               .order_by(*placed_order(every)).limit(wanted).offset(skip or None))
        found = with_evidence(every.select_events().where(E.c.id.in_(ids.scalar_subquery()))).order_by(
            *placed_order(every))
        return [shown_event(row._mapping) for row in ctx.store.read(found)]

    return walk_pages(_periods(ctx, acts.count), count, fetch, limit, offset)


# --- the documents that mention the actor or report its acts -------------------------------

#: Documents read per slice when a dense actor's reporting documents are walked by id.
DOCUMENT_SLICE = 500


def _document_slices(ctx: AnalysisContext) -> Iterator[list[str]]:
    """Every document id in id order, :data:`DOCUMENT_SLICE` at a time (seeks on the primary key)."""
    after: str | None = None
    while True:
        ids = select(D.c.id).order_by(D.c.id).limit(DOCUMENT_SLICE)
        found = [row[0] for row in ctx.store.read(ids if after is None else ids.where(D.c.id > after))]
        if not found:
            return
        yield found
        after = found[-1]


def _reporting(ctx: AnalysisContext, acts: EventQuery, dense: bool, wanted: int) -> list[str]:
    """The first ``wanted`` documents (by id) reporting the actor's acts: a sparse actor's through its acts,
    a dense actor's through the documents in id order, a slice at a time."""
    if not dense:
        found = (select(E.c.doc_id).select_from(joined()).where(*acts.conditions()).distinct()
                 .order_by(E.c.doc_id).limit(wanted))
        return [row[0] for row in ctx.store.read(found)]
    assert acts.actor is not None
    every = EventQuery(count=acts.count, standing=False)
    side, ids = _either_side(every, acts.actor), []
    for chunk in _document_slices(ctx):
        found = (select(E.c.doc_id).select_from(joined()).where(*every.conditions(), side, E.c.doc_id.in_(chunk))
                 .distinct().order_by(E.c.doc_id))
        ids += [row[0] for row in ctx.store.read(found)]
        if len(ids) >= wanted:
            break
    return ids[:wanted]


def _mentioning(ctx: AnalysisContext, named: ColumnElement[bool], wanted: int) -> list[str]:
    found = select(M.c.doc_id).where(named).distinct().order_by(M.c.doc_id).limit(wanted)
    return [row[0] for row in ctx.store.read(found)]


def document_ids(ctx: AnalysisContext, acts: EventQuery, named: ColumnElement[bool], dense: Density,
                 limit: int) -> list[str]:
    """The first ``limit`` ids (in the store's order of ids) of the documents that mention the actor
    (``named``: the mentions' condition) or report its acts: the first of each kind, merged."""
    ids = {*_mentioning(ctx, named, limit), *_reporting(ctx, acts, dense.acts, limit)}
    found = select(D.c.id).where(D.c.id.in_(sorted(ids))).order_by(D.c.id).limit(limit)
    return [row[0] for row in ctx.store.read(found)] if ids else []


def document_total(ctx: AnalysisContext, acts: EventQuery, named: ColumnElement[bool], dense: Density) -> Bounded:
    """How many documents mention the actor or report its acts, exactly up to :data:`COUNTED`."""
    mentioning = _mentioning(ctx, named, COUNTED + 1)
    if len(mentioning) > COUNTED:
        return Bounded(COUNTED, more=True)
    reporting = _reporting(ctx, acts, dense.acts, COUNTED + 1)
    if len(reporting) > COUNTED:
        return Bounded(COUNTED, more=True)
    return Bounded(len({*mentioning, *reporting}))


def bounded_count(ctx: AnalysisContext, rows: Any, bound: int | None = None) -> Bounded:
    """How many rows ``rows`` (a select) gives, counted up to ``bound`` (:data:`COUNTED`; one more row
    tells "more")."""
    bound = COUNTED if bound is None else bound
    found = select(func.count()).select_from(rows.limit(bound + 1).subquery())
    n = int(ctx.store.read(found)[0][0])
    return Bounded(bound, more=True) if n > bound else Bounded(n)


def walk_quotes(ctx: AnalysisContext, *where: ColumnElement[bool], limit: int) -> list[QuoteRow]:
    """The first ``limit`` quotes matching ``where`` by document and offset, read :data:`DOCUMENT_SLICE`
    documents at a time (for an actor whose quotes are many: most slices hold some)."""
    found: list[QuoteRow] = []
    for chunk in _document_slices(ctx):
        found += quote_rows(ctx, *where, Q.c.doc_id.in_(chunk), order=[Q.c.doc_id, Q.c.start],
                            limit=limit - len(found))
        if len(found) >= limit:
            break
    return found


# --- mentions in publication order -------------------------------------------------------------


def _publication_months(ctx: AnalysisContext) -> Iterator[list[str]]:
    """The original documents in publication order (then id), a month of publication dates at a time (one
    index seek to find each month), then those with no date, by id."""
    after: ColumnElement[bool] = D.c.published.is_not(None)
    while True:
        first = ctx.store.read(select(func.min(D.c.published)).where(after))[0][0]
        if first is None:
            break
        month = first[:7]
        yield _ids(ctx, _prefix_range(D.c.published, month))
        after = D.c.published > (month if len(month) < 7 else _month_end(month))
    yield _ids(ctx, D.c.published.is_(None))


def _ids(ctx: AnalysisContext, where: ColumnElement[bool]) -> list[str]:
    found = select(D.c.id).where(where, D.c.duplicate_of.is_(None)).order_by(D.c.published, D.c.id)
    return [row[0] for row in ctx.store.read(found)]


def walk_mentions(ctx: AnalysisContext, named: ColumnElement[bool], page: Callable[[ColumnElement[bool]], Any],
                  limit: int, offset: int) -> list[Any]:
    """One page of a dense actor's mentions (``named``) in publication order: ``page(where)`` is the page
    query of the mentions of some documents, in the page's order."""

    def count(ids: list[str]) -> int:
        return int(ctx.store.read(select(func.count()).where(named, M.c.doc_id.in_(ids)))[0][0]) if ids else 0

    def fetch(ids: list[str], skip: int, wanted: int) -> list[Any]:
        return list(ctx.store.read(page(M.c.doc_id.in_(ids)).limit(wanted).offset(skip or None))) if ids else []

    return walk_pages(_publication_months(ctx), count, fetch, limit, offset)
