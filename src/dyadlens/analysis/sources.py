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
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, EventRow, sort_rows
from dyadlens.errors import DyadlensError
from dyadlens.model import Event
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery

#: Modalities that contradict an assertion of the same event at the same time.
DENYING = ("negated", "alleged")


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
    documents: list[str]
    outlets: list[str]
    disputed: bool
    disagreement: str | None  # e.g. "asserted by The Daily Ledger; negated by Frontier Review"
    reports: list[EventRow]
    disagreements: list[Disagreement]


@dataclass(frozen=True, slots=True)
class SourcesView:
    a: str | None
    b: str | None
    code: str | None
    claims: list[Claim]


def sources_side_by_side(
    ctx: AnalysisContext,
    a: str | None = None,
    b: str | None = None,
    code: str | None = None,
) -> SourcesView:
    """Claims about the dyad ``a``–``b`` and/or the events coded ``code`` (a prefix), disputed ones first."""
    if (a is None) != (b is None):
        raise DyadlensError("give both actors of the dyad, or none and an event code")
    if a is None and code is None:
        raise DyadlensError("give a dyad or an event code")
    between = (a, b) if a is not None and b is not None else None
    events: list[Event] = list(ctx.store.events(EventQuery(between=between, code=code)))
    clusters = {event.id: event.cluster for event in events if event.cluster}
    grouped: dict[tuple[str | None, str | None, str], list[EventRow]] = defaultdict(list)
    for row in ctx.event_rows(events):
        grouped[(row.source, row.target, row.code[:3])].append(row)
    claims = [_claim(ctx, key, rows, clusters) for key, rows in grouped.items()]
    claims.sort(key=lambda c: (not c.disputed, -len(c.documents), c.reports[0].sort_date or "9999", c.base_code))
    return SourcesView(a=a, b=b, code=code, claims=claims)


def _claim(
    ctx: AnalysisContext, key: tuple[str | None, str | None, str], rows: list[EventRow], clusters: dict[str, str]
) -> Claim:
    source, target, base = key
    rows = sort_rows(rows)
    disagreements = find_disagreements(rows, clusters)
    return Claim(
        source=source,
        source_name=ctx.actor_name(source),
        target=target,
        target_name=ctx.actor_name(target),
        base_code=base,
        code_name=ctx.code_name(base),
        modalities=sorted({r.modality for r in rows}),
        documents=sorted({r.doc_id for r in rows}),
        outlets=sorted({_outlet(r) for r in rows}),
        disputed=bool(disagreements),
        disagreement=_describe(disagreements) if disagreements else None,
        reports=rows,
        disagreements=disagreements,
    )


def find_disagreements(rows: list[EventRow], clusters: dict[str, str]) -> list[Disagreement]:
    """Every (asserting, denying) pair of one claim's reports that speak of the same event at the same time."""
    asserted = [r for r in rows if r.modality == "asserted"]
    found = []
    for denied in (r for r in rows if r.modality in DENYING):
        for row in asserted:
            same_cluster = row.id in clusters and clusters[row.id] == clusters.get(denied.id)
            if not same_cluster and _told_apart(row, denied, clusters):
                continue
            if _same_time(row, denied):
                found.append(Disagreement(asserted=row, denied=denied, same_cluster=same_cluster))
    return found


def _told_apart(a: EventRow, b: EventRow, clusters: dict[str, str]) -> bool:
    """Whether the identity step put two reports with overlapping dates of their own in different clusters."""
    if not (a.date and b.date and a.id in clusters and b.id in clusters) or clusters[a.id] == clusters[b.id]:
        return False
    first, second = PartialDate.parse(a.date), PartialDate.parse(b.date)
    return first.overlaps(second, second)


def _same_time(asserted: EventRow, denied: EventRow) -> bool:
    """Whether the denial speaks of a time the assertion dates its event in."""
    claimed = _interval(asserted)
    denial = _interval(denied)
    if claimed is None or denial is None:
        return False
    if denied.modality == "negated" and _about_the_present(denied):
        denial = (datetime.date.min, denial[1])
    return claimed[0] <= denial[1] and denial[0] <= claimed[1]


def _interval(row: EventRow) -> tuple[datetime.date, datetime.date] | None:
    """The days a report's date covers: its own date, else its document's (None when it has neither)."""
    text = row.date or row.published
    if not text:
        return None
    date = PartialDate.parse(text)
    return date.first_day, date.last_day


def _about_the_present(row: EventRow) -> bool:
    """A report dated by its document, or within its document's month: it speaks as of its writing."""
    if row.date is None or not row.published:
        return True
    month = PartialDate.parse(row.published[:7])
    return PartialDate.parse(row.date).overlaps(month, month)


def _outlet(row: EventRow) -> str:
    """The name a report goes by everywhere: its outlet, else its document id."""
    return row.outlet or row.doc_id


def _describe(disagreements: list[Disagreement]) -> str:
    """Which outlets assert and which deny, over the reports that disagree."""
    by_modality: dict[str, list[str]] = defaultdict(list)
    for row in sort_rows({r.id: r for d in disagreements for r in (d.asserted, d.denied)}.values()):
        name = _outlet(row)
        if name not in by_modality[row.modality]:
            by_modality[row.modality].append(name)
    return "; ".join(f"{modality} by {', '.join(names)}" for modality, names in sorted(by_modality.items()))
