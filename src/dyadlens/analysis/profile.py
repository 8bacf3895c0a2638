"""Two questions about one actor, each with its function.

:func:`actor_identity` (``dyadlens actor``): who is it? Its KB entry (aliases,
demonyms, capital, metonyms, offices, the people who acted for it) and where
the corpus mentions it, each mention in its context.

:func:`actor_profile` (``dyadlens profile``, the web UI's actor page): what
does the corpus say it did and said? Events are counted by CAMEO root, as
source and as target, over all modalities, with the asserted share given
separately: real events once each by default, every report with
``count="reports"``, standing facts never. Quotes *by* the actor are those whose speaker acts for it; quotes
*about* it are those in a sentence that mentions it (and that it did not speak).

Both take an actor id: resolve what the user typed first
(:meth:`AnalysisContext.resolve_actor`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from dyadlens.analysis.actors import UnknownActorError
from dyadlens.analysis.common import AnalysisContext, DesignationRow, EventRow, QuoteRow, sort_rows
from dyadlens.analysis.status import StatusEntry, designation_status
from dyadlens.model import Mention
from dyadlens.store import EventQuery, check_count

if TYPE_CHECKING:
    from dyadlens.kb.entities import KbEntity
    from dyadlens.kb.periods import Period

#: Characters of text shown on either side of a mention.
CONTEXT_CHARS = 60


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
class ActorIdentity:
    """Who an actor is: its KB entry (empty for a name the KB does not know) and its mentions in context."""

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


def actor_identity(ctx: AnalysisContext, actor_id: str, limit: int = 50) -> ActorIdentity:
    """The KB entry of ``actor_id`` and its first ``limit`` mentions in context (a KB person: the
    mentions of that person, whoever they acted for)."""
    entity = ctx.kb.get(actor_id) if ctx.kb is not None else None
    if entity is not None:
        identity = _entity_identity(ctx, entity)
    else:
        stored = ctx.store.actor(actor_id)
        if stored is None:
            raise UnknownActorError(f"no actor {actor_id!r} in the store or the knowledge base")
        identity = ActorIdentity(stored.id, stored.name, stored.type, stored.resolved)
    if entity is not None and entity.type == "person":
        mentions = ctx.store.mentions(person=actor_id, limit=limit)
    else:
        mentions = ctx.store.mentions(actor_id=actor_id, limit=limit)
    identity.mentions = _in_context(ctx, mentions)
    return identity


def _entity_identity(ctx: AnalysisContext, entity: KbEntity) -> ActorIdentity:
    assert ctx.kb is not None
    roles = [{"actor": r.actor, "role": r.role, "from": r.period.start, "until": r.period.until} for r in entity.roles]
    people = [
        {"id": p.id, "name": p.name, "role": r.role, "from": r.period.start, "until": r.period.until}
        for p in ctx.kb.entities()
        for r in p.roles
        if r.actor == entity.id
    ]
    return ActorIdentity(
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


def _in_context(ctx: AnalysisContext, mentions: Sequence[Mention]) -> list[MentionInContext]:
    found = []
    for mention in mentions:
        document = ctx.document(mention.doc_id)
        if document is None:
            continue
        text = document.text
        found.append(
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
    return found


def _one_line(text: str) -> str:
    """Runs of whitespace as one space, keeping a space at either edge."""
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True, slots=True)
class RootCount:
    root: str
    name: str
    count: int
    asserted: int


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str | None
    outgoing: int  # events from the profiled actor to this partner
    incoming: int
    mean_goldstein: float | None


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str | None
    type: str | None
    resolved: bool
    aliases: list[str]
    roles: list[str]
    as_source: list[RootCount]
    as_target: list[RootCount]
    partners: list[Partner]
    quotes_by: list[QuoteRow]
    quotes_about: list[QuoteRow]
    designations: list[DesignationRow]
    status: list[StatusEntry]
    documents: list[str]
    events: list[EventRow]
    count: str = "events"  # what the event counts count: events | reports


def actor_profile(ctx: AnalysisContext, actor_id: str, count: str = "events") -> Profile:
    """What the corpus says ``actor_id`` did and said, with who it is in the KB."""
    actor = ctx.store.actor(actor_id)
    entity = ctx.kb.get(actor_id) if ctx.kb is not None else None
    if actor is None and entity is None:
        raise UnknownActorError(f"no actor {actor_id!r} in the store or the knowledge base")
    acts = EventQuery(count=check_count(count), standing=False)
    as_source = ctx.counted_rows(ctx.store.events(dataclasses.replace(acts, source=actor_id)), count, with_reports=True)
    as_target = ctx.counted_rows(ctx.store.events(dataclasses.replace(acts, target=actor_id)), count, with_reports=True)
    mentions = list(ctx.store.mentions(actor_id=actor_id))
    return Profile(
        id=actor_id,
        name=ctx.actor_name(actor_id),
        type=actor.type if actor is not None else (entity.type if entity is not None else None),
        resolved=actor.resolved if actor is not None else True,
        aliases=sorted(set(entity.aliases)) if entity is not None else [],
        roles=_roles(ctx, entity),
        as_source=_root_counts(as_source),
        as_target=_root_counts(as_target),
        partners=_partners(ctx, actor_id, as_source, as_target),
        quotes_by=_quotes_by(ctx, actor_id),
        quotes_about=_quotes_about(ctx, actor_id, {(m.doc_id, m.sentence_index) for m in mentions}),
        designations=_designations(ctx, actor_id),
        status=designation_status(ctx, actor_id),
        documents=sorted({m.doc_id for m in mentions} | {r.doc_id for r in as_source + as_target}),
        events=sort_rows({r.id: r for r in as_source + as_target}.values()),
        count=count,
    )


def _period(period: Period) -> str:
    if not period.start and not period.until:
        return ""
    return f" ({period.start or '?'} to {period.until or 'now'})"


def _roles(ctx: AnalysisContext, entity: KbEntity | None) -> list[str]:
    """The actor's own offices (a person) and the people the KB lists acting for it."""
    if entity is None or ctx.kb is None:
        return []
    lines = [f"{r.role or 'acts'} for {ctx.actor_name(r.actor)}{_period(r.period)}" for r in entity.roles]
    for person in ctx.kb.entities():
        lines.extend(
            f"{person.name}: {r.role or 'acts for it'}{_period(r.period)}" for r in person.roles if r.actor == entity.id
        )
    return lines


def _root_counts(rows: list[EventRow]) -> list[RootCount]:
    counts = Counter(r.root for r in rows)
    asserted = Counter(r.root for r in rows if r.modality == "asserted")
    names = {r.root: r.root_name for r in rows}
    return [
        RootCount(root=root, name=names[root], count=counts[root], asserted=asserted[root]) for root in sorted(counts)
    ]


def _partners(ctx: AnalysisContext, actor_id: str, out_rows: list[EventRow], in_rows: list[EventRow]) -> list[Partner]:
    outgoing = Counter(r.target for r in out_rows if r.target and r.target != actor_id)
    incoming = Counter(r.source for r in in_rows if r.source and r.source != actor_id)
    weights: dict[str, list[float]] = defaultdict(list)
    for row in out_rows + in_rows:
        other = row.target if row.source == actor_id else row.source
        if other and other != actor_id and row.goldstein is not None and row.modality == "asserted":
            weights[other].append(row.goldstein)
    partners = [
        Partner(
            id=other,
            name=ctx.actor_name(other),
            outgoing=outgoing[other],
            incoming=incoming[other],
            mean_goldstein=round(sum(weights[other]) / len(weights[other]), 2) if weights[other] else None,
        )
        for other in set(outgoing) | set(incoming)
    ]
    return sorted(partners, key=lambda p: (-(p.outgoing + p.incoming), p.id))


def _quotes_by(ctx: AnalysisContext, actor_id: str) -> list[QuoteRow]:
    quotes = ctx.store.quotes(speaker_actor=actor_id)
    return [ctx.quote_row(q) for q in sorted(quotes, key=lambda q: (q.doc_id, q.start))]


def _quotes_about(ctx: AnalysisContext, actor_id: str, sentences: set[tuple[str, int]]) -> list[QuoteRow]:
    quotes = [
        q for q in ctx.store.quotes()
        if q.speaker_actor != actor_id and (q.doc_id, q.sentence_index) in sentences
    ]
    return [ctx.quote_row(q) for q in sorted(quotes, key=lambda q: (q.doc_id, q.start))]


def _designations(ctx: AnalysisContext, actor_id: str) -> list[DesignationRow]:
    found = {d.id: d for d in ctx.store.designations(designee=actor_id) + ctx.store.designations(designator=actor_id)}
    rows = [ctx.designation_row(d) for d in found.values()]
    return sorted(rows, key=lambda r: (r.date is None, r.date or "", r.doc_id, r.evidence.start))
