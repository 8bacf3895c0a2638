"""The summary a dyad brief opens on: the relationship in three numbers, the state track, the five most
important events and quotes, and what changed in the period (docs/analysis.md, "The dyad brief").

One read side: ``dyadlens report``, the web page ``/brief/A/B`` and its JSON twin all call
:func:`brief_summary`. The scores are general, not tuned to a corpus:

- an event's importance is ``|Goldstein| × reports`` (how strongly it moves the relationship times how
  often the real event was told), asserted events before any other modality, ties broken by outlets and
  then the later date;
- a quote's importance is the speaker's rank (:func:`speaker_rank`), then how often the same words were
  quoted (in any document), then the earlier publication.

The span of the summary is ``since``–``until`` when given, else the whole record; "what changed" compares
the period (the whole months of ``since``–``until`` when ``since`` is given, else the twelve months up to
the month of the dyad's last asserted event) with as many months just before it. Its counts are read off
the summary tables (:func:`dyadlens.store.summaries.tally`) where they serve the query, so a dyad of
100,000 events costs index ranges, not a scan.
"""

from __future__ import annotations

import datetime
import heapq
import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, union_all

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, EventRow, QuoteRow, weigh
from dyadlens.analysis.dyad import DyadBrief, _quote_order, _said
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.analysis.status import StatusEntry, dyad_status_steps
from dyadlens.model import Event
from dyadlens.partial_dates import PartialDate, check_date, overlaps, parse_bound
from dyadlens.store import EventQuery, schema
from dyadlens.store.codec import record_from_row
from dyadlens.store.queries import exact_conditions, joined
from dyadlens.store.summaries import Tally, serves, tally

#: How many events and quotes the summary lists.
TOP = 5

#: Words of a role that make its holder speak for a state or a government (rank 3).
LEADING_ROLES = ("president", "prime minister", "minister", "head of state", "chancellor", "king", "emir",
                 "supreme leader", "secretary of state", "premier")

#: The length in months of the default period of "what changed" (no ``since`` given).
DEFAULT_PERIOD_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Relationship:
    """The relationship in three numbers: asserted real events, their mean Goldstein weight, and the
    share of them that cooperate (quad classes 1 and 2; ``None`` when no event has a known code)."""

    events: int
    mean_goldstein: float | None
    cooperation_percent: int | None


@dataclass(frozen=True, slots=True)
class RankedEvent:
    row: EventRow
    score: float  # |Goldstein| × reports


@dataclass(frozen=True, slots=True)
class RankedQuote:
    row: QuoteRow
    speaker_rank: int  # speaker_rank()
    repeated: int  # how many quotes carry the same words


@dataclass(frozen=True, slots=True)
class Period:
    since: str  # first month, YYYY-MM
    until: str  # last month, YYYY-MM


@dataclass(frozen=True, slots=True)
class Named:
    id: str
    name: str | None
    first: str | None  # the first date it is placed at


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed in ``period`` against ``previous`` (the same length, just before)."""

    period: Period  # whole months, YYYY-MM
    previous: Period
    status: list[StatusEntry]  # steps of the state track that began in the period
    balance: dict[int, int]  # asserted real events by quad class in the period
    balance_before: dict[int, int]  # ... in the previous period
    new_partners: list[Named]  # actors either side first acted with in the period (the other side excluded)
    new_event_types: list[Named]  # CAMEO roots the dyad first shows in the period (``id``: the root)


@dataclass(frozen=True, slots=True)
class BriefSummary:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    since: str | None  # the span of the numbers, events and quotes (None: open)
    until: str | None
    relationship: Relationship
    state_track: list[StatusEntry]  # the steps in force (or open) after every report
    events: list[RankedEvent]
    quotes: list[RankedQuote]
    changes: Changes | None  # None when the dyad has no dated event and no period is given


@dataclass(frozen=True, slots=True)
class Brief:
    """The web brief: the summary first, the dyad's detail after."""

    summary: BriefSummary
    detail: DyadBrief


def brief_summary(ctx: AnalysisContext, a: str, b: str, since: str | None = None,
                  until: str | None = None, status: list[StatusEntry] | None = None) -> BriefSummary:
    """The summary of the dyad ``a``–``b`` (ids) over ``since``–``until`` (the whole record when open);
    ``status``: the dyad's steps (:func:`~dyadlens.analysis.status.dyad_status`) when the caller has them all
    already; else only the steps the summary shows are read with their evidence: those in force and those
    begun in the period of "what changed"."""
    since, until = check_date(since, "since"), check_date(until, "until")
    period = change_period(ctx, a, b, since, until)
    if status is None:
        status = dyad_status_steps(ctx, a, b, lambda step: step.current or (period is not None and
                                                                             _in(step.start, period)))
    ctx.load_names((a, b))
    return BriefSummary(
        a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), since=since, until=until,
        relationship=relationship(ctx, a, b, since, until),
        state_track=[s for s in status if s.current],
        events=top_events(ctx, a, b, since, until),
        quotes=top_quotes(ctx, a, b, since, until),
        changes=changes(ctx, a, b, status, period),
    )


# --- the three numbers ----------------------------------------------------------------------------




def _acts(since: str | None = None, until: str | None = None, *, source: str | None = None,
          target: str | None = None, between: tuple[str, str] | None = None, code: str | None = None) -> EventQuery:
    """Asserted real events (no standing facts), placed at their document's date when undated."""
    return EventQuery(source=source, target=target, between=between, code=code, modalities=DEFAULT_MODALITIES,
                      since=since, until=until, document_dates=True, count="events", standing=False)


def _code_counts(ctx: AnalysisContext, query: EventQuery) -> list[tuple[str, int]]:
    """Events by code, read off the summary tables where they serve the query (dyadlens.store.summaries)."""
    counted = tally(query)
    code = counted.column("code")
    rows = ctx.store.read(select(code, counted.count()).select_from(counted.source).where(*counted.conditions())
                          .group_by(code))
    return [(str(row[0]), int(row[1])) for row in rows]


def relationship(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None) -> Relationship:
    counts = _code_counts(ctx, _acts(since, until, between=(a, b)))
    weighed = weigh(ctx.ontology, counts)
    classed = sum(weighed.by_quad.values())
    cooperating = weighed.by_quad.get(1, 0) + weighed.by_quad.get(2, 0)
    return Relationship(events=sum(n for _, n in counts), mean_goldstein=weighed.mean_goldstein,
                        cooperation_percent=round(100 * cooperating / classed) if classed else None)


# --- the most important events and quotes ---------------------------------------------------------------


def top_events(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None,
               top: int = TOP) -> list[RankedEvent]:
    """The ``top`` real events of the dyad in the span (any modality, asserted first) by |Goldstein| × reports,
    ranked in SQL over the candidates that can reach the top (:func:`_top_candidates`): only the ``top``
    chosen become event rows."""
    query = EventQuery(between=(a, b), since=since, until=until, document_dates=True, count="events",
                       standing=False)
    chosen = _top_candidates(ctx, query, (a, b), top)
    rows = ctx.counted_rows(chosen, "events")
    return [RankedEvent(row, _score(ctx, event, row)) for row, event in zip(rows, chosen, strict=True)]


def _top_candidates(ctx: AnalysisContext, query: EventQuery, pair: tuple[str, str], top: int) -> list[Event]:
    """The query's first ``top`` events in the brief's order, read from the events of the clusters told at
    least ``told`` times (of the dyad ``pair``), ``told`` lowered until the bound holds; then, when the top is
    made of events told once, from :func:`_weighed_candidates`.

    The bound: an event told ``r`` times scores at most ``heaviest × r`` (``heaviest``: the largest
    |Goldstein| of the ontology), so once every event told at least ``told`` times is read, an unread one
    scores at most ``heaviest × (told - 1)``. When the ``top`` read are asserted and the last of them scores
    more than that, no unread event can come before it: an asserted one scores less, any other comes after
    every asserted one. A busy dyad's top is then a few hundred clusters, not every event."""
    heaviest = max((abs(code.goldstein) for code in ctx.ontology), default=0.0)
    sides = _cluster_sides(*pair)
    told = _most_told(ctx, sides)
    while told > 2:
        found = list(ctx.store.read(_ranked_events(ctx, query, top, [_told(sides, told)])))
        needed = _told_needed(found, top, heaviest)
        if needed is not None and needed >= told:
            return [record_from_row(Event, row._mapping) for row in found]
        told = max(2, needed if needed is not None else told // 2)
    return _weighed_candidates(ctx, query, pair, top)


def _weighed_candidates(ctx: AnalysisContext, query: EventQuery, pair: tuple[str, str], top: int) -> list[Event]:
    """The query's first ``top`` events, read from the leads of the clusters told at least twice and the events
    whose code weighs at least ``least`` (:func:`_weighing`), ``least`` lowered until the bound holds (then all
    events).

    The bound: an event left unread is told once and its code weighs less than ``least``, so it scores less
    than ``least``. When the ``top`` read are asserted and the last of them scores ``least`` or more, no unread
    event can come before it. ``least`` starts just above the heaviest weight (the clusters told twice alone);
    it falls to the last score read when the ``top`` read are asserted (the next read then proves the bound),
    else to the heaviest weight, then to half of itself."""
    weights = sorted({abs(code.goldstein) for code in ctx.ontology if code.goldstein}, reverse=True)
    if not weights:
        return [record_from_row(Event, row._mapping) for row in ctx.store.read(_ranked_events(ctx, query, top))]
    twice = _told(_cluster_sides(*pair), 2)
    least = math.nextafter(weights[0], math.inf)
    while least > 0:
        found = list(ctx.store.read(_ranked_events(ctx, query, top, [twice, *_weighing(ctx, query, pair, least)])))
        last = float(found[-1].score) if len(found) == top and all(r.modality == "asserted" for r in found) else 0.0
        if last >= least:
            return [record_from_row(Event, row._mapping) for row in found]
        lower = last or (weights[0] if least > weights[0] else least / 2)
        least = max((w for w in weights if w <= lower), default=0.0)
    return [record_from_row(Event, row._mapping) for row in ctx.store.read(_ranked_events(ctx, query, top))]


def _told(sides: ColumnElement[bool], least: int) -> Any:
    """The leads of the dyad's clusters (``sides``) told at least ``least`` times."""
    clusters = schema.clusters.c
    return select(clusters.lead).where(sides, clusters.reports >= least)


def _weighing(ctx: AnalysisContext, query: EventQuery, pair: tuple[str, str], least: float) -> list[Any]:
    """The real events of the dyad ``pair`` whose code weighs at least ``least`` and that may lie in ``query``'s
    period: the leads of its clusters dated in the period or undated (then placed by their document), one range
    of ``ix_clusters_keys_date`` per code, direction and kind of date; and the events in no cluster (in a store
    whose clusters are kept there are none), from ``ix_events_claims`` alone."""
    codes = sorted(code.code for code in ctx.ontology if abs(code.goldstein) >= least)
    if not codes:
        return []
    clusters, events = schema.clusters.c, schema.events.c
    reads = [select(clusters.lead).where(clusters.code.in_(codes), clusters.source == source,
                                         clusters.target == target, dated)
             for source, target in (pair, pair[::-1])
             for dated in (_placed_within(clusters.date, query), clusters.date.is_(None))]
    # ``|| ''``: not through the index of clusters, which lists every standing fact of the store
    alone = [select(events.id).where(events.code.in_(codes), events.source == source, events.target == target,
                                     events.cluster.concat("").is_(None)) for source, target in (pair, pair[::-1])]
    return reads + alone


def _placed_within(date: ColumnElement[Any], query: EventQuery) -> ColumnElement[bool]:
    """Every date that overlaps ``query``'s period, as one range: from the first year of ``since`` (a coarser
    date sorts before its finer ones) to the last day of ``until``."""
    since, until = parse_bound(query.since), parse_bound(query.until)
    found = [date >= f"{since.year:04d}"] if since is not None else []
    found += [date <= until.last_day.isoformat()] if until is not None else []
    return and_(date.is_not(None), *found)


def _told_needed(found: list[Any], top: int, heaviest: float) -> int | None:
    """The largest ``told`` such that no event told fewer times can outrank the last of ``found`` (None when
    ``found`` cannot bound: fewer than ``top``, one not asserted, or nothing weighs)."""
    if len(found) < top or any(row.modality != "asserted" for row in found) or heaviest <= 0:
        return None
    last = float(found[-1].score)
    if last <= 0:
        return None
    told = int(last / heaviest) + 2
    while told > 1 and heaviest * (told - 1) >= last:
        told -= 1
    return told


def _most_told(ctx: AnalysisContext, sides: ColumnElement[bool]) -> int:
    """How many times the dyad's most told cluster was told (a cluster's sides are its lead's, so the dyad's
    clusters are those with its sides): one look-up per direction of the ``(source, target, reports)`` index."""
    clusters = schema.clusters.c
    found = ctx.store.read(select(func.max(clusters.reports)).where(sides))
    return int(found[0][0] or 0) if found else 0


def _cluster_sides(a: str, b: str) -> ColumnElement[bool]:
    clusters = schema.clusters.c
    return or_(and_(clusters.source == a, clusters.target == b), and_(clusters.source == b, clusters.target == a))


def _ranked_events(ctx: AnalysisContext, query: EventQuery, top: int, candidates: list[Any] | None = None) -> Any:
    """The query's first ``top`` events in the brief's order: asserted first, then |Goldstein| × reports
    (the ontology's weights as a ``CASE`` over the codes; an unclustered event is told once), then outlets,
    then the later date (a prefix date before the longer dates it contains; undated last), then ingest order;
    ``candidates`` (statements of event ids, :func:`_told`, :func:`_weighing`): only those events, read
    through them."""
    weights = {code.code: abs(code.goldstein) for code in ctx.ontology}
    weight = case(weights, value=query.column("code"), else_=0.0)
    clusters = schema.clusters.c
    reports, outlets = func.coalesce(clusters.reports, 1), func.coalesce(clusters.outlets, 1)
    date = query.column("date")
    order = [query.column("modality") != "asserted", (weight * reports).desc(), outlets.desc(), date.is_(None),
             date.concat("~").desc(), schema.documents.c.seq, schema.events.c.seq]
    if candidates is None:
        ranked = query.select_events()
    else:
        listed = candidates[0] if len(candidates) == 1 else union_all(*candidates)
        columns = [query.column(c.name).label(c.name) for c in schema.events.c]
        ranked = select(*columns).select_from(joined()).where(schema.events.c.id.in_(listed),
                                                              *exact_conditions(query))
    return ranked.add_columns((weight * reports).label("score")).order_by(*order).limit(top)


def _score(ctx: AnalysisContext, event: Event, row: EventRow) -> float:
    info = ctx.code(event.code)
    return abs(info.goldstein) * (row.counts.reports if row.counts else 1) if info is not None else 0.0


def speaker_rank(row: QuoteRow) -> int:
    """3: a role that speaks for a state or government (:data:`LEADING_ROLES`, as whole words: a "Special
    Presidential Envoy" is not a president); 2: another stated role
    (envoy, spokesperson); 1: a speaker resolved to an actor; 0: anyone else."""
    return _rank(row.speaker_role, row.speaker_actor)


def _rank(speaker_role: str | None, speaker_actor: str | None) -> int:
    role = (speaker_role or "").casefold()
    if role and any(re.search(rf"\b{re.escape(word)}\b", role) for word in LEADING_ROLES):
        return 3
    if role:
        return 2
    return 1 if speaker_actor else 0



def top_quotes(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None,
               top: int = TOP) -> list[RankedQuote]:
    """The ``top`` quotes of one side mentioning the other in the span, by speaker rank and repetition;
    a quotation repeated in several documents is listed once (its first publication). Every quote is
    weighed on a light row read from indexes (:func:`_keyed_quotes`): the same words are the same stored
    key (``quotes.words_key``), so no quotation's text is read but the ``top`` chosen, read as rows with their
    evidence. Which quotes belong to the dyad still needs every quote of either side, so this is the one part
    of the summary that grows with the dyad."""
    heads = _keyed_quotes(ctx, a, b)
    if since or until:
        heads = [head for head in heads if overlaps(head.published, since, until)]
    repeated: dict[int | None, list[Any]] = {}  # the words key -> [first quote, how many]
    for head in heads:
        if head.words_key in repeated:
            repeated[head.words_key][1] += 1
        else:
            repeated[head.words_key] = [head, 1]
    ranked = ((_rank(first.speaker_role, first.speaker_actor), n, first) for first, n in repeated.values())
    chosen = heapq.nsmallest(top, ranked, key=lambda r: (-r[0], -r[1], r[2].published or "\x7f"))
    rows = quote_rows(ctx, schema.quotes.c.id.in_([head.id for _, _, head in chosen]), order=[schema.quotes.c.id],
                      limit=None)
    by_id = {row.id: row for row in rows}
    return [RankedQuote(by_id[head.id], rank, n) for rank, n, head in chosen]


def _keyed_quotes(ctx: AnalysisContext, a: str, b: str) -> list[Any]:
    """Every quote :func:`~dyadlens.analysis.dyad.dyad_quotes` lists, in its order (then by id: two quotes of one
    sentence, one by each side, are otherwise in the order the plan met them), as a light row: id, words key,
    speaker, role and publication date. Each side's quotes come from ``ix_quotes_speaker_words`` alone
    (sentence, key, role), their documents' dates from ``ix_documents_id_head``."""
    q, d = schema.quotes, schema.documents
    return list(ctx.store.read(
        select(q.c.id, q.c.words_key, q.c.speaker_actor, q.c.speaker_role, d.c.published)
        .select_from(q.join(d, d.c.id == q.c.doc_id))
        .where(d.c.duplicate_of.is_(None), _said(a, b)).order_by(*_quote_order(), q.c.id)))


# --- what changed ---------------------------------------------------------------------------------------


def _month(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_before(month: str, n: int) -> str:
    """The month ``n`` months before ``month`` (``YYYY-MM``)."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 - n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _months(period: Period) -> int:
    return (int(period.until[:4]) - int(period.since[:4])) * 12 + int(period.until[5:7]) - int(period.since[5:7]) + 1


def change_period(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None) -> Period | None:
    """The whole months "what changed" looks at: from ``since``'s month to ``until``'s (an open end: the month
    of the dyad's last dated event), else the :data:`DEFAULT_PERIOD_MONTHS` up to that month; None when the
    dyad has no dated event and no period is given."""
    last = until or _last_date(ctx, a, b)
    if last is None:
        return None
    end = _month(PartialDate.parse(last).last_day)
    start = _month(PartialDate.parse(since).first_day) if since else _months_before(end, DEFAULT_PERIOD_MONTHS - 1)
    return Period(start, end) if start <= end else None


def _last_date(ctx: AnalysisContext, a: str, b: str) -> str | None:
    if serves(_acts(between=(a, b))):  # the last row of each direction in the months summary's order
        found = ctx.store.read(select(_edge_month(a, b, last=True), _edge_month(b, a, last=True)))
        return max((str(month) for month in found[0] if month), default=None)
    counted = tally(_acts(between=(a, b)), by_period=True)
    found = ctx.store.read(select(func.max(counted.column("placed"))).select_from(counted.source)
                           .where(*counted.conditions()))
    return str(found[0][0]) if found and found[0][0] else None


def previous_period(period: Period) -> Period:
    """The same number of months just before ``period``."""
    n = _months(period)
    return Period(_months_before(period.since, n), _months_before(period.until, n))


def changes(ctx: AnalysisContext, a: str, b: str, status: list[StatusEntry], period: Period | None) -> Changes | None:
    """What changed in ``period`` (:func:`change_period`; None: nothing to compare) against the months before."""
    if period is None:
        return None
    previous = previous_period(period)
    return Changes(
        period=period, previous=previous,
        status=[s for s in status if _in(s.since, period)],
        balance=_balance(ctx, a, b, period), balance_before=_balance(ctx, a, b, previous),
        new_partners=_new_partners(ctx, a, b, period),
        new_event_types=_new_roots(ctx, a, b, period),
    )


def _in(date: str | None, period: Period) -> bool:
    """Whether ``date`` overlaps the period; its year first, so the steps of other years cost a comparison."""
    return date is not None and period.since[:4] <= date[:4] <= period.until[:4] and \
        overlaps(date, period.since, period.until)


def _balance(ctx: AnalysisContext, a: str, b: str, period: Period) -> dict[int, int]:
    return weigh(ctx.ontology, _code_counts(ctx, _acts(period.since, period.until, between=(a, b)))).by_quad


def _candidates(ctx: AnalysisContext, counted: Tally, key: ColumnElement[Any], period: Period) -> list[tuple[str, str]]:
    """(value of ``key``, its first month in ``counted``, narrowed to the period) for the values whose first
    date there starts inside the period (``2024-03`` is in a period from 2024-03; a year alone, ``2024``, is
    not in one from 2024-07)."""
    first = func.min(counted.column("placed"))
    found = ctx.store.read(select(key, first).select_from(counted.source).where(*counted.conditions())
                           .group_by(key).having(first >= period.since).order_by(first))
    return [(str(row[0]), str(row[1])) for row in found if row[0] is not None]


def _told_before(ctx: AnalysisContext, period: Period, side: str, others: list[str],
                 code: str | None = None) -> set[str]:
    """Which of ``others`` have an event with ``side`` before ``period`` (of ``code``, when given): one indexed
    look-up (``LIMIT 1``) per other. (A statement built once with the other side as a parameter cannot be:
    the events' own conditions sort the sides.)"""
    def told(other: str) -> bool:
        counted = tally(_acts(until=_months_before(period.since, 1), between=(side, other), code=code))
        return bool(ctx.store.read(select(literal(1)).select_from(counted.source).where(*counted.conditions())
                                   .limit(1)))

    return {other for other in others if told(other)}


def _new_partners(ctx: AnalysisContext, a: str, b: str, period: Period) -> list[Named]:
    """The partners either side acted with in the period and never before it (the earliest first)."""
    if not serves(_acts(period.since, period.until, between=(a, b))):
        return _new_partners_in_period(ctx, a, b, period)
    before = _months_before(period.since, 1)
    partners: dict[str, str] = {}
    for side, other in ((a, b), (b, a)):
        for actor, firsts in _first_months(ctx, side):
            if actor in (side, other) or overlaps(min(firsts), None, before):
                continue
            started = [first for first in firsts if first >= period.since and _in(first, period)]
            if started:
                partners[actor] = min(*started, partners.get(actor, started[0]))
    return _named(ctx, partners)


def _named(ctx: AnalysisContext, partners: dict[str, str]) -> list[Named]:
    ctx.load_names(partners)
    return [Named(i, ctx.actor_name(i), first) for i, first in sorted(partners.items(), key=lambda p: (p[1], p[0]))]


def _first_months(ctx: AnalysisContext, side: str) -> list[tuple[str, list[str]]]:
    """Every partner of ``side`` in an asserted event (``summary_dyads``) with the first month (or year) at
    which each direction's asserted events are placed: per partner, the first row of each direction in the
    months summary's ``(mode, source, target, period)`` order, two index look-ups a partner, whatever the
    history. A partner is new in a period when neither direction has an event before it and one direction's
    first month starts in it (a year alone, ``2024``, does not start in a period from 2024-01, as
    :func:`_candidates` has it)."""
    dyads = schema.summary_dyads.c
    partner = case((dyads.a == side, dyads.b), else_=dyads.a)
    found = ctx.store.read(select(partner, _edge_month(side, partner), _edge_month(partner, side))
                           .where(dyads.mode == "events", or_(dyads.a == side, dyads.b == side), dyads.asserted > 0))
    return [(str(row[0]), [str(month) for month in row[1:] if month]) for row in found if row[1] or row[2]]


def _edge_month(source: Any, target: Any, last: bool = False) -> Any:
    """The first (``last``: the last) month or year at which asserted events from ``source`` to ``target`` are
    placed, as a scalar subquery that reads one end of the pair's range of the months summary's primary key."""
    months = schema.summary_months.c
    return (select(months.period).where(months.mode == "events", months.source == source, months.target == target,
                                        months.modality.in_(DEFAULT_MODALITIES), months.n > 0, months.period != "")
            .order_by(months.period.desc() if last else months.period).limit(1).scalar_subquery())


def _new_partners_in_period(ctx: AnalysisContext, a: str, b: str, period: Period) -> list[Named]:
    """:func:`_new_partners` where the summaries cannot serve: the period's partners first, then, for them
    all, which have an earlier event with that side (so the whole history is never grouped)."""
    partners: dict[str, str] = {}
    for side, other in ((a, b), (b, a)):
        found = [(actor, first) for actor, first in _partners_in(ctx, side, period) if actor not in (side, other)]
        told = _told_before(ctx, period, side, sorted({actor for actor, _ in found}))
        for actor, first in found:
            if actor not in told:
                partners[actor] = min(first, partners.get(actor, first))
    return _named(ctx, partners)


def _partners_in(ctx: AnalysisContext, side: str, period: Period) -> list[tuple[str, str]]:
    """The actors ``side`` acted on and was acted on by in the period, with their first month: one query as
    source and one as target, so each reads one index range."""
    found: list[tuple[str, str]] = []
    for as_source in (True, False):
        query = _acts(period.since, period.until, source=side) if as_source else \
            _acts(period.since, period.until, target=side)
        counted = tally(query, by_period=True)
        found += _candidates(ctx, counted, counted.column("target" if as_source else "source"), period)
    return found


def _new_roots(ctx: AnalysisContext, a: str, b: str, period: Period) -> list[Named]:
    """The CAMEO roots of the dyad's events in the period that no earlier event of the dyad has."""
    counted = tally(_acts(period.since, period.until, between=(a, b)), by_period=True)
    found = _candidates(ctx, counted, counted.column("root"), period)
    return [Named(root, ctx.code_name(root), first) for root, first in found
            if not _told_before(ctx, period, a, [b], code=root)]
