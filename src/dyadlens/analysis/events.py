"""Coded events read back: the filtered list of ``dyadlens events`` and the explanation of one event.

:func:`list_events` asks the store for the events of an
:class:`~dyadlens.store.EventQuery` (filter and limit in SQL) and turns only
those into rows with their evidence. :func:`explain_event` rebuilds the chain
that produced an event from what the store holds (mentions, actors, the
event's provenance) and the loaded dictionary and ontology: mentions -> actors
-> trigger -> dictionary entry -> CAMEO code -> modality -> date -> claimant,
with the evidence sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_window
from dyadlens.model import ActorRef, DocumentRecords, Event, Mention
from dyadlens.store import EventQuery
from dyadlens.store.queries import joined, standing_candidates
from dyadlens.store.summaries import acts_total, split_by_standing

if TYPE_CHECKING:
    from dyadlens.kb.ontology import Ontology
    from dyadlens.resources import Resources
    from dyadlens.store import Store


#: Below this many matches a code is looked up through the code indexes and its events sorted (a few thousand
#: rows); above it, read in the listing's order, a page is found among (page end) × (store / matches) events.
RARE = 20_000


def list_events(ctx: AnalysisContext, query: EventQuery, limit: int | None = None,
                offset: int = 0) -> tuple[list[EventRow], Window]:
    """The events matching ``query`` in store order (ingest, then text order), ``limit`` from ``offset``,
    and which of how many they are; counting real events (``query.count``), each with its counts and
    reports. Evidence and names are read for the rows returned only, in a fixed number of statements."""
    check_window(limit, offset)
    total = matching_total(ctx, query) if limit is not None or offset else None
    rare = query.code is not None and total is not None and total < RARE
    shown = ctx.store.shown_events(replace(query, code_by_index=rare), limit=limit, offset=offset, order="ingest")
    total = len(shown) if total is None else total
    return ctx.shown_rows(shown, query.count, with_reports=True), Window(offset, limit, total)


def matching_total(ctx: AnalysisContext, query: EventQuery) -> int:
    """How many rows ``query`` matches: its acts summed off the summaries where they can count them (thousands
    of rows, not millions), its standing facts (2% of the reports of a store) counted from the events."""
    acts, standing = split_by_standing(query)
    summed = acts_total(acts) if acts is not None else None
    if summed is None:
        return ctx.store.count_events(query)
    if standing is None:
        return int(ctx.store.read(summed)[0][0])
    counted = select(func.count()).select_from(joined()).where(*standing_candidates(standing))
    return int(ctx.store.read(select(summed.scalar_subquery() + counted.scalar_subquery()))[0][0])


@dataclass(slots=True)
class EventExplanation:
    event: Event
    sentence: str
    trigger: str
    source: ActorRef | None
    target: ActorRef | None
    source_mentions: list[dict[str, Any]] = field(default_factory=list)
    target_mentions: list[dict[str, Any]] = field(default_factory=list)
    entry: str | None = None
    entry_note: str | None = None
    code: dict[str, Any] = field(default_factory=dict)
    date_text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        e = self.event
        return {
            "event": e.id,
            "doc": e.doc_id,
            "sentence": self.sentence,
            "source": _actor_dict(self.source, e.source, self.source_mentions),
            "target": _actor_dict(self.target, e.target, self.target_mentions),
            "trigger": {"text": self.trigger, "start": e.trigger_start, "end": e.trigger_end,
                        "route": e.route or None, "source_route": e.source_route or None,
                        "target_route": e.target_route or None},
            "dictionary_entry": {"id": e.entry or None, "pattern": self.entry, "note": self.entry_note},
            "code": self.code,
            "modality": {"value": e.modality, "cue": e.cue},
            "date": {"value": e.date, "rule": e.date_rule, "text": self.date_text,
                     "start": e.date_start, "end": e.date_end},
            "claimant": e.claimant,
            "coder": e.coder,
            "confidence": e.confidence,
        }


def explain_event(store: Store, resources: Resources, event_id: str) -> EventExplanation | None:
    """The chain behind one stored event, or None when there is no such event."""
    event = store.event(event_id)
    if event is None:
        return None
    records = store.load_records(event.doc_id)
    if records is None:
        return None
    text = records.document.text
    actors = {a.id: a for a in records.actors}
    entry = resources.verbs.by_id(event.entry)
    return EventExplanation(
        event=event,
        sentence=text[event.start : event.end],
        trigger=text[event.trigger_start : event.trigger_end],
        source=actors.get(event.source or ""),
        target=actors.get(event.target or ""),
        source_mentions=_mentions_of(records, event, event.source),
        target_mentions=_mentions_of(records, event, event.target),
        entry=entry.describe() if entry else None,
        entry_note=entry.note if entry and entry.note else None,
        code=_code_dict(resources.ontology, event.code),
        date_text=_date_text(text, event),
    )


def _date_text(text: str, event: Event) -> str | None:
    """The words the event's date was read from, if it was read from the text."""
    if event.date_start is None or event.date_end is None:
        return None
    return text[event.date_start : event.date_end]


def _mentions_of(records: DocumentRecords, event: Event, actor_id: str | None) -> list[dict[str, Any]]:
    text = records.document.text
    return [
        _mention_dict(m, text)
        for m in records.mentions
        if actor_id is not None and m.actor_id == actor_id and event.start <= m.start < event.end
    ]


def _mention_dict(mention: Mention, text: str) -> dict[str, Any]:
    return {"text": text[mention.start : mention.end], "start": mention.start, "end": mention.end,
            "rule": mention.rule, "label": mention.label, "person": mention.person}


def _code_dict(ontology: Ontology, code: str) -> dict[str, Any]:
    if not ontology.is_valid(code):
        return {"code": code, "name": None}
    cameo = ontology.get(code)
    root = ontology.get(cameo.root)
    return {"code": code, "name": cameo.name, "root": cameo.root, "root_name": root.name,
            "goldstein": cameo.goldstein, "quad_class": cameo.quad_class,
            "quad_class_name": cameo.quad_class_name, "plover": cameo.plover}


def _actor_dict(actor: ActorRef | None, actor_id: str | None, mentions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": actor_id, "name": actor.name if actor else None, "type": actor.type if actor else None,
            "resolved": actor.resolved if actor else None, "mentions": mentions}
