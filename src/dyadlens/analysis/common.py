"""What every analysis view shares: a per-call context and the evidence-linked event row.

An :class:`AnalysisContext` wraps the store, the CAMEO ontology and (optionally)
the knowledge base for the length of one query. It caches the documents and
actor names it reads on the instance, never in the module, so two contexts never
share state.

Ordering of events (used by every view that lists them): by the event's own
date; an undated event sorts by its document's publication date and says so
(``dated_by = "document"``); an event with neither sorts last. ISO prefix
dates compare as strings, so ``"2024"`` sorts before ``"2024-03"``
(:mod:`dyadlens.partial_dates`). The store lists and filters the events
(:class:`~dyadlens.store.EventQuery`); the context turns only the events a
view shows into rows with their evidence.

Counting: a view counts real events by default (``count="events"``: one row per
cluster of reports, with its consolidated code, modality and date, its counts
and, where the view lists them, its reports) or every report on request
(``count="reports"``). A standing fact is an observation (``kind``), never an act.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dyadlens.analysis.actors import resolve_actor
from dyadlens.errors import DyadlensError
from dyadlens.model import MODALITIES, ActorRef, Designation, Document, Event, Mention, Quote, Sentence, shown_id
from dyadlens.store.queries import ClusterCounts, ShownEvent, check_count

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.kb.ontology import CameoCode, Ontology
    from dyadlens.store import Store

#: The default modality filter of counting views: only what the text asserts.
DEFAULT_MODALITIES: tuple[str, ...] = ("asserted",)


#: Rows a paged list shows unless asked for another page size.
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Window:
    """Which slice of a long list a view shows: at most ``limit`` rows from ``offset``, of ``total``."""

    offset: int
    limit: int | None
    total: int

    @property
    def shown(self) -> str:
        """``1–50 of 57,740`` (``0 of 0`` when empty)."""
        if self.total == 0:
            return "0 of 0"
        last = self.total if self.limit is None else min(self.total, self.offset + self.limit)
        return f"{self.offset + 1:,}–{last:,} of {self.total:,}"

    @property
    def has_next(self) -> bool:
        return self.limit is not None and self.offset + self.limit < self.total


@dataclass(frozen=True, slots=True)
class Weighed:
    """Events counted by quad class, with their mean Goldstein weight (codes the ontology lacks count in
    neither)."""

    by_quad: dict[int, int]
    mean_goldstein: float | None


def weigh(ontology: Ontology, counts: Iterable[tuple[str, int]]) -> Weighed:
    """Quad classes and mean Goldstein of events given as (code, how many): the aggregate queries
    count by code, and the ontology weighs the few codes they return."""
    by_quad = dict.fromkeys((1, 2, 3, 4), 0)
    weight, weighed = 0.0, 0
    for code, n in counts:
        try:
            info = ontology.get(code)
        except KeyError:
            continue
        by_quad[info.quad_class] = by_quad.get(info.quad_class, 0) + n
        weight, weighed = weight + info.goldstein * n, weighed + n
    return Weighed(by_quad, round(weight / weighed, 2) if weighed else None)


def check_window(limit: int | None, offset: int) -> None:
    if (limit is not None and limit < 0) or offset < 0:
        raise DyadlensError("limit and offset must not be negative")


class UnknownDocumentError(DyadlensError):
    """A document id that is not in the store."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact comes from: a sentence (text + document offsets)."""

    doc_id: str
    start: int
    end: int
    text: str
    sentence_index: int | None = None


@dataclass(frozen=True, slots=True)
class EventPlace:
    """Where an event happened (GDELT's ActionGeo), with the words of the text it was read from."""

    name: str
    precision: str  # country | admin1 | city
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    rule: str | None
    evidence: Evidence | None  # the place name's span and words

    @classmethod
    def of(cls, event: Event, text: str | None) -> EventPlace | None:
        """The place of ``event`` (``text``: its document's text), or ``None`` when it has none."""
        if not event.place_name:
            return None
        evidence = None
        if text is not None and event.place_start is not None and event.place_end is not None:
            words = text[event.place_start : event.place_end]
            evidence = Evidence(event.doc_id, event.place_start, event.place_end, words, event.sentence_index)
        return cls(event.place_name, event.place_precision or "", event.place_country, event.place_admin1,
                   event.place_lat, event.place_lon, event.place_rule, evidence)

    def as_listing(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat,
                "lon": self.lon, "precision": self.precision,
                "words": self.evidence.text if self.evidence is not None else None}


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One report of a real event: where it was told, as that report told it."""

    id: str
    doc_id: str
    doc_title: str | None
    outlet: str | None
    published: str | None
    date: str | None
    code: str
    modality: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event (or one report, or one observation: ``kind``) with everything a reader needs to judge it.

    Counting real events, ``counts`` says how often the event was told and ``reports`` (where the
    view lists them) are its reports; counting reports, ``counts`` is None and ``reports`` empty.
    """

    id: str
    date: str | None
    dated_by: str | None  # "event" | "document" | None (no date at all)
    sort_date: str | None
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    code: str
    code_name: str
    root: str
    root_name: str
    quad_class: int | None
    goldstein: float | None
    modality: str
    claimant: str | None
    trigger_start: int
    trigger_end: int
    doc_id: str
    doc_title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    evidence: Evidence
    claimant_name: str | None = None  # who claims it, by name (``claimant`` is the id)
    source_sectors: str | None = None  # CAMEO agent codes of each side (``GOV``, ``MIL LEG``)
    target_sectors: str | None = None
    place: EventPlace | None = None
    coder: str = "rules"  # which coder made it: rules | model
    confidence: float = 0.5  # the coder's score (the learned coder's event probability)
    kind: str = "event"  # event | observation (a standing fact: a state observed, not a new act)
    cluster: str | None = None  # the real event it reports (dyadlens.identity), if clustered
    counts: ClusterCounts | None = None
    reports: list[ReportRow] = field(default_factory=list)

    @property
    def counts_text(self) -> str:
        """``3 reports · 2 outlets``, or empty for a row told once (or a report)."""
        if self.counts is None or self.counts.reports <= 1:
            return ""
        outlets = f" · {self.counts.outlets} outlet{'s' if self.counts.outlets != 1 else ''}"
        return f"{self.counts.reports} reports{outlets}"

    @property
    def trigger(self) -> str:
        """The words that triggered the event (they lie in its evidence sentence)."""
        offset = self.evidence.start
        return self.evidence.text[self.trigger_start - offset : self.trigger_end - offset]

    def as_listing(self) -> dict[str, Any]:
        """The flat form ``dyadlens events --json`` prints: ids and names, code, modality,
        the sentence on one line and the trigger's words."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "date": self.date,
            "source": self.source,
            "source_name": self.source_name,
            "code": self.code,
            "code_name": self.code_name,
            "target": self.target,
            "target_name": self.target_name,
            "modality": self.modality,
            "claimant": self.claimant,
            "source_sectors": self.source_sectors,
            "target_sectors": self.target_sectors,
            "place": self.place.as_listing() if self.place is not None else None,
            "coder": self.coder,
            "confidence": self.confidence,
            "sentence": " ".join(self.evidence.text.split()),
            "trigger": self.trigger,
            "kind": self.kind,
            "cluster": self.cluster,
            "counts": to_jsonable(self.counts),
            "reports": to_jsonable(self.reports),
        }


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: str
    doc_id: str
    kind: str
    speaker: str | None
    speaker_actor: str | None
    speaker_name: str | None
    speaker_role: str | None
    cue: str | None
    text: str  # the quoted words
    start: int
    end: int
    published: str | None
    outlet: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class DesignationRow:
    id: str
    doc_id: str
    designator: str
    designator_name: str | None
    designee: str
    designee_name: str | None
    status: str
    date: str | None
    claimant: str | None
    event_id: str | None
    published: str | None
    outlet: str | None
    evidence: Evidence
    claimant_name: str | None = None


def to_jsonable(value: Any) -> Any:
    """Dataclasses (nested), tuples and lists as plain JSON-ready structures."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def check_modalities(modalities: Iterable[str] | None) -> tuple[str, ...] | None:
    """Validate a modality filter; ``None`` or ``("any",)`` means no filter."""
    if modalities is None:
        return None
    chosen = tuple(modalities)
    if not chosen or "any" in chosen:
        return None
    unknown = [m for m in chosen if m not in MODALITIES]
    if unknown:
        raise DyadlensError(f"unknown modality {', '.join(unknown)}; modalities are {', '.join(MODALITIES)}, any")
    return chosen


class AnalysisContext:
    """The store, the ontology and the KB for one query, with per-call caches."""

    def __init__(self, store: Store, ontology: Ontology, kb: KnowledgeBase | None = None) -> None:
        self.store = store
        self.ontology = ontology
        self.kb = kb
        self._documents: dict[str, Document | None] = {}
        self._names: dict[str, str] = {}
        self._mentions: dict[str, list[Mention]] = {}
        self._sentences: dict[str, list[Sentence]] = {}

    # -- look-ups ----------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        if doc_id not in self._documents:
            self._documents[doc_id] = self.store.document(doc_id)
        return self._documents[doc_id]

    def mentions(self, doc_id: str) -> list[Mention]:
        if doc_id not in self._mentions:
            self._mentions[doc_id] = list(self.store.mentions(doc_id=doc_id))
        return self._mentions[doc_id]

    def sentences(self, doc_id: str) -> list[Sentence]:
        if doc_id not in self._sentences:
            self._sentences[doc_id] = list(self.store.sentences(doc_id))
        return self._sentences[doc_id]

    def sentence_evidence(self, doc_id: str, start: int, end: int, sentence_index: int | None) -> Evidence:
        """Evidence for a span: its whole sentence when the sentence is known, else the span."""
        for sentence in self.sentences(doc_id):
            if sentence.index == sentence_index or (sentence_index is None and sentence.start <= start < sentence.end):
                return self.evidence(doc_id, sentence.start, sentence.end, sentence.index)
        return self.evidence(doc_id, start, end, sentence_index)

    def require_document(self, doc_id: str) -> Document:
        document = self.document(doc_id)
        if document is None:
            raise UnknownDocumentError(f"no document {doc_id!r} in the store")
        return document

    def actor_name(self, actor_id: str | None) -> str | None:
        if actor_id is None:
            return None
        if actor_id not in self._names:
            self._names[actor_id] = self._find_name(actor_id)
        return self._names[actor_id]

    def actor_refs(self, actor_ids: Iterable[str | None]) -> dict[str, ActorRef]:
        """The actors named, in one statement at most: the KB's entry for an actor the KB knows (what
        the store's snapshots of it were written from), else the store's latest snapshot, which costs
        a look-up through every document naming the actor (cheap for the rare actors the KB lacks)."""
        wanted = {a for a in actor_ids if a}
        known = {a: self.kb.ref(a) for a in wanted if self.kb is not None and self.kb.get(a) is not None}
        rest = wanted - set(known)
        return {**(self.store.actor_refs(rest) if rest else {}), **known}

    def load_names(self, actor_ids: Iterable[str | None]) -> None:
        """Read the names of many actors at once (:meth:`actor_refs`), so that the rows of a page cost
        no query each."""
        wanted = {a for a in actor_ids if a and a not in self._names}
        found = self.actor_refs(wanted)
        for actor_id in wanted:
            self._names[actor_id] = str(found[actor_id].name) if actor_id in found else shown_id(actor_id)

    def _find_name(self, actor_id: str) -> str:
        actor = self.store.actor(actor_id)
        if actor is not None:
            return str(actor.name)
        if self.kb is not None and self.kb.get(actor_id) is not None:
            return str(self.kb.ref(actor_id).name)
        return shown_id(actor_id)

    def code(self, code: str) -> CameoCode | None:
        try:
            return self.ontology.get(code)
        except KeyError:
            return None

    def code_name(self, code: str) -> str:
        info = self.code(code)
        return info.name if info is not None else f"unknown code {code}"

    # -- actors --------------------------------------------------------------------

    def resolve_actor(self, text: str) -> str:
        """The actor id ``text`` names, by the one rule of :func:`dyadlens.analysis.actors.resolve_actor`."""
        return resolve_actor(self.store, self.kb, text)

    # -- evidence and rows ---------------------------------------------------------------

    def evidence(self, doc_id: str, start: int, end: int, sentence_index: int | None = None) -> Evidence:
        document = self.document(doc_id)
        text = document.text[start:end] if document is not None else ""
        return Evidence(doc_id=doc_id, start=start, end=end, text=text, sentence_index=sentence_index)

    def event_row(self, event: Event) -> EventRow:
        document = self.document(event.doc_id)
        published = document.published if document is not None else None
        info = self.code(event.code)
        root_info = self.code(event.code[:2])
        dated_by = "event" if event.date else ("document" if published else None)
        return EventRow(
            id=event.id,
            date=event.date,
            dated_by=dated_by,
            sort_date=event.date or published,
            source=event.source,
            source_name=self.actor_name(event.source),
            target=event.target,
            target_name=self.actor_name(event.target),
            code=event.code,
            code_name=info.name if info is not None else f"unknown code {event.code}",
            root=event.code[:2],
            root_name=root_info.name if root_info is not None else event.code[:2],
            quad_class=info.quad_class if info is not None else None,
            goldstein=info.goldstein if info is not None else None,
            modality=event.modality,
            claimant=event.claimant,
            trigger_start=event.trigger_start,
            trigger_end=event.trigger_end,
            doc_id=event.doc_id,
            doc_title=document.title if document is not None else None,
            outlet=document.outlet if document is not None else None,
            published=published,
            url=document.url if document is not None else None,
            evidence=self.evidence(event.doc_id, event.start, event.end, event.sentence_index),
            claimant_name=self.actor_name(event.claimant),
            source_sectors=event.source_sectors,
            target_sectors=event.target_sectors,
            place=EventPlace.of(event, document.text if document is not None else None),
            coder=event.coder,
            confidence=event.confidence,
            kind="observation" if event.standing else "event",
            cluster=event.cluster,
        )

    def shown_row(self, shown: ShownEvent) -> EventRow:
        """The row of an event read with its evidence (:meth:`Store.shown_events`): no further query
        once the names are loaded (:meth:`load_names`)."""
        event, head = shown.event, shown.document
        info, root_info = self.code(event.code), self.code(event.code[:2])
        evidence = Evidence(event.doc_id, event.start, event.end, shown.evidence, event.sentence_index)
        return EventRow(
            id=event.id, date=event.date,
            dated_by="event" if event.date else ("document" if head.published else None),
            sort_date=event.date or head.published,
            source=event.source, source_name=self.actor_name(event.source),
            target=event.target, target_name=self.actor_name(event.target),
            code=event.code, code_name=info.name if info is not None else f"unknown code {event.code}",
            root=event.code[:2], root_name=root_info.name if root_info is not None else event.code[:2],
            quad_class=info.quad_class if info is not None else None,
            goldstein=info.goldstein if info is not None else None,
            modality=event.modality, claimant=event.claimant,
            trigger_start=event.trigger_start, trigger_end=event.trigger_end,
            doc_id=event.doc_id, doc_title=head.title, outlet=head.outlet, published=head.published, url=head.url,
            evidence=evidence, claimant_name=self.actor_name(event.claimant),
            source_sectors=event.source_sectors, target_sectors=event.target_sectors,
            place=_shown_place(shown), coder=event.coder, confidence=event.confidence,
            kind="observation" if event.standing else "event", cluster=event.cluster,
        )

    def shown_rows(self, shown: list[ShownEvent], count: str, *, with_reports: bool = False) -> list[EventRow]:
        """Rows of one page of events, in their order, in a fixed number of statements; counting real
        events, each (not an observation) with its counts and, ``with_reports``, its reports."""
        self.load_names(a for s in shown for a in (s.event.source, s.event.target, s.event.claimant))
        clusters = [s.event.cluster for s in shown if s.event.cluster]
        counts = self.store.cluster_counts(clusters) if clusters else {}
        reports = self.store.shown_reports(clusters) if with_reports and clusters else {}
        if check_count(count) == "reports":
            return [self.shown_row(s) for s in shown]
        return [self._shown_real_event(s, counts, reports, with_reports) for s in shown]

    def _shown_real_event(self, shown: ShownEvent, counts: dict[str, ClusterCounts],
                          reports: dict[str, list[ShownEvent]], with_reports: bool) -> EventRow:
        row = self.shown_row(shown)
        if shown.event.standing:
            return row
        cluster = shown.event.cluster or ""
        told = counts.get(cluster) or ClusterCounts(first_seen=row.published, last_seen=row.published)
        listed = reports.get(cluster, [shown]) if with_reports else []
        return dataclasses.replace(row, counts=told, reports=[_shown_report(r) for r in listed])

    def event_rows(self, events: Iterable[Event]) -> list[EventRow]:
        return sort_rows(self.event_row(e) for e in events)

    def counted_rows(self, events: Iterable[Event], count: str, *, with_reports: bool = False) -> list[EventRow]:
        """Rows of ``events`` (in their order) as a view counting ``count`` shows them: counting real events (each
        event its cluster's lead, as :class:`~dyadlens.store.EventQuery` gives it), each row with its
        counts and, ``with_reports``, its reports; counting reports, plain rows."""
        if check_count(count) == "reports":
            return [self.event_row(e) for e in events]
        events = list(events)
        clusters = [e.cluster for e in events if e.cluster]
        counts = self.store.cluster_counts(clusters)
        reports = self.store.cluster_reports(clusters) if with_reports else {}
        return [self._real_event_row(e, counts, reports, with_reports) for e in events]

    def _real_event_row(self, event: Event, counts: dict[str, ClusterCounts], reports: dict[str, list[Event]],
                        with_reports: bool) -> EventRow:
        row = self.event_row(event)
        told = counts.get(event.cluster or "") or ClusterCounts(first_seen=row.published, last_seen=row.published)
        listed = reports.get(event.cluster or "", [event]) if with_reports else []
        return dataclasses.replace(row, counts=told, reports=[self.report_row(r) for r in listed])

    def report_row(self, event: Event) -> ReportRow:
        document = self.document(event.doc_id)
        return ReportRow(
            id=event.id,
            doc_id=event.doc_id,
            doc_title=document.title if document is not None else None,
            outlet=document.outlet if document is not None else None,
            published=document.published if document is not None else None,
            date=event.date,
            code=event.code,
            modality=event.modality,
            evidence=self.evidence(event.doc_id, event.start, event.end, event.sentence_index),
        )

    def quote_row(self, quote: Quote) -> QuoteRow:
        document = self.document(quote.doc_id)
        return QuoteRow(
            id=quote.id,
            doc_id=quote.doc_id,
            kind=quote.kind,
            speaker=quote.speaker,
            speaker_actor=quote.speaker_actor,
            speaker_name=self.actor_name(quote.speaker_actor),
            speaker_role=quote.speaker_role,
            cue=quote.cue,
            text=document.text[quote.start : quote.end] if document is not None else "",
            start=quote.start,
            end=quote.end,
            published=document.published if document is not None else None,
            outlet=document.outlet if document is not None else None,
            evidence=self.sentence_evidence(quote.doc_id, quote.start, quote.end, quote.sentence_index),
        )

    def designation_row(self, designation: Designation) -> DesignationRow:
        document = self.document(designation.doc_id)
        return DesignationRow(
            id=designation.id,
            doc_id=designation.doc_id,
            designator=designation.designator,
            designator_name=self.actor_name(designation.designator),
            designee=designation.designee,
            designee_name=self.actor_name(designation.designee),
            status=designation.status,
            date=designation.date,
            claimant=designation.claimant,
            event_id=designation.event_id,
            published=document.published if document is not None else None,
            outlet=document.outlet if document is not None else None,
            evidence=self.sentence_evidence(designation.doc_id, designation.start, designation.end, None),
            claimant_name=self.actor_name(designation.claimant),
        )


def _shown_place(shown: ShownEvent) -> EventPlace | None:
    event = shown.event
    if not event.place_name:
        return None
    evidence = None
    if shown.place_words is not None and event.place_start is not None and event.place_end is not None:
        evidence = Evidence(event.doc_id, event.place_start, event.place_end, shown.place_words, event.sentence_index)
    return EventPlace(event.place_name, event.place_precision or "", event.place_country, event.place_admin1,
                      event.place_lat, event.place_lon, event.place_rule, evidence)


def _shown_report(shown: ShownEvent) -> ReportRow:
    event, head = shown.event, shown.document
    return ReportRow(
        id=event.id, doc_id=event.doc_id, doc_title=head.title, outlet=head.outlet, published=head.published,
        date=event.date, code=event.code, modality=event.modality,
        evidence=Evidence(event.doc_id, event.start, event.end, shown.evidence, event.sentence_index),
    )


def sort_rows(rows: Iterable[EventRow]) -> list[EventRow]:
    """Dated rows by date (then document, then offset); rows with no date last."""
    return sorted(rows, key=lambda r: (r.sort_date is None, r.sort_date or "", r.doc_id, r.evidence.start, r.id))

