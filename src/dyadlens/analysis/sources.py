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

At scale (a dyad of 94,000 reports) the view reads one small row per report
(no text), finds the disagreements of a claim over arrays of day numbers
(:func:`disagreeing_pairs`), and reads the rows it shows (the first reports
and disagreements of each claim on the page) with their evidence in one batch.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_window
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery, schema
from dyadlens.store.queries import ShownEvent, joined
from dyadlens.store.store import shown_event, with_evidence

E, D = schema.events, schema.documents

#: Modalities that contradict an assertion of the same event at the same time.
DENYING = ("negated", "alleged")
#: Cells of the (denials x assertions) comparison computed at once: bounds the memory of one claim.
BLOCK_CELLS = 2_000_000
#: Ids per ``IN (...)`` list when the shown rows are read.
CHUNK = 500


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
    pairs: list[tuple[int, int]]  # (asserting, denying) indexes of the view's reports, in listing order
    taking_part: list[int]  # indexes of the view's reports, in order


@dataclass(frozen=True, slots=True)
class _Weighed:
    """A claim's reports weighed, before its rows are read."""

    key: tuple[str | None, str | None, str]
    told: list[int]  # indexes of the view's reports, in order
    documents: list[str]
    disputes: _Disputes
    disagreement: str | None

    def order(self, reports: list[Told]) -> tuple[bool, int, str, str]:
        first = reports[self.told[0]]
        return (not self.disputes.total, -len(self.documents), first.date or first.published or "9999", self.key[2])


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
    reports = sorted(_told(ctx, EventQuery(between=between, code=code)), key=_sort_key)
    grouped: dict[tuple[str | None, str | None, str], list[int]] = defaultdict(list)
    for n, told in enumerate(reports):
        grouped[(told.source, told.target, told.code[:3])].append(n)
    days = _Days.of(reports)
    weighed = sorted((_weigh(reports, days, key, told, shown) for key, told in grouped.items()),
                     key=lambda claim: claim.order(reports))
    page = weighed[offset:] if limit is None else weighed[offset : offset + limit]
    ctx.load_names(side for claim in page for side in claim.key[:2])
    rows = _rows(ctx, (reports[n].id for claim in page for n in _shown_told(claim, shown)))
    claims = [_claim(ctx, reports, claim, rows, shown) for claim in page]
    return SourcesView(a=a, b=b, code=code, claims=claims, window=Window(offset, limit, len(weighed)))


def _told(ctx: AnalysisContext, query: EventQuery) -> list[Told]:
    found = (select(E.c.id, E.c.source, E.c.target, E.c.code, E.c.modality, E.c.date, D.c.published, E.c.cluster,
                    E.c.doc_id, E.c.start, D.c.outlet)
             .select_from(joined()).where(*query.conditions()))
    return [Told._make(row) for row in ctx.store.read(found)]


def _weigh(reports: list[Told], days: _Days, key: tuple[str | None, str | None, str], told: list[int],
           shown: int | None) -> _Weighed:
    disputes = _disputes(days, np.array(told, dtype=np.int64), shown)
    described = _describe(reports, disputes.taking_part) if disputes.total else None
    return _Weighed(key, told, sorted({reports[n].doc_id for n in told}), disputes, described)


def _shown_told(claim: _Weighed, shown: int | None) -> list[int]:
    """The reports of a claim whose rows the view shows: its first reports and both sides of its first
    disagreements."""
    listed = claim.told if shown is None else claim.told[:shown]
    return [*listed, *(n for pair in claim.disputes.pairs for n in pair)]


def _rows(ctx: AnalysisContext, ids: Iterable[str]) -> dict[str, EventRow]:
    """The rows of the reports named, with their evidence, read in one statement per few hundred."""
    wanted = sorted(set(ids))
    shown: list[ShownEvent] = []
    for first in range(0, len(wanted), CHUNK):
        found = with_evidence(select(*E.c).select_from(joined())).where(E.c.id.in_(wanted[first : first + CHUNK]))
        shown.extend(shown_event(row._mapping) for row in ctx.store.read(found))
    ctx.load_names(a for s in shown for a in (s.event.source, s.event.target, s.event.claimant))
    return {s.event.id: ctx.shown_row(s) for s in shown}


def _claim(ctx: AnalysisContext, reports: list[Told], claim: _Weighed, rows: dict[str, EventRow],
           shown: int | None) -> Claim:
    source, target, base = claim.key
    listed = claim.told if shown is None else claim.told[:shown]
    told = [reports[n] for n in claim.told]
    return Claim(
        source=source,
        source_name=ctx.actor_name(source),
        target=target,
        target_name=ctx.actor_name(target),
        base_code=base,
        code_name=ctx.code_name(base),
        modalities=sorted({t.modality for t in told}),
        documents=claim.documents if shown is None else claim.documents[:shown],
        outlets=sorted({_name(t) for t in told}),
        disputed=bool(claim.disputes.total),
        disagreement=claim.disagreement,
        reports=[rows[reports[n].id] for n in listed],
        disagreements=[_disagreement(reports[i], reports[j], rows) for i, j in claim.disputes.pairs],
        reports_total=len(claim.told),
        documents_total=len(claim.documents),
        disagreements_total=claim.disputes.total,
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
        clusters = {c: n for n, c in enumerate(sorted({t.cluster for t in reports if t.cluster}))}
        spans = [_interval(t) for t in reports]
        return cls(
            first=np.array([s[0] for s in spans], dtype=np.int64),
            last=np.array([s[1] for s in spans], dtype=np.int64),
            reach=np.array([1 if _denies_up_to(t) else s[0] for t, s in zip(reports, spans, strict=True)],
                           dtype=np.int64),
            dated=np.array([bool(t.date) for t in reports], dtype=np.bool_),
            cluster=np.array([clusters.get(t.cluster, -1) if t.cluster else -1 for t in reports], dtype=np.int64),
            asserting=np.array([t.modality == "asserted" for t in reports], dtype=np.bool_),
            denying=np.array([t.modality in DENYING for t in reports], dtype=np.bool_),
        )


def _disputes(days: _Days, told: IntArray, keep: int | None) -> _Disputes:
    """The (asserting, denying) pairs of one claim's reports (indexes ``told``, in order) that speak of the
    same event at the same time, denials in order, then assertions in order: all of them counted, the
    first ``keep`` (None: all) listed; computed a block of denials at a time."""
    asserted, denied = told[days.asserting[told]], told[days.denying[told]]
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
    """(denials x assertions): the same event (one cluster, or not told apart by the identity step,
    which had both reports' own overlapping dates) at the same time."""
    a_first, a_last, a_cluster = days.first[asserted][None, :], days.last[asserted][None, :], days.cluster[asserted]
    d_first, d_last, d_cluster = days.first[denied][:, None], days.last[denied][:, None], days.cluster[denied]
    a_cluster, d_cluster = a_cluster[None, :], d_cluster[:, None]
    both = (a_first > 0) & (d_first > 0)
    same_cluster = (a_cluster >= 0) & (a_cluster == d_cluster)
    overlapping = (a_first <= d_last) & (d_first <= a_last)
    told_apart = (days.dated[asserted][None, :] & days.dated[denied][:, None] & (a_cluster >= 0) & (d_cluster >= 0)
                  & (a_cluster != d_cluster) & overlapping)
    same_time = (a_first <= d_last) & (days.reach[denied][:, None] <= a_last)
    result: BoolArray = both & same_time & (same_cluster | ~told_apart)
    return result


def _interval(told: Told) -> tuple[int, int]:
    """The days a report's date covers (ordinals): its own date, else its document's; (0, 0) with neither."""
    text = told.date or told.published
    return _day_span(text) if text else (0, 0)


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
