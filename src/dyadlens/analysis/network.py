"""The actor network of a period: weighted directed edges between actors.

An edge ``source -> target`` carries the number of events and their mean
Goldstein weight. Events without a target, and (by default) events whose
modality is not ``asserted``, are left out. Events are placed in the period by
their own date, else by their document's publication date. A real event counts
once (``count="events"``, the default) or every report counts (``"reports"``);
standing facts are never counted. The edges are summed in SQL from the kept edges
(:mod:`dyadlens.store.edge_summaries`: per year for the whole years of the period, over all
time for the whole store) and, for a partial year at either end, the month summary (or the year's kept
edges less its few months outside the period), or from the events when the summaries cannot answer (a
day-precise period). The rows are grouped into edges once, and one statement reads off them a page
(``limit``, ``offset``, most events first), their number (the total of ``window``) and the nodes: the
actors of the edges shown, each with its events over every edge.
The edges shown are weighed from their counts by code (one more ``GROUP BY``, over those pairs only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)

from dyadlens.analysis.common import (
    DEFAULT_MODALITIES,
    AnalysisContext,
    Window,
    check_modalities,
    check_window,
    weigh,
)
from dyadlens.analysis.series import HUNDREDTHS, code_lookup
from dyadlens.errors import DyadlensError
from dyadlens.model import shown_id
from dyadlens.partial_dates import check_date, parse_bound
from dyadlens.store import EventQuery, edge_summaries
from dyadlens.store.summaries import SummaryTally, Tally, tally

#: Edges a network page shows unless asked for another page size.
EDGES_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str | None
    type: str | None
    events: int  # events the actor takes part in (either side)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    count: int
    mean_goldstein: float | None
    by_quad: dict[int, int]


@dataclass(frozen=True, slots=True)
class Network:
    since: str | None
    until: str | None
    quad_classes: tuple[int, ...] | None
    modalities: tuple[str, ...] | None
    nodes: list[Node]
    edges: list[Edge]  # one page of them, most events first
    count: str = "events"  # what an edge counts: events | reports
    window: Window | None = None  # which edges of how many ``edges`` holds


def actor_network(
    ctx: AnalysisContext,
    since: str | None = None,
    until: str | None = None,
    quad_classes: tuple[int, ...] | None = None,
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    count: str = "events",
    limit: int | None = EDGES_SHOWN,
    offset: int = 0,
) -> Network:
    """Nodes and weighted directed edges of the events in [since, until]: ``limit`` edges from ``offset``."""
    if quad_classes is not None and any(q not in (1, 2, 3, 4) for q in quad_classes):
        raise DyadlensError("quad classes are 1 (verbal cooperation) to 4 (material conflict)")
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    check_window(limit, offset)
    counted = tally(EventQuery(modalities=chosen, since=since, until=until, document_dates=True, count=count,
                               standing=False))
    source, target = counted.column("source"), counted.column("target")
    edge = [source.is_not(None), target.is_not(None), source != target]  # an edge's conditions besides the period
    if quad_classes:
        edge.append(counted.column("code").in_(sorted(c.code for c in ctx.ontology if c.quad_class in quad_classes)))
    where = [*counted.conditions(), *edge]
    rows = _edge_rows(ctx, counted, edge, tuple(quad_classes or ()))
    page = _page(ctx, rows, limit, offset)
    edges = _weighed_edges(ctx, counted, where, page.pairs)
    return Network(
        since=since, until=until, quad_classes=tuple(quad_classes) if quad_classes else None,
        modalities=chosen, count=count, nodes=_nodes(ctx, page.degrees), edges=edges,
        window=Window(offset, limit, page.total),
    )


def _edge_rows(ctx: AnalysisContext, counted: Tally, edge: list[Any], quads: tuple[int, ...]) -> Subquery:
    """(source, target, n) rows whose sums per pair are the edges: the kept edges of the whole years of the period
    (or of all time) and of its partial years, where the summaries serve the query; else the rows ``counted`` reads.
    A partial year is read from its months, or, when few of its months lie outside the period, as its kept edges
    less those months (:func:`_partial_year`)."""
    plain = select(counted.column("source").label("source"), counted.column("target").label("target"),
                   counted.weight.label("n")).select_from(counted.source).where(*counted.conditions(), *edge)
    if not isinstance(counted, SummaryTally) or (quads and not _quads_exact(ctx, counted.query.count)):
        return plain.subquery()
    q = counted.query
    if not (q.since or q.until):
        return edge_summaries.edge_rows(q.count, q.modalities, quads, None).subquery()
    since, until = parse_bound(q.since), parse_bound(q.until)
    first, last = edge_summaries.whole_years(since, until)
    partial = sorted({b.year for b in (since, until) if b is not None and not _whole(b.year, first, last)})
    whole = first is None or last is None or first <= last
    parts = [edge_summaries.edge_rows(q.count, q.modalities, quads, (first, last))] if whole else []
    for year in partial:
        parts += _partial_year(counted, plain, edge, quads, year, edge_summaries.months_outside(year, since, until))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()


#: A partial year is read as its kept edges less the months outside the period when at most this many are: a
#: year's kept edges are about a third as many rows as its months (each month's rows hold a row per code).
MONTHS_SUBTRACTED = 3


def _partial_year(counted: SummaryTally, plain: Select[Any], edge: list[Any], quads: tuple[int, ...], year: int,
                  outside: list[str]) -> list[Select[Any]]:
    """The rows of the months of ``year`` within the period (``outside``: its months that are not), or the year's
    kept edges and, counted negative, its months outside the period (the month rows meeting ``edge``, the
    conditions of an edge besides the period). A year-only date (period ``2012``) overlaps every period that
    meets its year, so it is in both."""
    if len(outside) > MONTHS_SUBTRACTED:
        return [plain.where(edge_summaries.in_years(counted.table.c.period, [year]))]
    q, t = counted.query, counted.table.c
    kept = edge_summaries.edge_rows(q.count, q.modalities, quads, (year, year))
    if not outside:
        return [kept]
    every_period = SummaryTally(replace(q, since=None, until=None), counted.table)
    months = select(t.source.label("source"), t.target.label("target"), (-t.n).label("n"))
    return [kept, months.where(*every_period.conditions(), *edge, t.period.in_(outside))]


def _whole(year: int, first: int | None, last: int | None) -> bool:
    """Whether ``year`` is one of the whole years [first, last] (None: open at that end)."""
    return (first is None or first <= year) and (last is None or year <= last)


def _quads_exact(ctx: AnalysisContext, mode: str) -> bool:
    """Whether the kept edges' quad classes (by root) are the ontology's for every stored code: they are when the
    store holds no code outside the ontology."""
    with ctx.store.reader() as conn:
        return all(ctx.ontology.is_valid(code) for code in edge_summaries.stored_codes(conn, mode))


def _grouped(rows: Subquery) -> Select[Any]:
    """The edges: events per pair (a pair whose events all lie in months taken away is none)."""
    events = func.sum(rows.c.n)
    return (select(rows.c.source, rows.c.target, events.label("events")).group_by(rows.c.source, rows.c.target)
            .having(events > 0))


@dataclass(frozen=True, slots=True)
class _Page:
    pairs: list[tuple[str, str, int]]  # the edges of the page, in order
    total: int  # how many edges there are
    degrees: dict[str, int]  # the events of each actor of the page over every edge


def _page(ctx: AnalysisContext, rows: Subquery, limit: int | None, offset: int) -> _Page:
    """The edges of the page, most events first (ties by source, then target), how many edges there are, and the
    page's actors' events over every edge (on either side: an edge joins two different actors). One statement:
    the rows are grouped into edges once (a materialised ``WITH``), and the page, the count and the actors'
    sums are read off the edges."""
    edges = _grouped(rows).cte("edges").prefix_with("MATERIALIZED")
    order = [edges.c.events.desc(), edges.c.source, edges.c.target]
    shown = select(edges.c.source, edges.c.target, edges.c.events).order_by(*order).limit(limit).offset(offset)
    page = shown.cte("page").prefix_with("MATERIALIZED")
    place = func.row_number().over(order_by=[page.c.events.desc(), page.c.source, page.c.target])
    actors = union_all(select(page.c.source), select(page.c.target))
    sides = union_all(*(select(side.label("actor"), edges.c.events).where(side.in_(actors))
                        for side in (edges.c.source, edges.c.target))).subquery()
    found = ctx.store.read(select(union_all(
        select(literal("edge").label("kind"), page.c.source, page.c.target, page.c.events, place.label("place")),
        select(literal("total"), null(), null(), func.count(), literal(0)).select_from(edges),
        select(literal("node"), sides.c.actor, null(), func.sum(sides.c.events), literal(0)).group_by(sides.c.actor),
    ).subquery()))
    pairs = sorted((int(place), s, t, int(n)) for kind, s, t, n, place in found if kind == "edge")
    total = next(int(n) for kind, _, _, n, _ in found if kind == "total")
    degrees = {s: int(n) for kind, s, _, n, _ in found if kind == "node"}
    return _Page([(s, t, n) for _, s, t, n in pairs], total, degrees)


def _weighed_edges(ctx: AnalysisContext, counted: Tally, where: list[Any],
                   pairs: list[tuple[str, str, int]]) -> list[Edge]:
    """The edges shown, each with its events per quad class and mean Goldstein, summed in SQL per pair and quad
    class (the code's class and weight in hundredths looked up from the ontology; an unknown code counts in
    neither). The mean is the sum's nearest hundredth, which is what :func:`weigh` rounds its float sum to except
    on an exact tie (a mean of k + 0.005): those few pairs are weighed from their counts by code as before."""
    if not pairs:
        return []
    weighed = _by_quad(ctx, counted, where, pairs)
    ties = [(s, t, n) for s, t, n in pairs if _tie(*weighed[(s, t)][1:])]
    by_code = _by_code(ctx, counted, where, ties) if ties else {}
    edges = []
    for s, t, n in pairs:
        if (s, t) in by_code:
            exact = weigh(ctx.ontology, sorted(by_code[(s, t)]))  # summed in one order: the same rounding on any plan
            by_quad, mean = exact.by_quad, exact.mean_goldstein
        else:
            by_quad, events, weight = weighed[(s, t)]
            mean = _mean(events, weight) if events else None
        edges.append(Edge(source=s, target=t, count=n, mean_goldstein=mean, by_quad=by_quad))
    return edges


def _mean(events: int, weight: int) -> float:
    """The mean of ``weight`` hundredths over ``events``, to the nearest hundredth (not on a tie)."""
    return (2 * weight + events) // (2 * events) / HUNDREDTHS


def _tie(events: int, weight: int) -> bool:
    """Whether a mean of ``weight`` hundredths over ``events`` lies exactly half-way between two hundredths."""
    return events > 0 and (2 * weight) % (2 * events) == events


def _pairs_read(counted: Tally, where: list[Any], pairs: list[tuple[str, str, int]]) -> Select[Any]:
    """(source, target, code, n) of the pairs' rows (on a summary, read by its key: a range per pair)."""
    source, target = counted.column("source"), counted.column("target")
    return (select(source.label("source"), target.label("target"), counted.column("code").label("code"),
                   counted.weight.label("n"))
            .select_from(counted.source)
            .where(*where, *_keyed_pairs(counted, pairs), tuple_(source, target).in_([(s, t) for s, t, _ in pairs])))


def _by_quad(ctx: AnalysisContext, counted: Tally, where: list[Any],
             pairs: list[tuple[str, str, int]]) -> dict[tuple[str, str], tuple[dict[int, int], int, int]]:
    """Per pair: its events per quad class, and the events and the sum of their Goldstein weights (hundredths)
    over the codes the ontology knows."""
    rows = _pairs_read(counted, where, pairs).subquery("counted")
    codes = sorted(ctx.ontology, key=lambda c: c.code)
    quad: ColumnElement[Any] = literal_column(code_lookup("counted.code", tuple((c.code, c.quad_class) for c in codes)))
    hundredths = tuple((c.code, round(c.goldstein * HUNDREDTHS)) for c in codes)
    weight: ColumnElement[Any] = literal_column(code_lookup("counted.code", hundredths))
    grouped = (select(rows.c.source, rows.c.target, quad.label("quad"), func.sum(rows.c.n), func.sum(rows.c.n * weight))
               .group_by(rows.c.source, rows.c.target, quad))
    found: dict[tuple[str, str], tuple[dict[int, int], int, int]] = {
        (s, t): (dict.fromkeys((1, 2, 3, 4), 0), 0, 0) for s, t, _ in pairs}
    for s, t, q, n, w in ctx.store.read(grouped):
        if q is not None:
            by_quad, events, total = found[(s, t)]
            by_quad[int(q)] += int(n)
            found[(s, t)] = (by_quad, events + int(n), total + int(w))
    return found


def _by_code(ctx: AnalysisContext, counted: Tally, where: list[Any],
             pairs: list[tuple[str, str, int]]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Per pair, its events counted by code."""
    rows = _pairs_read(counted, where, pairs).subquery()
    grouped = select(rows.c.source, rows.c.target, rows.c.code, func.sum(rows.c.n)).group_by(
        rows.c.source, rows.c.target, rows.c.code)
    codes: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for s, t, c, n in ctx.store.read(grouped):
        codes[(s, t)].append((c, int(n)))
    return codes


def _keyed_pairs(counted: Tally, pairs: list[tuple[str, str, int]]) -> list[Any]:
    """On a summary, the pairs again as ranges of its primary key (mode, source, target, ...)."""
    if not isinstance(counted, SummaryTally):
        return []
    t = counted.table.c
    return [or_(*(and_(t.mode == counted.query.count, t.source == s, t.target == x) for s, x, _ in pairs))]


def _nodes(ctx: AnalysisContext, degrees: dict[str, int]) -> list[Node]:
    """The actors of the edges shown, each with its events over every edge of the selection."""
    found = ctx.actor_refs(sorted(degrees))
    nodes = [Node(id=a, name=found[a].name if a in found else shown_id(a), type=found[a].type if a in found else None,
                  events=n) for a, n in degrees.items()]
    return sorted(nodes, key=lambda n: (-n.events, n.id))
