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
import re
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, String, bindparam, case, func, literal, select

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, EventRow, QuoteRow, weigh
from dyadlens.analysis.dyad import DyadBrief, dyad_quote_heads
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.analysis.status import StatusEntry, status_entries
from dyadlens.model import Event
from dyadlens.partial_dates import PartialDate, check_date, overlaps
from dyadlens.store import EventQuery, schema
from dyadlens.store.codec import record_from_row
from dyadlens.store.summaries import Tally, tally

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
    ``status``: the dyad's steps when the caller has them already (:func:`~dyadlens.analysis.status.dyad_status`
    gives the same as the two directions read here), so the web brief reads them once."""
    since, until = check_date(since, "since"), check_date(until, "until")
    if status is None:
        status = status_entries(ctx, a, b) + status_entries(ctx, b, a)
    ctx.load_names((a, b))
    return BriefSummary(
        a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), since=since, until=until,
        relationship=relationship(ctx, a, b, since, until),
        state_track=[s for s in status if s.current],
        events=top_events(ctx, a, b, since, until),
        quotes=top_quotes(ctx, a, b, since, until),
        changes=changes(ctx, a, b, status, since, until),
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
    ranked in SQL (:func:`_ranked_events`): only the ``top`` chosen become event rows."""
    query = EventQuery(between=(a, b), since=since, until=until, document_dates=True, count="events",
                       standing=False)
    chosen = [record_from_row(Event, row._mapping) for row in ctx.store.read(_ranked_events(ctx, query, top))]
    rows = ctx.counted_rows(chosen, "events")
    return [RankedEvent(row, _score(ctx, event, row)) for row, event in zip(rows, chosen, strict=True)]


def _ranked_events(ctx: AnalysisContext, query: EventQuery, top: int) -> Any:
    """The query's first ``top`` events in the brief's order: asserted first, then |Goldstein| × reports
    (the ontology's weights as a ``CASE`` over the codes; an unclustered event is told once), then outlets,
    then the later date (a prefix date before the longer dates it contains; undated last), then ingest order."""
    weights = {code.code: abs(code.goldstein) for code in ctx.ontology}
    weight = case(weights, value=query.column("code"), else_=0.0)
    clusters = schema.clusters.c
    reports, outlets = func.coalesce(clusters.reports, 1), func.coalesce(clusters.outlets, 1)
    date = query.column("date")
    order = [query.column("modality") != "asserted", (weight * reports).desc(), outlets.desc(), date.is_(None),
             date.concat("~").desc(), schema.documents.c.seq, schema.events.c.seq]
    return query.select_events().order_by(*order).limit(top)


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


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def top_quotes(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None,
               top: int = TOP) -> list[RankedQuote]:
    """The ``top`` quotes of one side mentioning the other in the span, by speaker rank and repetition;
    a quotation repeated in several documents is listed once (its first publication). Every quote is
    weighed on a light row (:func:`dyad_quote_heads`); only the ``top`` chosen are read as rows with
    their evidence."""
    heads = [head for head in dyad_quote_heads(ctx, a, b) if overlaps(head.published, since, until)]
    repeated: dict[str, list[Any]] = {}
    for head in heads:
        repeated.setdefault(_words(head.text or ""), []).append(head)
    ranked = [(_rank(same[0].speaker_role, same[0].speaker_actor), len(same), same[0]) for same in repeated.values()]
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2].published or "\x7f"))
    chosen = ranked[:top]
    rows = quote_rows(ctx, schema.quotes.c.id.in_([head.id for _, _, head in chosen]), order=[schema.quotes.c.id],
                      limit=None)
    by_id = {row.id: row for row in rows}
    return [RankedQuote(by_id[head.id], rank, n) for rank, n, head in chosen]


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
    counted = tally(_acts(between=(a, b)), by_period=True)
    found = ctx.store.read(select(func.max(counted.column("placed"))).select_from(counted.source)
                           .where(*counted.conditions()))
    return str(found[0][0]) if found and found[0][0] else None


def previous_period(period: Period) -> Period:
    """The same number of months just before ``period``."""
    n = _months(period)
    return Period(_months_before(period.since, n), _months_before(period.until, n))


def changes(ctx: AnalysisContext, a: str, b: str, status: list[StatusEntry], since: str | None,
            until: str | None) -> Changes | None:
    period = change_period(ctx, a, b, since, until)
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
    return date is not None and overlaps(date, period.since, period.until)


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
    """Which of ``others`` have an event with ``side`` before ``period`` (of ``code``, when given): one
    statement, built once with the other side as a parameter and run once per other, so each run is one
    indexed look-up (``LIMIT 1``) and the cost is the database's, not the statement's construction."""
    other = cast(str, bindparam("other", type_=String))
    counted = tally(_acts(until=_months_before(period.since, 1), between=(side, other), code=code))
    statement = select(literal(1)).select_from(counted.source).where(*counted.conditions()).limit(1)
    with ctx.store.reader() as conn:
        return {name for name in others if conn.execute(statement, {"other": name}).first() is not None}


def _new_partners(ctx: AnalysisContext, a: str, b: str, period: Period) -> list[Named]:
    """The partners either side acted with in the period and never before it: the period's partners first,
    then, for them all, which have an earlier event with that side (so the whole history is never grouped)."""
    partners: dict[str, str] = {}
    for side, other in ((a, b), (b, a)):
        found = [(actor, first) for actor, first in _partners_in(ctx, side, period) if actor not in (side, other)]
        told = _told_before(ctx, period, side, sorted({actor for actor, _ in found}))
        for actor, first in found:
            if actor not in told:
                partners[actor] = min(first, partners.get(actor, first))
    ctx.load_names(partners)
    return [Named(i, ctx.actor_name(i), first) for i, first in sorted(partners.items(), key=lambda p: p[1])]


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
