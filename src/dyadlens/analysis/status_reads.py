"""What the status tracks read from the store: one small row per status-bearing report, in a few statements.

The state machine (:mod:`dyadlens.analysis.status`) needs, per report, its status, its dates, whether
it is an observation, and where it was told (document, outlet, offsets); never the document's text.
This module reads exactly that, for one pair or for every pair of an actor at once:

- the designation rows, with their document's head (publication date, outlet, title);
- the coded events that give a status (:data:`~dyadlens.analysis.status_kinds.EVENT_STATUSES`): the
  real events (cluster leads with their consolidated code, modality and date), every report of their
  clusters, and the standing facts;
- later, and only for the reports a view shows, their sentences, cut from the text in SQL.

The order of the rows is the order the former per-pair reads gave (documents in ingest order, then
records in text order; event statuses code by code), so the tracks built from them are the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from dyadlens.analysis.common import Evidence
from dyadlens.analysis.status_kinds import DESIGNATION_FIRST, EVENT_STATUSES, event_status, kind_of
from dyadlens.store import EventQuery, schema
from dyadlens.store.listed_in import listed_in
from dyadlens.store.queries import joined, not_rejected

E, D, C, G, S = schema.events, schema.documents, schema.clusters, schema.designations, schema.sentences

Pair = tuple[str, str]
#: Ids per ``IN (...)`` list: well under every backend's limit on bound parameters.
CHUNK = 500
_STATUS_CODES = tuple(EVENT_STATUSES)


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One stored designation or coded event backing a step: a report of a change, or an observation of a state."""

    designation_id: str | None  # None for a report read from an event (``event_id``)
    status: str
    date: str | None  # the date the text gives for the change (None for an undated statement)
    observed: str | None  # publication date of the reporting document: when an observation was made
    observation: bool  # a statement that the status holds, not a report of its change
    doc_id: str
    outlet: str | None
    title: str | None
    claimant: str | None  # None: the author; else who asserts it
    sentence: str  # the evidence sentence ("" until read: :func:`sentences`)
    start: int
    end: int
    event_id: str | None
    rule: str
    cluster: str | None = None  # the real event a report read from an event belongs to

    @property
    def source(self) -> str:
        """The name a report goes by: its outlet, else its document id."""
        return self.outlet or self.doc_id


@dataclass(frozen=True, slots=True)
class Sides:
    """Which pairs a read covers: one designator and/or designee, or every pair with ``actor`` on a side."""

    designator: str | None = None
    designee: str | None = None
    actor: str | None = None
    between: tuple[str, str] | None = None  # both pairs of two actors, either way round

    def over(self, first: Any, second: Any, missing: bool = False) -> list[ColumnElement[bool]]:
        """The conditions over a (designator-like, designee-like) pair of columns; with ``missing``, a NULL
        side meets any condition on it (a cluster's missing side is its lead's own)."""

        def equal(column: Any, value: str) -> ColumnElement[bool]:
            return or_(column == value, column.is_(None)) if missing else column == value

        found = [equal(first, self.designator)] if self.designator else []
        found += [equal(second, self.designee)] if self.designee else []
        if self.actor:
            found.append(or_(equal(first, self.actor), equal(second, self.actor)))
        if self.between:
            a, b = self.between
            found.append(or_(and_(equal(first, a), equal(second, b)), and_(equal(first, b), equal(second, a))))
        return found

    def pairs(self) -> list[Pair] | None:
        """The (designator, designee) pairs a read covers when they are fixed (one pair, or both ways between
        two actors), else None."""
        if self.between:
            a, b = self.between
            return [(a, b), (b, a)]
        if self.designator and self.designee and not self.actor:
            return [(self.designator, self.designee)]
        return None

    def over_events(self, query: EventQuery) -> list[ColumnElement[bool]]:
        """The conditions over the events' (consolidated) source and target, written so that no index
        on the sides serves them (``x || ''``): the index on the code drives the read (:func:`_coded`),
        which for a frequent actor selects a hundred times fewer rows than its sides do."""
        return self.over(query.column("source").concat(""), query.column("target").concat(""))


def _head() -> list[ColumnElement[Any]]:
    """What a report takes from its document: never its text."""
    return [D.c.published.label("observed"), D.c.outlet, D.c.title]


def reports_by_pair(store: Any, sides: Sides) -> dict[Pair, list[StatusReport]]:
    """Every status report of the pairs ``sides`` covers, by (designator, designee): the designation rows
    first, then the reports read from coded events (:func:`event_reports`)."""
    designations = designation_reports(store, sides)
    found: dict[Pair, list[StatusReport]] = defaultdict(list)
    for pair, report in designations:
        found[pair].append(report)
    for pair, report in event_reports(store, sides, designations):
        found[pair].append(report)
    return found


def designation_reports(store: Any, sides: Sides) -> list[tuple[Pair, StatusReport]]:
    """The designation rows of non-duplicate documents, in ingest and text order."""
    found = (
        select(G.c.id, G.c.designator, G.c.designee, G.c.status, G.c.date, G.c.standing, G.c.doc_id, G.c.claimant,
               G.c.start, G.c.end, G.c.event_id, G.c.rule, *_head())
        .select_from(G.join(D, D.c.id == G.c.doc_id))
        .where(D.c.duplicate_of.is_(None), *sides.over(G.c.designator, G.c.designee))
        .order_by(D.c.seq, G.c.seq)
    )
    return [((row.designator, row.designee), _designation_report(row)) for row in store.read(found)]


def _designation_report(row: Any) -> StatusReport:
    return StatusReport(
        designation_id=row.id, status=row.status, date=row.date, observed=row.observed,
        observation=bool(row.standing) or row.date is None, doc_id=row.doc_id, outlet=row.outlet, title=row.title,
        claimant=row.claimant, sentence="", start=row.start, end=row.end, event_id=row.event_id, rule=row.rule,
    )


# --- reports read from coded events: the sanctions track -----------------------------------


def event_reports(store: Any, sides: Sides,
                  designations: list[tuple[Pair, StatusReport]]) -> list[tuple[Pair, StatusReport]]:
    """The reports the pairs' coded events give (:data:`~dyadlens.analysis.status_kinds.EVENT_STATUSES`).

    A clustered act is one real event: every report of its cluster backs it, with the status and date
    the cluster consolidates. A standing fact ("remains under sanctions") is an observation. Rejected
    events never come back; an event the designation rows read first (:func:`_designation_first`) is
    left to its track.
    """
    acts = _status_rows(store, EventQuery(count="events"), sides)
    told = _cluster_reports(store, [act.cluster for act in acts if act.cluster])
    standing = _status_rows(store, EventQuery(standing=True), sides)
    read = [(act, told.get(act.cluster, [act]) if act.cluster else [act]) for act in acts]
    read += [(row, [row]) for row in standing]
    first = _designation_first(designations)
    return [
        ((lead.source, lead.target), _event_report(lead, report))
        for lead, reports in read
        if not first((lead.source, lead.target), lead.code, reports)
        for report in reports
    ]


def _status_rows(store: Any, query: EventQuery, sides: Sides) -> list[Any]:
    """The events matching ``query`` within ``sides`` whose code and modality give a status, code by code,
    each code's in ingest and text order; their own report columns beside the (consolidated) fields."""
    code, modality = query.column("code"), query.column("modality")
    gives = [and_(code == c, modality.in_(sorted(by_modality))) for c, by_modality in EVENT_STATUSES.items()]
    rank = case(*((code == c, n) for n, c in enumerate(_STATUS_CODES)), else_=len(_STATUS_CODES))
    found = (
        select(E.c.id, E.c.cluster, E.c.doc_id, E.c.claimant, E.c.start, E.c.end, E.c.standing,
               code.label("code"), modality.label("modality"), query.column("date").label("date"),
               query.column("source").label("source"), query.column("target").label("target"), *_head())
        .select_from(joined())
        .where(*query.conditions(), *sides.over_events(query), or_(*gives), _coded(query, sides))
        .order_by(rank, D.c.seq, E.c.seq)
    )
    return list(store.read(found))


def _coded(query: EventQuery, sides: Sides) -> ColumnElement[bool]:
    """What every match meets, written for an index on the code: its own code, or (counting events) it
    leads a cluster of one of the codes (the consolidated code is the cluster's); and the sides, over the
    own columns of the events and of the clusters (a missing side of a cluster is its lead's), which the
    (code, source, target) indexes answer without reading a row; for fixed pairs as seeks
    (:func:`_coded_pairs`)."""
    pairs = sides.pairs()
    if pairs is not None:
        return _coded_pairs(query, pairs)
    own = and_(E.c.code.in_(_STATUS_CODES), *sides.over(E.c.source.concat(""), E.c.target.concat("")))
    if not query.per_event:
        return own
    cluster_sides = sides.over(C.c.source.concat(""), C.c.target.concat(""), missing=True)
    leads = select(C.c.lead).where(C.c.code.in_(_STATUS_CODES), *cluster_sides)
    return or_(own, E.c.id.in_(leads))


def _coded_pairs(query: EventQuery, pairs: list[Pair]) -> ColumnElement[bool]:
    """The candidates of fixed pairs: the reports whose own code and sides match, and (counting events) the
    leads of the clusters whose code matches and whose sides match or are missing (a missing consolidated
    side is the lead's own): a few thousand rows of a large dyad, not every status-coded event of the store.
    Each (side or missing, side or missing) is its own term, so that the clusters' (code, source, target)
    index seeks them all."""
    own = or_(*(and_(E.c.code.in_(_STATUS_CODES), E.c.source == x, E.c.target == y) for x, y in pairs))
    if not query.per_event:
        return own
    sides = [and_(C.c.code.in_(_STATUS_CODES), source, target) for x, y in pairs
             for source in (C.c.source == x, C.c.source.is_(None))
             for target in (C.c.target == y, C.c.target.is_(None))]
    return or_(own, listed_in(E.c.id, select(C.c.lead).where(or_(*sides)), indexed=True))  # a few hundred leads


def _cluster_reports(store: Any, clusters: list[str]) -> dict[str, list[Any]]:
    """Every report of each cluster named, not rejected, in ingest and text order (what a report of the
    real event takes: its document, offsets, claimant, whether it is a standing fact)."""
    found: dict[str, list[Any]] = {}
    wanted = sorted(set(clusters))
    for first in range(0, len(wanted), CHUNK):
        statement = (
            select(E.c.id, E.c.cluster, E.c.doc_id, E.c.claimant, E.c.start, E.c.end, E.c.standing, *_head())
            .select_from(E.join(D, D.c.id == E.c.doc_id))
            .where(E.c.cluster.in_(wanted[first : first + CHUNK]), not_rejected())
            .order_by(D.c.seq, E.c.seq)
        )
        for row in store.read(statement):
            found.setdefault(row.cluster, []).append(row)
    return found


def _designation_first(designations: list[tuple[Pair, StatusReport]]) -> Any:
    """Whether an event belongs to the designation rows' track rather than to its event status: one of
    :data:`DESIGNATION_FIRST` with a designation row of its pair read from it (or from its cluster), or
    of a pair with a listing ("suspended the ban" eases the listing, not sanctions)."""
    linked: dict[Pair, set[str]] = defaultdict(set)
    listing: set[Pair] = set()
    for pair, report in designations:
        if report.event_id:
            linked[pair].add(report.event_id)
        if kind_of(report.status).track == "listing":
            listing.add(pair)

    def first(pair: Pair, code: str, reports: list[Any]) -> bool:
        explained = pair in listing or any(r.id in linked[pair] for r in reports)
        return code in DESIGNATION_FIRST and explained

    return first


def _event_report(lead: Any, report: Any) -> StatusReport:
    """``report`` as a status report, with the status and date of the real event ``lead`` stands for."""
    return StatusReport(
        designation_id=None, status=str(event_status(lead.code, lead.modality)), date=lead.date,
        observed=report.observed, observation=bool(report.standing) or lead.date is None, doc_id=report.doc_id,
        outlet=report.outlet, title=report.title, claimant=report.claimant, sentence="", start=report.start,
        end=report.end, event_id=report.id, rule=f"event:{lead.code}:{lead.modality}", cluster=report.cluster,
    )


def event_pairs(store: Any, sides: Sides) -> set[Pair]:
    """The (designator, designee) pairs whose coded events (every report) give a status, within ``sides``."""
    query = EventQuery()
    code, modality = query.column("code"), query.column("modality")
    gives = [and_(code == c, modality.in_(sorted(by_modality))) for c, by_modality in EVENT_STATUSES.items()]
    found = (
        select(E.c.source, E.c.target).select_from(joined())
        .where(*query.conditions(), *sides.over_events(query), or_(*gives), _coded(query, sides),
               E.c.source.is_not(None), E.c.target.is_not(None))
        .distinct()
    )
    return {(row.source, row.target) for row in store.read(found)}


def designation_pairs(store: Any, sides: Sides) -> set[Pair]:
    """The (designator, designee) pairs of the designation rows of non-duplicate documents within ``sides``."""
    found = (
        select(G.c.designator, G.c.designee).select_from(G.join(D, D.c.id == G.c.doc_id))
        .where(D.c.duplicate_of.is_(None), *sides.over(G.c.designator, G.c.designee)).distinct()
    )
    return {(row.designator, row.designee) for row in store.read(found)}


# --- the words of the reports shown ---------------------------------------------------------


#: The tables a status report is read from, by the kind its key names.
_RECORD_TABLES = (("designation", G), ("event", E))


def _ids(reports: Iterable[StatusReport]) -> dict[str, set[str]]:
    """The designation ids, and the event ids of the reports read from events."""
    found: dict[str, set[str]] = {"designation": set(), "event": set()}
    for report in reports:
        kind, record_id = report_key(report)
        found[kind].add(record_id)
    return found


def report_key(report: StatusReport) -> tuple[str, str]:
    """The record a report was read from: ("designation", id) or ("event", id)."""
    if report.designation_id:
        return ("designation", report.designation_id)
    return ("event", str(report.event_id))


def sentences(store: Any, reports: Iterable[StatusReport]) -> dict[tuple[str, str], str]:
    """The words of each report's own span (its sentence, on one line), cut from the text in SQL."""
    found: dict[tuple[str, str], str] = {}
    wanted = _ids(reports)
    for kind, table in _RECORD_TABLES:
        ids = sorted(wanted[kind])
        for first in range(0, len(ids), CHUNK):
            words = _cut(table.c.start, table.c.end).label("words")
            statement = (select(table.c.id, words).select_from(table.join(D, D.c.id == table.c.doc_id))
                         .where(table.c.id.in_(ids[first : first + CHUNK])))
            found.update(((kind, row.id), " ".join((row.words or "").split())) for row in store.read(statement))
    return found


def evidence(store: Any, reports: Iterable[StatusReport]) -> dict[tuple[str, str], Evidence]:
    """Each report's evidence: the sentence that holds its start, else its own span (as
    :meth:`AnalysisContext.sentence_evidence` gives it), cut from the text in SQL."""
    found: dict[tuple[str, str], Evidence] = {}
    wanted = _ids(reports)
    for kind, table in _RECORD_TABLES:
        ids = sorted(wanted[kind])
        holding = and_(S.c.doc_id == table.c.doc_id, S.c.start <= table.c.start, table.c.start < S.c.end)
        for first in range(0, len(ids), CHUNK):
            statement = (
                select(table.c.id, table.c.doc_id, table.c.start, table.c.end, S.c.start.label("s_start"),
                       S.c.end.label("s_end"), S.c.index.label("s_index"), _cut(S.c.start, S.c.end).label("s_text"),
                       _cut(table.c.start, table.c.end).label("span_text"))
                .select_from(table.join(D, D.c.id == table.c.doc_id).outerjoin(S, holding))
                .where(table.c.id.in_(ids[first : first + CHUNK])).order_by(table.c.id, S.c.seq)
            )
            for row in store.read(statement):
                found.setdefault((kind, row.id), _evidence(row))
    return found


def _evidence(row: Any) -> Evidence:
    if row.s_start is None:
        return Evidence(row.doc_id, row.start, row.end, row.span_text or "", None)
    return Evidence(row.doc_id, row.s_start, row.s_end, row.s_text or "", row.s_index)


def _cut(start: Any, end: Any) -> ColumnElement[str]:
    return func.substr(D.c.text, start + 1, end - start)
