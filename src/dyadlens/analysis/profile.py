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
The counts and partners are ``GROUP BY`` queries; the events are one page
(``limit``, ``offset``, the true total in ``events_window``) and the quotes,
designations and documents the first ``LISTED`` of each, with their totals.

Both take an actor id: resolve what the user typed first
(:meth:`AnalysisContext.resolve_actor`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, exists, func, or_, select, union

from dyadlens.analysis.actors import UnknownActorError
from dyadlens.analysis.common import (
    PAGE_SIZE,
    AnalysisContext,
    DesignationRow,
    EventRow,
    QuoteRow,
    Window,
    check_window,
    weigh,
)
from dyadlens.analysis.shown_rows import designation_rows, quote_rows
from dyadlens.analysis.status import StatusEntry, designation_status
from dyadlens.model import Mention
from dyadlens.store import EventQuery, check_count, schema
from dyadlens.store.queries import joined

if TYPE_CHECKING:
    from dyadlens.kb.entities import KbEntity
    from dyadlens.kb.periods import Period

#: Characters of text shown on either side of a mention.
CONTEXT_CHARS = 60
#: Quotes (by, about), designations, documents and partners a profile lists: the first of each.
LISTED = 50


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
    partners: list[Partner]  # the LISTED with the most events
    quotes_by: list[QuoteRow]  # the first LISTED, by document and offset
    quotes_about: list[QuoteRow]
    designations: list[DesignationRow]
    status: list[StatusEntry]
    documents: list[str]  # the first LISTED ids
    events: list[EventRow]  # one page, by date
    count: str = "events"  # what the event counts count: events | reports
    events_window: Window | None = None
    documents_total: int = 0


def actor_profile(ctx: AnalysisContext, actor_id: str, count: str = "events", limit: int | None = PAGE_SIZE,
                  offset: int = 0) -> Profile:
    """What the corpus says ``actor_id`` did and said, with who it is in the KB: ``limit`` events from ``offset``."""
    check_window(limit, offset)
    actor = ctx.store.actor(actor_id)
    entity = ctx.kb.get(actor_id) if ctx.kb is not None else None
    if actor is None and entity is None:
        raise UnknownActorError(f"no actor {actor_id!r} in the store or the knowledge base")
    acts = EventQuery(actor=actor_id, count=check_count(count), standing=False)
    shown = ctx.store.shown_events(acts, limit=limit, offset=offset)
    documents = _documents(acts, actor_id)
    return Profile(
        id=actor_id,
        name=ctx.actor_name(actor_id),
        type=actor.type if actor is not None else (entity.type if entity is not None else None),
        resolved=actor.resolved if actor is not None else True,
        aliases=sorted(set(entity.aliases)) if entity is not None else [],
        roles=_roles(ctx, entity),
        as_source=_root_counts(ctx, dataclasses.replace(acts, actor=None, source=actor_id)),
        as_target=_root_counts(ctx, dataclasses.replace(acts, actor=None, target=actor_id)),
        partners=_partners(ctx, actor_id, acts),
        quotes_by=quote_rows(ctx, schema.quotes.c.speaker_actor == actor_id, order=_QUOTE_ORDER, limit=LISTED),
        quotes_about=_quotes_about(ctx, actor_id),
        designations=designation_rows(ctx, or_(schema.designations.c.designee == actor_id,
                                               schema.designations.c.designator == actor_id), limit=LISTED),
        status=designation_status(ctx, actor_id),
        documents=[row[0] for row in ctx.store.read(select(documents.c.id).order_by(documents.c.id).limit(LISTED))],
        events=ctx.shown_rows(shown, count, with_reports=True),
        count=count,
        events_window=Window(offset, limit, ctx.store.count_events(acts)),
        documents_total=int(ctx.store.read(select(func.count()).select_from(documents))[0][0]),
    )


_QUOTE_ORDER = [schema.quotes.c.doc_id, schema.quotes.c.start]


def _documents(acts: EventQuery, actor_id: str) -> Any:
    """The documents that mention the actor or report its events, as a subquery of ids."""
    mentions = schema.mentions
    mentioning = select(mentions.c.doc_id.label("id")).where(mentions.c.actor_id == actor_id)
    reporting = select(schema.events.c.doc_id.label("id")).select_from(joined()).where(*acts.conditions())
    return union(mentioning, reporting).subquery()


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


def _root_counts(ctx: AnalysisContext, acts: EventQuery) -> list[RootCount]:
    root = acts.column("root")
    asserted = func.sum(case((acts.column("modality") == "asserted", 1), else_=0))
    found = (select(root.label("root"), func.count().label("events"), asserted.label("asserted"))
             .select_from(joined()).where(*acts.conditions()).group_by(root).order_by(root))
    return [RootCount(root=row.root, name=_root_name(ctx, row.root), count=int(row.events),
                      asserted=int(row.asserted)) for row in ctx.store.read(found)]


def _root_name(ctx: AnalysisContext, root: str) -> str:
    info = ctx.code(root)
    return info.name if info is not None else root


def _partners(ctx: AnalysisContext, actor_id: str, acts: EventQuery) -> list[Partner]:
    """The actors on the other side of the actor's events, most events first (one ``GROUP BY``), each
    weighed from its asserted events by code (one more)."""
    source, target = acts.column("source"), acts.column("target")
    other = case((source == actor_id, target), else_=source)
    where = [*acts.conditions(), other.is_not(None), other != actor_id]
    found = (
        select(other.label("other"),
               func.sum(case((source == actor_id, 1), else_=0)).label("outgoing"),
               func.sum(case((target == actor_id, 1), else_=0)).label("incoming"))
        .select_from(joined()).where(*where).group_by(other).order_by(func.count().desc(), other).limit(LISTED)
    )
    rows = ctx.store.read(found)
    code = acts.column("code")
    by_code = (select(other.label("other"), code.label("code"), func.count().label("n")).select_from(joined())
               .where(*where, acts.column("modality") == "asserted", other.in_([row.other for row in rows]))
               .group_by(other, code))
    codes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in ctx.store.read(by_code) if rows else []:
        codes[row.other].append((row.code, int(row.n)))
    ctx.load_names(row.other for row in rows)
    return [
        Partner(id=row.other, name=ctx.actor_name(row.other), outgoing=int(row.outgoing), incoming=int(row.incoming),
                mean_goldstein=weigh(ctx.ontology, codes[row.other]).mean_goldstein)
        for row in rows
    ]


def _quotes_about(ctx: AnalysisContext, actor_id: str) -> list[QuoteRow]:
    """Quotes in a sentence that mentions the actor, not spoken for it."""
    q, m = schema.quotes, schema.mentions
    mentioned = exists().where(m.c.doc_id == q.c.doc_id, m.c.sentence_index == q.c.sentence_index,
                               m.c.actor_id == actor_id)
    return quote_rows(ctx, mentioned, q.c.speaker_actor.is_distinct_from(actor_id), order=_QUOTE_ORDER, limit=LISTED)
