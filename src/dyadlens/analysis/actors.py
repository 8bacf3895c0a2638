"""Actors as analysts name them: the one resolver from typed text to an actor id, and the actor table.

Every way in (the CLI, the web UI, the report) turns an actor argument into
an id with :func:`resolve_actor`, so the same text names the same actor
everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from dyadlens.errors import DyadlensError
from dyadlens.model import ActorRef, Mention, unresolved_id
from dyadlens.store import schema

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.store import DocumentInfo, Store


class UnknownActorError(DyadlensError):
    """A name or id that names no actor in the store or the knowledge base."""


class AmbiguousActorError(DyadlensError):
    """A name that stands for several actors; the message lists them, ``candidates`` holds their ids."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def resolve_actor(store: Store, kb: KnowledgeBase | None, text: str) -> str:
    """The actor id ``text`` names. The steps are tried in order and the first that matches decides:

    1. an exact actor id, stored or in the KB (``taliban``, ``unresolved:velmora-foundation``);
    2. a KB canonical name, case-insensitively (``TALIBAN``);
    3. a KB alias: any other name the KB gives an actor (alias, demonym, capital,
       metonym, government phrase), under the KB's case rules (``Russian Federation``);
    4. a KB name or alias, case-insensitively (``lavrov``, ``isis-k``): analysts type
       in lower case what the KB's case rules keep apart in running text;
    5. a stored actor's name, case-insensitively, or the unresolved id its words
       make (``velmora foundation`` finds ``unresolved:velmora-foundation``).

    Step 1 also takes the id of a person the mentions name (``unresolved:pavel-sorokin``,
    a person the KB does not know, found through a title).

    A step that matches several actors is an :class:`AmbiguousActorError` that
    lists them (it never picks one); text no step matches is an
    :class:`UnknownActorError`.
    """
    wanted = text.strip()
    for step in _steps(store, kb):
        found = list(dict.fromkeys(step(wanted)))
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousActorError(_ambiguity(store, kb, text, found), sorted(found))
    raise UnknownActorError(f"no actor named {text!r} in the store or the knowledge base")


def _steps(store: Store, kb: KnowledgeBase | None) -> list[Callable[[str], list[str]]]:
    def exact_id(wanted: str) -> list[str]:
        known = (kb is not None and kb.get(wanted) is not None) or store.actor(wanted) is not None
        return [wanted] if known or _is_person_id(store, wanted) else []

    def canonical_name(wanted: str) -> list[str]:
        folded = wanted.casefold()
        return [e.id for e in kb.entities() if e.name.casefold() == folded] if kb is not None else []

    def alias(wanted: str) -> list[str]:
        return [e.id for e in kb.lookup(wanted)] if kb is not None else []

    def folded_name(wanted: str) -> list[str]:
        folded = wanted.casefold()
        entities = kb.entities() if kb is not None else []
        return [e.id for e in entities if any(n.casefold() == folded for n in (e.name, *e.aliases, *e.demonyms))]

    def stored_name(wanted: str) -> list[str]:
        folded, unresolved = wanted.casefold(), unresolved_id(wanted)
        return sorted(a.id for a in store.actors() if a.name.casefold() == folded or a.id == unresolved)

    return [exact_id, canonical_name, alias, folded_name, stored_name]


def _is_person_id(store: Store, wanted: str) -> bool:
    m = schema.mentions
    return bool(store.read(sa.select(m.c.person).where(seldom(store, m.c.person == wanted)).limit(1)))


def seldom(store: Store, condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """``condition``, told to SQLite's planner as true of few rows (``likelihood``), so that it is read through
    its index whatever the statistics say: a store whose mentions name no person has statistics calling
    the person index useless (every row NULL), and the planner scans 20M mentions. PostgreSQL's statistics
    keep the share of NULLs and the frequent values; it gets the condition as is."""
    if store.engine.dialect.name != "sqlite":
        return condition
    return sa.func.likelihood(condition, sa.literal_column("0.001"))  # no type: SQLAlchemy would add "= 1"


def _ambiguity(store: Store, kb: KnowledgeBase | None, text: str, ids: list[str]) -> str:
    def named(actor_id: str) -> str:
        entity = kb.get(actor_id) if kb is not None else None
        stored = store.actor(actor_id) if entity is None else None
        name = entity.name if entity is not None else stored.name if stored is not None else actor_id
        return f"{actor_id} ({name})"

    return f"ambiguous actor name {text!r}: it names {', '.join(named(i) for i in sorted(ids))}; give one of these ids"


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


def actor_table(store: Store, unresolved: bool = False, actor_type: str | None = None,
                kb: KnowledgeBase | None = None) -> list[ActorRow]:
    """Actors with mention and document counts and first/last document dates, most mentioned first.

    Documents that duplicate an earlier one are not counted. Persons (``actor_type="person"``) are
    not actors of the mentions but the ``person`` of a mention acting for one: the KB's persons
    (resolved) and those found through their titles (``persons`` records, unresolved).
    """
    documents = {d.id: d for d in store.documents() if not d.duplicate_of}
    if actor_type == "person" and not unresolved:
        return _person_rows(store, kb, documents)
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


def _row(ref: ActorRef, mentions: Sequence[Mention], documents: dict[str, DocumentInfo]) -> ActorRow:
    doc_ids = {m.doc_id for m in mentions}
    dates = sorted(p for d in doc_ids if (p := documents[d].published))
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


def _person_rows(store: Store, kb: KnowledgeBase | None, documents: dict[str, DocumentInfo]) -> list[ActorRow]:
    by_person: dict[str, list[Mention]] = defaultdict(list)
    for mention in store.mentions():
        if mention.person and mention.doc_id in documents:
            by_person[mention.person].append(mention)
    titled = person_names(store)
    rows = []
    for person_id, mentions in by_person.items():
        entity = kb.get(person_id) if kb is not None else None
        name = entity.name if entity is not None else titled.get(person_id, person_id)
        rows.append(_row(ActorRef(person_id, name, "person", entity is not None), mentions, documents))
    return sorted(rows, key=lambda r: (-r.mentions, r.name.casefold()))


def person_names(store: Store) -> dict[str, str]:
    """The names of the persons found through their titles, by the id their mentions carry."""
    persons = schema.persons
    return {unresolved_id(row[0]): row[0] for row in store.read(sa.select(persons.c.name).distinct())}
