"""Reading coded events back from the store: filtered lists and the explanation of one event.

These are the library functions behind ``dyadlens events`` and ``dyadlens
explain``. :func:`explain_event` rebuilds the chain that produced an event
from what the store holds (mentions, actors, the event's ``rule``) and the
loaded dictionary and ontology: mentions -> actors -> trigger -> dictionary
entry -> CAMEO code -> modality -> date -> claimant, with the evidence
sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dyadlens.errors import InputError
from dyadlens.model import ActorRef, DocumentRecords, Event, Mention

_SLUG = re.compile(r"[^a-z0-9]+")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class EventFilter:
    source: str | None = None
    target: str | None = None
    code: str | None = None
    modality: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event as listed: names resolved, the evidence sentence attached."""

    id: str
    doc_id: str
    date: str | None
    source: str | None
    source_name: str | None
    code: str
    code_name: str
    target: str | None
    target_name: str | None
    modality: str
    claimant: str | None
    sentence: str
    trigger: str


@dataclass(frozen=True, slots=True)
class RuleParts:
    """The pieces of ``Event.rule``: ``entry-id|route:source-route>target-route|modality-cue``."""

    entry_id: str
    route: str
    source_route: str
    target_route: str
    cue: str | None

    @classmethod
    def parse(cls, rule: str) -> RuleParts:
        entry_id, _, rest = rule.partition("|")
        route_part, _, cue = rest.partition("|")
        route, _, sides = route_part.partition(":")
        source_route, _, target_route = sides.partition(">")
        return cls(entry_id, route, source_route, target_route, None if cue in ("", "-") else cue)


@dataclass(slots=True)
class EventExplanation:
    event: Event
    sentence: str
    trigger: str
    source: ActorRef | None
    target: ActorRef | None
    source_mentions: list[dict[str, Any]] = field(default_factory=list)
    target_mentions: list[dict[str, Any]] = field(default_factory=list)
    rule: RuleParts | None = None
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
                        "route": self.rule.route if self.rule else None},
            "dictionary_entry": {"id": self.rule.entry_id if self.rule else None, "pattern": self.entry,
                                 "note": self.entry_note},
            "code": self.code,
            "modality": {"value": e.modality, "cue": self.rule.cue if self.rule else None},
            "date": {"value": e.date, "rule": e.date_rule, "text": self.date_text,
                     "start": e.date_start, "end": e.date_end},
            "claimant": e.claimant,
            "confidence": e.confidence,
        }


def resolve_actor_arg(text: str, kb: Any, known: list[ActorRef]) -> str:
    """An actor id from what a user typed: an id, a KB alias, a stored actor's name."""
    if kb.get(text) is not None or any(a.id == text for a in known):
        return text
    entities = kb.lookup(text)
    if len(entities) == 1:
        return entities[0].id
    folded = text.casefold()
    named = [a.id for a in known if a.name.casefold() == folded]
    if len(named) == 1:
        return named[0]
    if len(entities) > 1:
        raise InputError(text, f"ambiguous actor: {', '.join(e.id for e in entities)}")
    return f"unresolved:{_SLUG.sub('-', folded).strip('-')}"


def list_events(store: Any, resources: Any, wanted: EventFilter) -> list[EventRow]:
    """Events matching the filter, with names, code names and evidence sentences."""
    for name, value in (("--since", wanted.since), ("--until", wanted.until)):
        if value and not _ISO_PREFIX.match(value):
            raise InputError(name, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    known = store.actors()
    names = {a.id: a.name for a in known}
    source = resolve_actor_arg(wanted.source, resources.kb, known) if wanted.source else None
    target = resolve_actor_arg(wanted.target, resources.kb, known) if wanted.target else None
    events = store.events(source=source, target=target, code=wanted.code, modality=wanted.modality,
                          since=wanted.since, until=wanted.until, doc_id=wanted.doc_id, limit=wanted.limit)
    texts: dict[str, str] = {}
    rows = []
    for event in events:
        text = texts.get(event.doc_id)
        if text is None:
            document = store.document(event.doc_id)
            text = texts[event.doc_id] = document.text if document is not None else ""
        rows.append(_row(event, text, names, resources.ontology))
    return rows


def _row(event: Event, text: str, names: dict[str, str], ontology: Any) -> EventRow:
    return EventRow(
        id=event.id,
        doc_id=event.doc_id,
        date=event.date,
        source=event.source,
        source_name=names.get(event.source or ""),
        code=event.code,
        code_name=ontology.get(event.code).name if ontology.is_valid(event.code) else "",
        target=event.target,
        target_name=names.get(event.target or ""),
        modality=event.modality,
        claimant=event.claimant,
        sentence=" ".join(text[event.start : event.end].split()),
        trigger=text[event.trigger_start : event.trigger_end],
    )


def explain_event(store: Any, resources: Any, event_id: str) -> EventExplanation | None:
    """The chain behind one stored event, or None when there is no such event."""
    event = store.event(event_id)
    if event is None:
        return None
    records = store.load_records(event.doc_id)
    if records is None:
        return None
    text = records.document.text
    actors = {a.id: a for a in records.actors}
    rule = RuleParts.parse(event.rule) if event.rule else None
    entry = resources.verbs.by_id(rule.entry_id) if rule else None
    return EventExplanation(
        event=event,
        sentence=text[event.start : event.end],
        trigger=text[event.trigger_start : event.trigger_end],
        source=actors.get(event.source or ""),
        target=actors.get(event.target or ""),
        source_mentions=_mentions_of(records, event, event.source),
        target_mentions=_mentions_of(records, event, event.target),
        rule=rule,
        entry=entry.describe() if entry else None,
        entry_note=entry.note if entry and entry.note else None,
        code=_code_dict(resources.ontology, event.code),
        date_text=text[event.date_start : event.date_end] if event.date_start is not None and event.date_end is not None else None,
    )


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


def _code_dict(ontology: Any, code: str) -> dict[str, Any]:
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
