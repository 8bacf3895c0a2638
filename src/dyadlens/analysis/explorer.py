"""The events explorer and the event page: what ``/events`` and ``/event/ID`` show.

The explorer is :class:`~dyadlens.store.EventQuery` (actor, modality, date
range, count mode) plus the filters it lacks (CAMEO root, quad class, coder,
outlet, country of the event's place), all as one SQL ``WHERE``; the page of
rows, its true total and every facet's counts are SQL statements over that
condition (``GROUP BY`` per facet), so nothing loads the events table. Facet
counts are those of the current filters: choosing a value narrows the others.
The CSV and JSON downloads are the rows of the page shown, in its order.
Bounded (the default): the total and the facets come from one statement reading
at most 10,001 matching events in the order shown (their ids and facet columns),
exact up to 10,000, past it "more than 10,000" with the facets of the first
10,000 (:func:`~dyadlens.analysis.explorers.base.tallied_rows`); the page is cut
from the same ids, so the matching events are sorted once.

The event page joins the ``explain`` chain (:func:`~dyadlens.analysis.events.explain_event`),
every report of the real event the event belongs to, its cluster counts and
the analyst's corrections recorded on any of those reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union_all

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_modalities, check_window
from dyadlens.analysis.events import EventExplanation, explain_event
from dyadlens.analysis.explorers.base import (
    COUNT_BOUND,
    FACET_VALUES,
    Facet,
    check_sort,
    count_rows,
    csv_text,
    grouped,
    make_facet,
    one_line,
    tallied_rows,
)
from dyadlens.analysis.explorers.base import EXPLORER_PAGE as EXPLORER_PAGE  # where the views import it from
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import parse_bound
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, check_count, schema
from dyadlens.store.corrections import Correction, corrections
from dyadlens.store.listed_in import listed_in
from dyadlens.store.queries import ClusterCounts, exact_conditions, joined, placed_order, prefix_range
from dyadlens.store.store import shown_event, with_evidence
from dyadlens.store.summaries import SummaryTally, tally

E, D, C = schema.events, schema.documents, schema.clusters
MONTHS, SA = schema.summary_months, schema.summary_actors

#: How the explorer sorts: the ``?sort=`` values (a leading ``-`` reverses).
SORTS = ("date", "code", "reports")
#: The columns of ``/events.csv``, in order.
CSV_COLUMNS = (
    "id", "date", "source", "source_name", "code", "code_name", "quad_class", "target", "target_name", "modality",
    "coder", "confidence", "country", "place", "reports", "outlets", "doc_id", "outlet", "published", "sentence",
)


class UnknownEventError(DyadlensError):
    """No stored event has this id."""


@dataclass(frozen=True, slots=True)
class ExplorerFilters:
    """What ``/events`` is asked for; every field narrows, ``None`` leaves it open."""

    actor: str | None = None
    root: str | None = None
    quad: int | None = None
    modalities: tuple[str, ...] | None = None
    coder: str | None = None
    outlet: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "date"
    count: str = "events"

    def __post_init__(self) -> None:
        check_count(self.count)
        check_sort(self.sort, SORTS)
        if self.quad is not None and not 1 <= self.quad <= 4:
            raise DyadlensError("quad must be 1, 2, 3 or 4")
        check_modalities(self.modalities)
        since, until = parse_bound(self.since), parse_bound(self.until)
        if since is not None and until is not None and since.first_day > until.last_day:
            raise DyadlensError(f"the date range is reversed: since {self.since} is after until {self.until}")

    def event_query(self) -> EventQuery:
        """The part :class:`EventQuery` expresses; undated events are placed at their document's date."""
        return EventQuery(actor=self.actor, modalities=self.modalities, since=self.since, until=self.until,
                          count=self.count, document_dates=True, standing=False)


@dataclass(slots=True)
class EventsExplorer:
    filters: ExplorerFilters
    facets: list[Facet]
    rows: list[EventRow]
    window: Window
    total_is_lower_bound: bool = False  # more events than ``window.total`` match; the facets count the first ones


@dataclass(slots=True)
class EventPage:
    """An event with everything behind it: the chain that coded it, its reports, counts and corrections."""

    id: str
    row: EventRow
    explanation: dict[str, Any]
    counts: ClusterCounts | None
    reports: list[EventRow] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)


def explore_events(ctx: AnalysisContext, filters: ExplorerFilters, *, limit: int | None = EXPLORER_PAGE,
                   offset: int = 0, with_facets: bool = True, bound: int | None = COUNT_BOUND) -> EventsExplorer:
    """One page of the events matching ``filters``, sorted as asked, with the total and (unless
    ``with_facets`` is False: a download) the facets: exact up to ``bound`` events, past it bounded
    (see the module; ``None``: exact whatever the number)."""
    check_window(limit, offset)
    query = filters.event_query()
    where = conditions(ctx, filters)
    order = _ordering(query, filters.sort)
    if bound is None:
        found = with_evidence(query.select_events().where(*where))
        rows = _page(ctx, filters, found.order_by(*order).limit(limit).offset(offset or None))
        shown_facets = facets(ctx, filters, where) if with_facets else []
        return EventsExplorer(filters, shown_facets, rows, Window(offset, limit, count_rows(ctx, joined(), where)))
    cut, placed = _placed_by(ctx, filters, max(bound + 1, offset + limit)) if limit is not None else (None, None)
    if cut is not None:  # the same first rows, from the events placed up to the month that holds them
        codes = _rare_codes(ctx, filters, bound + 1)
        where = [*where, *placed_within(query, cut, descending=filters.sort.startswith("-"), codes=codes)]
    elif placed is not None and (keyed := keyed_within(ctx, filters)):  # every match among a few summary keys
        where = [*conditions(ctx, filters, prefiltered=False), *keyed]
    found = with_evidence(query.select_events().where(*where))
    columns = {"id": E.c.id, **(_facet_columns(query) if with_facets else {})}
    first = ctx.store.read(select(*(c.label(n) for n, c in columns.items())).select_from(joined()).where(*where)
                           .order_by(*order).limit(bound + 1))
    tallied = tallied_rows(first, list(columns), bound)
    if limit is not None and offset + limit <= bound:  # the page is among the rows just read: fetched by id
        ids = [row.id for row in first[offset:offset + limit]]  # matching: read by id alone
        by_id = with_evidence(select(*(query.column(c.name).label(c.name) for c in E.c)).select_from(joined()))
        rows = sorted(_page(ctx, filters, by_id.where(E.c.id.in_(ids))), key=lambda row: ids.index(row.id))  # 25 ids
    else:
        rows = _page(ctx, filters, found.order_by(*order).limit(limit).offset(offset or None))
    shown_facets = _facets_from(ctx, filters, tallied.top) if with_facets else []
    return EventsExplorer(filters, shown_facets, rows, Window(offset, limit, tallied.total), tallied.beyond)


def date_cut(ctx: AnalysisContext, filters: ExplorerFilters, rows: int) -> str | None:
    """The month (or year) by which ``rows`` events matching ``filters`` are placed, in the date order
    asked, from the month summary; None when the summary cannot say (other filters than it keeps, another
    sort) or when fewer match.

    Sorting by the placed date (``coalesce`` of the cluster's, the event's and the document's dates, which
    no index holds) would otherwise read and sort every matching event (15 s at 10M events) to show the
    first page; cut at that month, the period's own index look-ups find a few months of events. A summary
    period is a prefix of each of its dates, so periods sort as their dates do: every event among the first
    ``rows`` is placed in a period up to the cut, and the cut keeps every such event.
    """
    return _placed_by(ctx, filters, rows)[0]


def _placed_by(ctx: AnalysisContext, filters: ExplorerFilters, rows: int) -> tuple[str | None, int | None]:
    """:func:`date_cut`, and when the summary counted every match without reaching ``rows``, how many
    matched (``(None, None)``: the summary cannot say)."""
    if filters.sort.lstrip("-") != "date" or filters.coder or filters.outlet or filters.country:
        return None, None
    counted = tally(filters.event_query(), by_period=True)
    if not isinstance(counted, SummaryTally):
        return None, None
    descending, period = filters.sort.startswith("-"), counted.table.c.period
    by_period = (_summary_read(ctx, filters, counted, period, counted.count()).where(period != "").group_by(period)
                 .order_by(period.desc() if descending else period))
    placed = 0
    for window in _year_windows(ctx, counted, descending) if not filters.actor else [[]]:
        for month, n in ctx.store.read(by_period.where(*window)):
            placed += int(n or 0)
            if placed >= rows:
                return str(month), None
    return None, placed


def _summary_read(ctx: AnalysisContext, filters: ExplorerFilters, counted: SummaryTally,
                  *columns: ColumnElement[Any]) -> Select[Any]:
    """``columns`` of the summary rows that count the events matching ``filters`` (those it keeps). With
    an actor and a period that holds fewer rows than the actor, the actor is matched through an expression
    no index serves, so that the read goes by the (mode, period) covering index: the planners otherwise take
    the actor's rows (480k for Russia at 10M, 0.8 s) for the 5k of one year."""
    if counted.table is MONTHS and _period_narrower(ctx, filters, counted):
        t, actor = counted.table.c, filters.actor
        by_period = SummaryTally(replace(counted.query, actor=None), MONTHS)
        unindexed = [func.coalesce(side, "") == actor for side in (t.source, t.target)]
        where = [*by_period.conditions(), or_(*unindexed)]
    else:
        where = counted.conditions()
    if filters.root:  # a root is its code's first two digits (Event.root): a code range, which the indexes hold
        where.append(prefix_range(counted.column("code"), filters.root))
    where += [counted.column("code").in_(_quad_codes(ctx, filters.quad))] if filters.quad is not None else []
    return select(*columns).select_from(counted.source).where(*where)


def _period_narrower(ctx: AnalysisContext, filters: ExplorerFilters, counted: SummaryTally) -> bool:
    """Whether the period asked holds fewer summary rows than the actor: the store's acts spread evenly over
    its years against the actor's own (``summary_actors``; about one summary row per act either way)."""
    if not filters.actor or not (filters.since or filters.until):
        return False
    involved = SA.c.events_involved if counted.query.per_event else SA.c.reports_involved
    found = ctx.store.read(select(involved, select(func.sum(involved)).scalar_subquery())
                           .where(SA.c.actor == filters.actor))
    ends = _period_ends(ctx, counted)
    if not found or ends is None:
        return False
    actor_acts, every_act = int(found[0][0] or 0), int(found[0][1] or 0) / 2  # each act has two sides
    since, until = parse_bound(filters.since), parse_bound(filters.until)
    first, last = int(ends[0][:4]), int(ends[1][:4])
    asked = min(last, until.year if until else last) - max(first, since.year if since else first) + 1
    return actor_acts > every_act * max(asked, 0) / (last - first + 1)


def keyed_within(ctx: AnalysisContext, filters: ExplorerFilters) -> list[ColumnElement[bool]]:
    """The events matching ``filters`` listed through the keys (code, source, target) of the summary rows
    that count them; empty when the summary cannot say. For a few thousand matches among an actor's millions
    of events (the caller knows from the summary that fewer than a page bound match, so the keys are as few):
    the planners would otherwise read all of the actor's events (3.1M for Russia at 10M, 19 s) to find the
    2,906 of one CAMEO root and one year.

    Counting events, a match is a cluster's lead, whose consolidated code is its cluster's and whose sides
    are the cluster's (its own), or an event in no cluster: the clusters' keys give the leads, the events'
    keys the unclustered events, each with a date that can place it in the period (the exact conditions keep
    the period's). Written as ``id IN (subquery)``, which the planners drive the read by, rather than by the
    actor's indexes (whose statistics promise an average actor's rows)."""
    counted = tally(filters.event_query())
    if not isinstance(counted, SummaryTally):
        return []
    t, query = counted.table.c, counted.query
    listed = _summary_read(ctx, filters, counted, t.code, t.source, t.target).distinct().cte("listed")
    keyed = E.alias("keyed")
    if not query.per_event:
        return [E.c.id.in_(union_all(*_keyed(keyed, keyed.c.id, listed, _dated(keyed.c.date, query))))]
    alone = func.coalesce(keyed.c.cluster, "") == ""  # checked on the key's rows, not read by the (cluster) index
    # one branch for both dates: the date comes after the modality in the index that holds the code's events
    dated = [or_(*(and_(*where) for where in alternatives))] if (alternatives := _dated(keyed.c.date, query))[0] else []
    unclustered = _keyed(keyed, keyed.c.id, listed, [[alone, *dated]])
    return [E.c.id.in_(union_all(*unclustered, *_keyed(C, C.c.lead, listed, _dated(C.c.date, query))))]


def _dated(date: ColumnElement[Any], query: EventQuery) -> list[list[ColumnElement[bool]]]:
    """A date that can place an event in the query's period, or none (the next date in line places it): from
    the first year of ``since`` (a coarser date sorts before its finer ones) to the last day of ``until``;
    two alternatives, each a range of an index that holds the date after the key."""
    since, until = parse_bound(query.since), parse_bound(query.until)
    within = [date >= f"{since.year:04d}"] if since is not None else []
    within += [date <= until.last_day.isoformat()] if until is not None else []
    return [within, [date.is_(None)]] if within else [[]]


def _keyed(table: Any, picked: ColumnElement[str], listed: Any, alternatives: list[list[ColumnElement[bool]]]
           ) -> list[Select[Any]]:
    """``picked`` of the rows of ``table`` meeting one of the ``alternatives`` whose (code, source, target) is
    one of the ``listed`` keys, joined on the index's three columns; a side the summary keeps as ``''`` is
    NULL. Each alternative and each kind of key is a branch of its own, so that each is an index range."""
    return [branch for where in alternatives for branch in _keyed_sides(table, picked, listed, where)]


def _keyed_sides(table: Any, picked: ColumnElement[str], listed: Any, where: list[ColumnElement[bool]]
                 ) -> list[Select[Any]]:
    branches = []
    for source_given, target_given in ((True, True), (False, True), (True, False), (False, False)):
        on, sides = [table.c.code == listed.c.code], []
        for name, given in (("source", source_given), ("target", target_given)):
            on.append(table.c[name] == listed.c[name] if given else table.c[name].is_(None))
            sides.append(listed.c[name] != "" if given else listed.c[name] == "")
        branches.append(select(picked).select_from(listed.join(table, and_(*on))).where(*sides, *where))
    return branches


#: Codes = a filter on an event's code: its CAMEO root or quad class, as a condition on a code column.
Codes = Callable[[ColumnElement[Any]], ColumnElement[bool]]
#: An undated event of the codes asked costs its document's date to place (a look-up), a dated one an index
#: entry; about one event in five is undated, so the codes' events cost about a fifteenth of a candidate each.
CODED_COST = 15


def _rare_codes(ctx: AnalysisContext, filters: ExplorerFilters, rows: int) -> Codes | None:
    """The root or quad class asked for, when its events are few enough that listing the candidates of the cut by
    code (every event of those codes, read from the index by code and date) costs less than by date (every event
    placed up to the cut, of any code: about ``rows`` × every act / the codes' acts); None otherwise. Estimated
    from the totals summary (the codes' acts, through its code index) and the per-actor totals (every act)."""
    if not (filters.root or filters.quad is not None) or filters.actor:
        return None
    query = replace(filters.event_query(), since=None, until=None)
    counted = tally(query)
    if not isinstance(counted, SummaryTally):
        return None
    codes = _codes(ctx, filters)
    coded = ctx.store.read(select(counted.count()).where(*counted.conditions(), codes(counted.column("code"))))
    involved = SA.c.events_involved if query.per_event else SA.c.reports_involved
    every = int(ctx.store.read(select(func.sum(involved)))[0][0] or 0) / 2  # each act has two sides
    found = int(coded[0][0] or 0)
    return codes if found and found / CODED_COST + rows < rows * every / found else None


def _codes(ctx: AnalysisContext, filters: ExplorerFilters) -> Codes:
    """The root (a code range, which the code indexes hold) and quad class asked for, as a condition on a code."""
    def coded(code: ColumnElement[Any]) -> ColumnElement[bool]:
        found = [prefix_range(code, filters.root)] if filters.root else []
        found += [code.in_(_quad_codes(ctx, filters.quad))] if filters.quad is not None else []
        return and_(*found)

    return coded


def placed_within(query: EventQuery, cut: str, *, descending: bool,
                  codes: Codes | None = None) -> list[ColumnElement[bool]]:
    """The events placed up to the period ``cut`` (from it, newest first), as a bound on the placed date's
    text, with its candidates as look-ups of the indexes of the three dates it comes from (the cluster's,
    the event's, the document's). A year sorts before its months: up to ``2000`` is up to that year-only
    date, up to ``2000-03`` is up to every day of March. The period asked bounds the dates at the other end
    (from the first year of ``since``, a coarser date sorting before its finer ones; up to the last day of
    ``until``), so that a cut in a late period does not list the events of every earlier year."""
    key = cut if descending or len(cut) == 4 else f"{cut}~"
    since, until = parse_bound(query.since), parse_bound(query.until)
    start = f"{since.year:04d}" if since is not None else None
    end = until.last_day.isoformat() if until is not None else None

    def within(date: ColumnElement[Any]) -> ColumnElement[bool]:
        if descending:
            return and_(date >= key, *([date <= end] if end else []))
        return and_(date <= key, *([date >= start] if start else []))

    if codes is not None:
        return [within(query.placed_date()), _coded_candidates(query, codes, within)]
    # unfiltered, the cut holds about a page of events, so its leads and documents are few and PostgreSQL reads
    # them by index too; filtered by sides or code, the cut reaches back over everyone's events (100k leads at
    # 200k documents), which PostgreSQL would check one array element at a time
    few = not any((query.source, query.target, query.actor, query.between, query.code, query.doc_id))
    candidates = or_(within(E.c.date), listed_in(E.c.id, select(C.c.lead).where(within(C.c.date)), indexed=few),
                     listed_in(E.c.doc_id, select(D.c.id).where(within(D.c.published)), indexed=few))
    return [within(query.placed_date()), candidates]


def _coded_candidates(query: EventQuery, codes: Codes,
                      within: Callable[[ColumnElement[Any]], ColumnElement[bool]]) -> ColumnElement[bool]:
    """The candidates of the cut among the events of ``codes`` (see :func:`_rare_codes`), listed by id: an event
    of those codes dated within the cut, or undated and published within it (its code, date, document and cluster
    read from the index that holds them all, ``ix_events_claims``); counting events, such an event in no cluster,
    or the lead of a cluster of those codes dated within the cut or undated (``ix_clusters_keys_date``; the lead
    is placed by its own or its document's date, which the exact conditions check). Written as ``id IN``, which
    the planners drive the read by, so that only the candidates' rows are read."""
    keyed = E.alias("keyed")
    published = listed_in(keyed.c.doc_id, select(D.c.id).where(within(D.c.published)), indexed=False)
    own = [codes(keyed.c.code), or_(within(keyed.c.date), and_(keyed.c.date.is_(None), published))]
    if not query.per_event:
        return E.c.id.in_(select(keyed.c.id).where(*own))
    alone = select(keyed.c.id).where(*own, func.coalesce(keyed.c.cluster, "") == "")
    leads = select(C.c.lead).where(codes(C.c.code), or_(within(C.c.date), C.c.date.is_(None)))
    return E.c.id.in_(union_all(alone, leads))


def _year_windows(ctx: AnalysisContext, counted: SummaryTally, descending: bool) -> list[list[ColumnElement[bool]]]:
    """The month summary's years in the order asked, as conditions on its period: with no side to narrow
    by, the summary holds about one row per event, so the cut reads a year at a time and stops at the cut
    (the first and last periods of the count mode are two seeks of the (mode, period) index). Only the years
    the period asked for can hold a match: a period overlaps it only if its year lies within the bounds' years."""
    period, ends = counted.table.c.period, _period_ends(ctx, counted)
    if ends is None:
        return []
    since, until = parse_bound(counted.query.since), parse_bound(counted.query.until)
    first = max(int(ends[0][:4]), since.year if since is not None else 0)
    last = min(int(ends[1][:4]), until.year if until is not None else 9999)
    years = range(last, first - 1, -1) if descending else range(first, last + 1)
    return [[period >= f"{year:04d}", period < f"{year + 1:04d}"] for year in years]


def _period_ends(ctx: AnalysisContext, counted: SummaryTally) -> tuple[str, str] | None:
    """The first and last periods of the count mode (two seeks of the (mode, period) index); None if none."""
    period = counted.table.c.period
    keyed = [counted.table.c.mode == counted.query.count, period > ""]
    ends = [ctx.store.read(select(period).where(*keyed).order_by(order).limit(1)) for order in (period, period.desc())]
    return (str(ends[0][0][0]), str(ends[1][0][0])) if ends[0] else None


def _page(ctx: AnalysisContext, filters: ExplorerFilters, statement: Any) -> list[EventRow]:
    """The rows of a page statement (events with their evidence), as the explorer shows them."""
    return ctx.shown_rows([shown_event(row._mapping) for row in ctx.store.read(statement)], filters.count)


def conditions(ctx: AnalysisContext, filters: ExplorerFilters, *,
               prefiltered: bool = True) -> list[ColumnElement[bool]]:
    """The SQL condition of ``filters`` over :func:`~dyadlens.store.queries.joined` (without the index
    prefilter of :class:`EventQuery` unless ``prefiltered``: for a read whose candidates are listed)."""
    query = filters.event_query()
    found = query.conditions() if prefiltered else exact_conditions(query)
    if filters.root:
        found.append(query.column("root") == filters.root)
    if filters.quad is not None:
        found.append(query.column("code").in_(_quad_codes(ctx, filters.quad)))
    if filters.coder:
        found.append(E.c.coder == filters.coder)
    if filters.outlet:
        found.append(D.c.outlet == filters.outlet)
    if filters.country:
        found.append(E.c.place_country == filters.country)
    return found


def _quad_codes(ctx: AnalysisContext, quad: int) -> list[str]:
    return sorted(c.code for c in ctx.ontology if c.quad_class == quad)


def _ordering(query: EventQuery, sort: str) -> list[ColumnElement[Any]]:
    """``date`` is the views' order; ``code`` and ``reports`` break ties by it."""
    descending, key = sort.startswith("-"), sort.lstrip("-")
    placed = placed_order(query)
    if key == "date":
        first = placed[1].desc() if descending else placed[1]
        return [placed[0], first, *placed[2:]]
    column = query.column("code") if key == "code" else func.coalesce(C.c.reports, 1)
    return [column.desc() if descending else column, *placed]


#: Counts of one facet column's values, most frequent first: ``counted(name, limit)``.
Counted = Callable[[str, int | None], list[tuple[str, int]]]


def _facet_columns(query: EventQuery) -> dict[str, ColumnElement[Any]]:
    """The columns the facets count, by name (the sides, code, root and modality consolidated)."""
    consolidated = {name: query.column(name) for name in ("source", "target", "root", "code", "modality")}
    return {**consolidated, "coder": E.c.coder, "outlet": D.c.outlet, "country": E.c.place_country}


def facets(ctx: AnalysisContext, filters: ExplorerFilters, where: Sequence[ColumnElement[bool]]) -> list[Facet]:
    """Every facet's values and counts under the current filters, a ``GROUP BY`` each."""
    columns = _facet_columns(filters.event_query())

    def counted(name: str, limit: int | None) -> list[tuple[str, int]]:
        return grouped(ctx, joined(), columns[name], where, limit)

    return _facets_from(ctx, filters, counted)


def _facets_from(ctx: AnalysisContext, filters: ExplorerFilters, counted: Counted) -> list[Facet]:
    """The facets, from the counts of their columns' values (exact ``GROUP BY`` or bounded tally)."""
    facet = make_facet
    actors = _actor_counts(counted)
    ctx.load_names(value for value, _ in actors)
    roots = counted("root", None)
    return [
        facet("actor", "Actor", actors, [filters.actor], {a: ctx.actor_name(a) or a for a, _ in actors}),
        facet("root", "CAMEO root", roots, [filters.root], {r: f"{r} {ctx.code_name(r)}" for r, _ in roots}),
        facet("quad", "Quad class", _quad_counts(ctx, counted), [str(filters.quad)], _quad_names(ctx)),
        facet("modality", "Modality", counted("modality", FACET_VALUES), filters.modalities or ()),
        facet("coder", "Coder", counted("coder", FACET_VALUES), [filters.coder]),
        facet("outlet", "Outlet", counted("outlet", FACET_VALUES), [filters.outlet]),
        facet("country", "Country of the place", counted("country", FACET_VALUES), [filters.country]),
    ]


def _actor_counts(counted: Counted) -> list[tuple[str, int]]:
    """Events per actor on either side (an event counts once for each of its two actors)."""
    totals: dict[str, int] = {}
    for side in ("source", "target"):
        for value, n in counted(side, None):
            totals[value] = totals.get(value, 0) + n
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]


def _quad_counts(ctx: AnalysisContext, counted: Counted) -> list[tuple[str, int]]:
    """Events per quad class, from the counts per code (the ontology knows each code's class)."""
    totals: dict[str, int] = {}
    for code, n in counted("code", None):
        info = ctx.code(code)
        if info is not None:
            totals[str(info.quad_class)] = totals.get(str(info.quad_class), 0) + n
    return sorted(totals.items())


def _quad_names(ctx: AnalysisContext) -> dict[str, str]:
    return {str(c.quad_class): f"{c.quad_class} {c.quad_class_name}" for c in ctx.ontology}


# --- downloads ---------------------------------------------------------------------------------------


def csv_row(row: EventRow) -> list[object]:
    """One row of ``/events.csv``: codes as text, the sentence on one line (:func:`csv_text` neutralises
    formula-like text)."""
    place = row.place
    counts = row.counts
    values: list[object] = [
        row.id, row.date or "", row.source or "", row.source_name or "", row.code, row.code_name,
        row.quad_class or "", row.target or "", row.target_name or "", row.modality, row.coder, row.confidence,
        place.country or "" if place else "", place.name if place else "", counts.reports if counts else "",
        counts.outlets if counts else "", row.doc_id, row.outlet or "", row.published or "",
        one_line(row.evidence.text),
    ]
    return values


def events_csv(rows: Sequence[EventRow]) -> str:
    """The rows shown, as CSV with a header line."""
    return csv_text(CSV_COLUMNS, (csv_row(row) for row in rows))


# --- the event page ----------------------------------------------------------------------------------


@cache
def _explain_resources() -> Resources:
    """The packaged verb dictionary and ontology, loaded once per process (the explain chain names the
    dictionary entry that matched)."""
    return Resources()


def event_page(ctx: AnalysisContext, event_id: str) -> EventPage:
    """The event ``event_id`` with its chain, its real event's reports and the corrections on them."""
    found = ctx.store.read(with_evidence(select(*E.c).select_from(joined())).where(E.c.id == event_id))
    if not found:
        raise UnknownEventError(f"no event {event_id!r}")
    shown = shown_event(found[0]._mapping)
    ctx.load_names([shown.event.source, shown.event.target, shown.event.claimant])
    cluster = shown.event.cluster
    reports = ctx.store.shown_reports([cluster]).get(cluster, []) if cluster else []
    ctx.load_names(a for r in reports for a in (r.event.source, r.event.target))
    explanation: EventExplanation | None = explain_event(ctx.store, _explain_resources(), event_id)
    return EventPage(
        id=event_id,
        row=ctx.shown_row(shown),
        explanation=explanation.as_dict() if explanation is not None else {},
        counts=ctx.store.cluster_counts([cluster]).get(cluster) if cluster else None,
        reports=[ctx.shown_row(r) for r in reports] or [ctx.shown_row(shown)],
        corrections=_corrections_of(ctx, [shown.event.id, *(r.event.id for r in reports)],
                                    {shown.event.doc_id, *(r.event.doc_id for r in reports)}),
    )


def _corrections_of(ctx: AnalysisContext, event_ids: list[str], doc_ids: set[str]) -> list[Correction]:
    """The corrections recorded on these events (by id, or a merge/split naming one as the other report)."""
    wanted = set(event_ids)
    return [c for doc_id in sorted(doc_ids) for c in corrections(ctx.store, doc_id)
            if c.event_id in wanted or c.other in wanted]
