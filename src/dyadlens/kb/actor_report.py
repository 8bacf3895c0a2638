"""What the store says about actors: the tables behind ``dyadlens actors``,
``dyadlens actor NAME`` and ``dyadlens kb-check``.

These functions read a store (anything with the Store API's ``actors``,
``mentions``, ``documents`` and ``document`` methods) and a
:class:`KnowledgeBase`; they return plain data and never print.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadlens.kb.entities import KbEntity
from dyadlens.kb.knowledge_base import AliasCollision, KnowledgeBase, load_kb
from dyadlens.model import ActorRef, Mention

if TYPE_CHECKING:
    from dyadlens.store import Store

CONTEXT_CHARS = 60


@dataclass(frozen=True, slots=True)
class ActorRow:
    id: str
    name: str
    type: str
    resolved: bool
    mentions: int
    documents: int
    first: str | None  # earliest publication date among its documents
    last: str | None


@dataclass(frozen=True, slots=True)
class MentionInContext:
    doc_id: str
    published: str | None
    start: int
    end: int
    text: str
    before: str
    after: str
    rule: str
    person: str | None


@dataclass(slots=True)
class ActorProfile:
    id: str
    name: str
    type: str
    resolved: bool
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None
    metonyms: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)  # KB people who acted for this actor
    mentions: list[MentionInContext] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class KbCheckReport:
    entities: int
    by_type: dict[str, int]
    files: list[str]
    collisions: list[AliasCollision]
    warnings: list[str]
    agents: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def actor_table(store: Store, unresolved: bool = False, actor_type: str | None = None) -> list[ActorRow]:
    """Actors with mention and document counts and first/last document dates, most mentioned first.

    Documents that duplicate an earlier one are not counted.
    """
    documents = {d.id: d for d in store.documents() if not d.duplicate_of}
    by_actor: dict[str, list[Mention]] = defaultdict(list)
    for mention in store.mentions():
        if mention.actor_id and mention.doc_id in documents:
            by_actor[mention.actor_id].append(mention)
    rows = []
    for ref in store.actors():
        if ref.resolved == unresolved or (actor_type and ref.type != actor_type) or ref.id not in by_actor:
            continue
        rows.append(_row(ref, by_actor[ref.id], documents))
    return sorted(rows, key=lambda r: (-r.mentions, r.name.casefold()))


def _row(ref: ActorRef, mentions: Sequence[Mention], documents: dict[str, Any]) -> ActorRow:
    doc_ids = {m.doc_id for m in mentions}
    dates = sorted(documents[d].published for d in doc_ids if documents[d].published)
    return ActorRow(
        ref.id,
        ref.name,
        ref.type,
        ref.resolved,
        len(mentions),
        len(doc_ids),
        dates[0] if dates else None,
        dates[-1] if dates else None,
    )


def find_actor(kb: KnowledgeBase, store: Store, name: str) -> ActorRef | KbEntity | None:
    """An actor by id, canonical name or alias (KB first, then stored unresolved names)."""
    entity = kb.get(name)
    if entity is not None:
        return entity
    matches = kb.lookup(name) or [e for e in kb.entities() if e.name.casefold() == name.casefold()]
    if matches:
        return matches[0]
    stored = store.actor(name)
    if stored is not None:
        return stored
    folded = name.casefold()
    return next((a for a in store.actors() if a.name.casefold() == folded or a.id == f"unresolved:{folded}"), None)


def actor_profile(kb: KnowledgeBase, store: Store, name: str, limit: int = 50) -> ActorProfile | None:
    """Aliases, roles and mentions in context of one actor; None when nothing is known by that name."""
    found = find_actor(kb, store, name)
    if found is None:
        return None
    if isinstance(found, KbEntity) and found.type == "person":
        profile = _entity_profile(kb, found)
        mentions = [m for m in store.mentions() if m.person == found.id]
    else:
        if isinstance(found, KbEntity):
            profile = _entity_profile(kb, found)
        else:
            profile = ActorProfile(found.id, found.name, found.type, found.resolved)
        mentions = store.mentions(actor_id=profile.id)
    profile.mentions = _in_context(store, mentions[:limit])
    return profile


def _entity_profile(kb: KnowledgeBase, entity: KbEntity) -> ActorProfile:
    roles = [{"actor": r.actor, "role": r.role, "from": r.period.start, "until": r.period.until} for r in entity.roles]
    people = [
        {"id": p.id, "name": p.name, "role": r.role, "from": r.period.start, "until": r.period.until}
        for p in kb.entities()
        for r in p.roles
        if r.actor == entity.id
    ]
    return ActorProfile(
        entity.id,
        entity.name,
        entity.type,
        True,
        list(entity.aliases),
        list(entity.demonyms),
        entity.capital,
        list(entity.metonyms),
        roles,
        people,
    )


def _in_context(store: Store, mentions: Sequence[Mention]) -> list[MentionInContext]:
    texts: dict[str, Any] = {}
    result = []
    for mention in mentions:
        if mention.doc_id not in texts:
            texts[mention.doc_id] = store.document(mention.doc_id)
        document = texts[mention.doc_id]
        if document is None:
            continue
        text = document.text
        result.append(
            MentionInContext(
                mention.doc_id,
                document.published,
                mention.start,
                mention.end,
                text[mention.start : mention.end],
                _one_line(text[max(0, mention.start - CONTEXT_CHARS) : mention.start]),
                _one_line(text[mention.end : mention.end + CONTEXT_CHARS]),
                mention.rule,
                mention.person,
            )
        )
    return result


def _one_line(text: str) -> str:
    """Runs of whitespace as one space, keeping a space at either edge."""
    return re.sub(r"\s+", " ", text)


def kb_check(extra_files: Sequence[str | Path] = ()) -> KbCheckReport:
    """Load and validate the KB with the extra files; raises DataFileError when it is broken."""
    kb = load_kb(extra_files=extra_files)
    by_type = Counter(e.type for e in kb.entities())
    return KbCheckReport(
        len(kb), dict(sorted(by_type.items())), list(kb.files), kb.collisions, kb.warnings, len(kb.agents)
    )
