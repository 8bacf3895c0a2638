"""Sources side by side: who reports a dyad's events (or one event code), and where they disagree.

Reports are grouped into *claims*: the same source, target and CAMEO base code
(the first three digits). Within a claim every report is listed with its
document, outlet, modality and wording. All modalities are included here: the
disagreement is the point.

Two reports *disagree* only when they make incompatible claims about the same
time: one asserts the event, the other negates it or calls it an allegation,
they are about the same event, and at the same time:

- the same event: the same claim, unless the store's event-identity step put
  two reports whose own dates overlap in different clusters
  (``events.cluster``): it had their dates and still told them apart. An
  undated report is left out of clusters it does belong to too often (the
  identity step joins it only on very similar wording) to be kept apart by them;
- the same time: overlapping dates, each at its precision
  (:class:`~dyadlens.partial_dates.PartialDate`; an undated report takes its
  document's date). A negation written about the present ("has not removed
  them", undated or dated within its document's month) denies the event up to
  that date, so it also contradicts an assertion dated before it; an assertion
  dated after it is a later change, not a dispute, even within one cluster.

A "possible" or "planned" report never disputes an assertion: it neither
denies the event nor speaks of the same moment as the act.

At scale (a dyad of 360,000 reports) the view reads one small row per report
(no text), finds the disagreements of a claim over arrays of day numbers
(:func:`_disputes`), and reads the rows it shows (the first reports and
disagreements of each claim on the page) with their evidence in one batch. A
dyad's page of claims reads its claims a few at a time, the most reported
first, and stops once no claim left can come before the page's last
(:func:`_dyad_claims`): the same claims, totals and order as weighing every
claim, in the time and memory of the claims that decide the page. Each claim
is one statement over the ranges of the (code, source, target) index that
hold it (:func:`_claim_reports`); a condition on the dyad's sides beside it
would lead the planner to read every report of the dyad instead (155,208 at
10M events, for the 63,137 of the 20 claims a page needs).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, func, select

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_window
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery, schema
from dyadlens.store.queries import ShownEvent, joined, not_rejected
from dyadlens.store.store import shown_event, with_evidence
from dyadlens.store.summaries import tally

E, D = schema.events, schema.documents

#: Modalities that contradict an assertion of the same event at the same time.
DENYING = ("negated", "alleged")
#: Cells of the (denials x assertions) comparison computed at once: bounds the memory of one claim.
BLOCK_CELLS = 2_000_000
#: Ids per ``IN (...)`` list when the shown rows are read.
CHUNK = 500
#: What :class:`Told` reads of a report, in its order.
TOLD_COLUMNS = (E.c.id, E.c.source, E.c.target, E.c.code, E.c.modality, E.c.date, D.c.published, E.c.cluster,
                E.c.doc_id, E.c.start, D.c.outlet)
#: Claims of a dyad read per statement, after the first ones a page needs, until the page is settled
#: (:func:`_dyad_claims`).
CLAIMS_READ = 2


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One report asserting an event and one denying it (or calling it alleged) about the same time."""

    asserted: EventRow
    denied: EventRow
    same_cluster: bool  # matched as one event by the identity step's cluster (else by the claim)


@dataclass(frozen=True, slots=True)
class Claim:
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    base_code: str
    code_name: str
    modalities: list[str]
    documents: list[str]  # every document (the first ``shown`` when the view is bounded)
    outlets: list[str]
    disputed: bool
    disagreement: str | None  # e.g. "asserted by The Daily Ledger; negated by Frontier Review"
    reports: list[EventRow]  # every report (the first ``shown`` when the view is bounded)
    disagreements: list[Disagreement]  # every one (the first ``shown`` when the view is bounded)
    reports_total: int = 0
    documents_total: int = 0
    disagreements_total: int = 0


@dataclass(frozen=True, slots=True)
class SourcesView:
    a: str | None
    b: str | None
    code: str | None
    claims: list[Claim]
    window: Window | None = None  # which claims, of how many


@dataclass(frozen=True, slots=True)
class SourcesLink:
    """Where a page's sources side by side are, for a page that does not carry them (the dyad page reads its
    claims only when its folded section is opened): the page of claims and its JSON twin."""

    url: str
    api: str


class Told(NamedTuple):
    """One report as the view weighs it, before any row is shown: no text."""

    id: str
    source: str | None
    target: str | None
    code: str
    modality: str
    date: str | None
    published: str | None
    cluster: str | None
    doc_id: str
    start: int
    outlet: str | None


def _sort_key(told: Told) -> tuple[bool, str, str, int, str]:
    """The order of :func:`~dyadlens.analysis.common.sort_rows`."""
    placed = told.date or told.published
    return (placed is None, placed or "", told.doc_id, told.start, told.id)


def _name(told: Told) -> str:
    """The name a report goes by everywhere: its outlet, else its document id."""
    return str(told.outlet or told.doc_id)


@dataclass(frozen=True, slots=True)
class _Disputes:
    """The disagreements of one claim: how many, the first ones, and every report taking part in one."""

    total: int
    pairs: list[tuple[int, int]]  # (asserting, denying) indexes of the claim's reports, in listing order
    taking_part: list[int]  # indexes of the claim's reports, in order


@dataclass(frozen=True, slots=True)
class _Weighed:
    """A claim's reports weighed, before its rows are read: what the view shows of it, and its totals."""

    key: tuple[str | None, str | None, str]
    first: Told  # its first report, in the view's order
    listed: list[Told]  # its first ``shown`` reports (all of them when unbounded)
    pairs: list[tuple[Told, Told]]  # its first ``shown`` (asserting, denying) disagreements
    reports_total: int
    documents: list[str]  # every document, sorted
    modalities: list[str]
    outlets: list[str]
    disputes_total: int
    disagreement: str | None

    def order(self) -> tuple[bool, int, str, str, tuple[bool, str, str, int, str]]:
        """Disputed first, then the most documents, the earliest report, the code; a tie goes to the claim
        whose first report comes first (the order the claims were met in when every report was sorted)."""
        first = self.first
        return (not self.disputes_total, -len(self.documents), first.date or first.published or "9999", self.key[2],
                _sort_key(first))


def sources_side_by_side(
    ctx: AnalysisContext,
    a: str | None = None,
    b: str | None = None,
    code: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    shown: int | None = None,
) -> SourcesView:
    """Claims about the dyad ``a``–``b`` and/or the events coded ``code`` (a prefix), disputed ones first:
    ``limit`` claims from ``offset`` (None: all), each with its first ``shown`` reports, documents and
    disagreements (None: all of them); the totals beside them."""
    if (a is None) != (b is None):
        raise DyadlensError("give both actors of the dyad, or none and an event code")
    if a is None and code is None:
        raise DyadlensError("give a dyad or an event code")
    check_window(limit, offset)
    between = (a, b) if a is not None and b is not None else None
    if between is not None and code is None:
        weighed, total = _dyad_claims(ctx, between, None if limit is None else offset + limit, shown)
    else:
        weighed = _weigh_all(_told(ctx, EventQuery(between=between, code=code)), shown)
        total = len(weighed)
    weighed.sort(key=_Weighed.order)
    page = weighed[offset:] if limit is None else weighed[offset : offset + limit]
    ctx.load_names(side for claim in page for side in claim.key[:2])
    rows = _rows(ctx, (t.id for claim in page for t in _shown_told(claim)))
    claims = [_claim(ctx, claim, rows, shown) for claim in page]
    return SourcesView(a=a, b=b, code=code, claims=claims, window=Window(offset, limit, total))


def _weigh_all(reports: list[Told], shown: int | None) -> list[_Weighed]:
    """Every claim of ``reports``, weighed."""
    grouped: dict[tuple[str | None, str | None, str], list[Told]] = defaultdict(list)
    for told in reports:
        grouped[(told.source, told.target, told.code[:3])].append(told)
    return [_weigh(key, claim, shown) for key, claim in grouped.items()]


def _dyad_claims(ctx: AnalysisContext, between: tuple[str, str], needed: int | None,
                 shown: int | None) -> tuple[list[_Weighed], int]:
    """The claims of a dyad that decide its first ``needed`` claims (None: all), weighed, and how many claims
    it has. Each claim is read by itself (:func:`_claim_reports`) and only its weighing is kept.

    No claim can list more documents than it has reports, and the summaries count each claim's reports
    (:func:`_claim_bounds`): the claims are read a few at a time, the most reports first, until
    ``needed`` disputed claims are found and every claim not read has fewer reports than the
    ``needed``-th of them has documents, so none of them can come before it. A dyad whose claims are
    rarely disputed is still read whole, a few claims at a time: its memory stays bounded by a claim.
    """
    bounds = _claim_bounds(ctx, between)
    keys = sorted(bounds, key=lambda key: (-bounds[key][0], key[2], key[0] or "", key[1] or ""))
    needed = len(keys) if needed is None else needed
    weighed: list[_Weighed] = []
    read = 0
    with ctx.store.reader() as conn:
        while read < len(keys):
            batch = keys[read : read + max(needed - read, CLAIMS_READ)]  # the first ``needed`` at once
            told = ((key, _claim_reports(conn, key, bounds[key][1])) for key in batch)
            weighed += [_weigh(key, reports, shown) for key, reports in told if reports]
            read += len(batch)
            if read < len(keys) and _settled(weighed, needed, bounds[keys[read]][0]):
                break
    return weighed, len(keys)


def _settled(weighed: list[_Weighed], needed: int, most_reports_left: int) -> bool:
    """Whether the first ``needed`` claims are known: as many disputed claims found, each with more
    documents than any claim left to read has reports."""
    disputed = sorted((claim for claim in weighed if claim.disputes_total), key=_Weighed.order)
    return len(disputed) >= needed and (needed == 0 or len(disputed[needed - 1].documents) > most_reports_left)


def _claim_bounds(ctx: AnalysisContext, between: tuple[str, str]) -> dict[tuple[str | None, str | None, str],
                                                                          tuple[int, set[str]]]:
    """Per claim of the dyad, its reports (acts counted by the summaries, standing facts counted here)
    and the codes they carry."""
    bounds: dict[tuple[str | None, str | None, str], tuple[int, set[str]]] = {}
    for query in (EventQuery(between=between, standing=False), EventQuery(between=between, standing=True)):
        counted = tally(query)
        keys = [counted.column(name) for name in ("source", "target", "code")]  # one object each: PostgreSQL
        found = (select(*keys, counted.count()).select_from(counted.source).where(*counted.conditions())
                 .group_by(*keys))
        for source, target, full_code, n in ctx.store.read(found):
            key = (source, target, str(full_code)[:3])
            reports, codes = bounds.get(key, (0, set()))
            bounds[key] = (reports + int(n), codes | {str(full_code)})
    return bounds


def _told(ctx: AnalysisContext, query: EventQuery) -> list[Told]:
    """The reports matching ``query``, in the view's order."""
    found = select(*TOLD_COLUMNS).select_from(joined()).where(*query.conditions())
    return sorted(map(Told._make, ctx.store.read(found)), key=_sort_key)


def _claim_reports(conn: Connection, key: tuple[str | None, str | None, str], codes: set[str]) -> list[Told]:
    """The reports of one claim of a dyad (its sides, and the codes it holds), in the view's order: what
    ``EventQuery(between=...)`` matches of it (not rejected, not of a duplicate document), read as ranges of
    the (code, source, target) index, not through every report of the dyad, and sorted by the database."""
    source, target, _ = key
    found = (select(*TOLD_COLUMNS).select_from(E.join(D, D.c.id == E.c.doc_id))
             .where(E.c.code.in_(sorted(codes)), E.c.source == source, E.c.target == target, not_rejected(),
                    D.c.duplicate_of.is_(None))
             .order_by(*_sort_order()))
    return list(map(Told._make, conn.execute(found).all()))


def _sort_order() -> list[ColumnElement[Any]]:
    """:func:`_sort_key` in SQL, for the database to sort a busy claim's reports (63,000 at 10M events) faster
    than a key function called per report. Both backends compare text by code point, as Python does (a
    PostgreSQL store must have a ``C`` collation: :mod:`dyadlens.store.postgres`); an empty date counts as none."""
    placed = func.coalesce(func.nullif(E.c.date, ""), D.c.published)
    return [placed.is_(None), placed, E.c.doc_id, E.c.start, E.c.id]


def _weigh(key: tuple[str | None, str | None, str], reports: list[Told], shown: int | None) -> _Weighed:
    """One claim (its reports in the view's order) weighed: its disagreements found over day numbers."""
    disputes = _disputes(_Days.of(reports), np.arange(len(reports), dtype=np.int64), shown)
    return _Weighed(
        key=key, first=reports[0], listed=reports if shown is None else reports[:shown],
        pairs=[(reports[i], reports[j]) for i, j in disputes.pairs], reports_total=len(reports),
        documents=sorted({t.doc_id for t in reports}), modalities=sorted({t.modality for t in reports}),
        outlets=sorted({str(t.outlet or t.doc_id) for t in reports}), disputes_total=disputes.total,
        disagreement=_describe(reports, disputes.taking_part) if disputes.total else None,
    )


def _shown_told(claim: _Weighed) -> list[Told]:
    """The reports of a claim whose rows the view shows: its first reports and both sides of its first
    disagreements."""
    return [*claim.listed, *(t for pair in claim.pairs for t in pair)]


def _rows(ctx: AnalysisContext, ids: Iterable[str]) -> dict[str, EventRow]:
    """The rows of the reports named, with their evidence, read in one statement per few hundred."""
    wanted = sorted(set(ids))
    shown: list[ShownEvent] = []
    for first in range(0, len(wanted), CHUNK):
        found = with_evidence(select(*E.c).select_from(joined())).where(E.c.id.in_(wanted[first : first + CHUNK]))
        shown.extend(shown_event(row._mapping) for row in ctx.store.read(found))
    ctx.load_names(a for s in shown for a in (s.event.source, s.event.target, s.event.claimant))
    return {s.event.id: ctx.shown_row(s) for s in shown}


def _claim(ctx: AnalysisContext, claim: _Weighed, rows: dict[str, EventRow], shown: int | None) -> Claim:
    source, target, base = claim.key
    return Claim(
        source=source,
        source_name=ctx.actor_name(source),
        target=target,
        target_name=ctx.actor_name(target),
        base_code=base,
        code_name=ctx.code_name(base),
        modalities=claim.modalities,
        documents=claim.documents if shown is None else claim.documents[:shown],
        outlets=claim.outlets,
        disputed=bool(claim.disputes_total),
        disagreement=claim.disagreement,
        reports=[rows[t.id] for t in claim.listed],
        disagreements=[_disagreement(asserted, denied, rows) for asserted, denied in claim.pairs],
        reports_total=claim.reports_total,
        documents_total=len(claim.documents),
        disagreements_total=claim.disputes_total,
    )


def _disagreement(asserted: Told, denied: Told, rows: dict[str, EventRow]) -> Disagreement:
    same_cluster = asserted.cluster is not None and asserted.cluster == denied.cluster
    return Disagreement(asserted=rows[asserted.id], denied=rows[denied.id], same_cluster=same_cluster)


# --- the disagreements of one claim, over day numbers ----------------------------------------

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class _Days:
    """Every report of the view as arrays, by its index in the view's order."""

    first: IntArray  # the first and last day (ordinal) its date covers; 0 when it has no date at all
    last: IntArray
    reach: IntArray  # ``first``, or 1 for a negation about the present (it denies everything before it)
    dated: BoolArray  # has a date of its own
    cluster: IntArray  # a number per cluster; -1 unclustered
    asserting: BoolArray
    denying: BoolArray

    @classmethod
    def of(cls, reports: list[Told]) -> _Days:
        """The arrays of ``reports``: each distinct date is parsed once and each distinct modality compared once
        (a busy claim has thousands of reports, many of them on the same dates)."""
        placed, texts = _numbered([t.date or t.published for t in reports])
        spans = np.array([_day_span(text) if text else (0, 0) for text in texts], dtype=np.int64).reshape(-1, 2)
        first, last = spans[placed, 0], spans[placed, 1]
        clustered, clusters = _numbered([t.cluster for t in reports])
        numbers = np.array([-1 if c is None else n for n, c in enumerate(clusters)], dtype=np.int64)
        said, modalities = _numbered([t.modality for t in reports])
        negated = np.array([m == "negated" for m in modalities], dtype=np.bool_)[said]
        reach = first.copy()
        reach[[n for n in np.flatnonzero(negated).tolist() if _denies_up_to(reports[n])]] = 1
        return cls(
            first=first, last=last, reach=reach,
            dated=np.array([bool(t.date) for t in reports], dtype=np.bool_),
            cluster=numbers[clustered],
            asserting=np.array([m == "asserted" for m in modalities], dtype=np.bool_)[said],
            denying=np.array([m in DENYING for m in modalities], dtype=np.bool_)[said],
        )


def _numbered(values: list[str | None]) -> tuple[IntArray, list[str | None]]:
    """Each value's number among the distinct values (empty text read as None), and those values by number."""
    distinct: dict[str | None, int] = {}
    numbers = np.fromiter((distinct.setdefault(v or None, len(distinct)) for v in values), dtype=np.int64,
                          count=len(values))
    return numbers, list(distinct)


def _disputes(days: _Days, told: IntArray, keep: int | None) -> _Disputes:
    """The (asserting, denying) pairs of one claim's reports (indexes ``told``, in order) that speak of the
    same event at the same time, denials in order, then assertions in order: all of them counted, the
    first ``keep`` (None: all) listed; computed a block of denials at a time."""
    dated = told[days.first[told] > 0]  # a report with no date at all speaks of no time
    asserted, denied = dated[days.asserting[dated]], dated[days.denying[dated]]
    if not asserted.size or not denied.size:
        return _Disputes(0, [], [])
    step = max(1, BLOCK_CELLS // asserted.size)
    total, pairs = 0, list[tuple[int, int]]()
    asserting, denying = np.zeros(asserted.size, dtype=np.bool_), np.zeros(denied.size, dtype=np.bool_)
    for start in range(0, denied.size, step):
        block = denied[start : start + step]
        found = _disagree(days, asserted, block)
        total += int(found.sum())
        asserting |= found.any(axis=0)
        denying[start : start + step] = found.any(axis=1)
        if keep is None or len(pairs) < keep:
            rows, columns = np.nonzero(found)
            wanted = len(rows) if keep is None else keep - len(pairs)
            pairs.extend(zip(asserted[columns[:wanted]].tolist(), block[rows[:wanted]].tolist(), strict=True))
    return _Disputes(total, pairs, sorted(asserted[asserting].tolist() + denied[denying].tolist()))


def _disagree(days: _Days, asserted: IntArray, denied: IntArray) -> BoolArray:
    """(denials x assertions), each with a date: at the same time, and the same event: not told apart by the
    identity step (two clusters for two reports whose own dates overlap: it had both dates). Two reports of one
    cluster are never told apart, so one cluster needs no test of its own."""
    a_first, a_last, a_cluster = days.first[asserted], days.last[asserted], days.cluster[asserted]
    d_first, d_last, d_cluster = days.first[denied], days.last[denied], days.cluster[denied]
    a_kept, d_kept = days.dated[asserted] & (a_cluster >= 0), days.dated[denied] & (d_cluster >= 0)
    begins_in_time = a_first[None, :] <= d_last[:, None]
    same_time = begins_in_time & (days.reach[denied][:, None] <= a_last[None, :])
    told_apart = (a_kept[None, :] & d_kept[:, None] & (a_cluster[None, :] != d_cluster[:, None]) & begins_in_time
                  & (d_first[:, None] <= a_last[None, :]))
    result: BoolArray = same_time & ~told_apart
    return result


@functools.lru_cache(maxsize=65536)
def _day_span(text: str) -> tuple[int, int]:
    date = PartialDate.parse(text)
    return date.first_day.toordinal(), date.last_day.toordinal()


def _denies_up_to(told: Told) -> bool:
    """A negation about the present: dated by its document, or within its document's month; it denies
    the event up to that date."""
    if told.modality != "negated":
        return False
    if told.date is None or not told.published:
        return True
    month_first, month_last = _day_span(told.published[:7])
    first, last = _day_span(told.date)
    return first <= month_last and month_first <= last


def _describe(reports: list[Told], taking_part: list[int]) -> str:
    """Which outlets assert and which deny, over the reports that disagree (in order)."""
    by_modality: dict[str, list[str]] = defaultdict(list)
    for n in taking_part:
        name, modality = _name(reports[n]), reports[n].modality
        if name not in by_modality[modality]:
            by_modality[modality].append(name)
    return "; ".join(f"{modality} by {', '.join(names)}" for modality, names in sorted(by_modality.items()))
