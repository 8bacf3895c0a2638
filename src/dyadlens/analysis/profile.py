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
designations and documents the first ``LISTED`` of each, with their totals. Every read that grows with the
store is bounded (:mod:`actor_reads`): totals from the summaries or counted up to a bound (``more_than``),
a busy actor's lists read in their own order a month or a slice of documents at a time.

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

from sqlalchemy import and_, case, exists, func, literal, select

from dyadlens.analysis import actor_reads
from dyadlens.analysis.actor_reads import Bounded
from dyadlens.analysis.actor_status import designation_status
from dyadlens.analysis.actors import UnknownActorError, person_names, seldom
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
from dyadlens.analysis.person_side import PersonSide, person_side
from dyadlens.analysis.person_side import person_names as side_names
from dyadlens.analysis.shown_rows import designation_rows, quote_rows
from dyadlens.analysis.status import StatusEntry
from dyadlens.model import ActorRef, Mention
from dyadlens.store import EventQuery, check_count, schema
from dyadlens.store.summaries import SummaryTally, Tally, serves, tally

if TYPE_CHECKING:
    from dyadlens.kb.entities import KbEntity
    from dyadlens.kb.periods import Period

#: Characters of text shown on either side of a mention.
CONTEXT_CHARS = 60
#: Quotes (by, about), designations, documents and partners a profile lists: the first of each.
LISTED = 50
#: Mentions in context on one page of the actor page.
MENTIONS_PAGE = 10


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
class Summary:
    """What the actor page opens on: what the actor is and how much the corpus says about it. A count
    named in ``more_than`` was counted up to its value (``actor_reads.COUNTED``): there are more."""

    kind: str  # "person", "state", "unresolved name"...
    events: int
    quotes_by: int
    quotes_about: int
    partners: int
    mentions: int
    documents: int
    more_than: list[str] = field(default_factory=list)


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
    documents_total: int = 0  # at most actor_reads.COUNTED: the summary says when there are more
    summary: Summary | None = None
    person: PersonSide | None = None  # a person's page: offices, events in role, quotes by speaker name
    mentions: list[MentionInContext] = field(default_factory=list)  # one page, in sentence context
    mentions_window: Window | None = None


def actor_profile(ctx: AnalysisContext, actor_id: str, count: str = "events", limit: int | None = PAGE_SIZE,
                  offset: int = 0, mentions_offset: int = 0) -> Profile:
    """What the corpus says ``actor_id`` did and said, with who it is in the KB: ``limit`` events from ``offset``,
    ``MENTIONS_PAGE`` mentions in context from ``mentions_offset``. A person (KB or found through a title)
    adds its offices and affiliations, the events it took part in and its quotes (:mod:`person_side`)."""
    check_window(limit, offset)
    check_window(MENTIONS_PAGE, mentions_offset)
    entity = ctx.kb.get(actor_id) if ctx.kb is not None else None
    actor = _stored_actor(ctx, actor_id, entity is not None)
    titled = person_names(ctx.store).get(actor_id) if actor is None and entity is None else None
    if actor is None and entity is None and titled is None:
        raise UnknownActorError(f"no actor {actor_id!r} in the store or the knowledge base")
    kind = actor.type if actor is not None else (entity.type if entity is not None else "person")
    person = None
    if kind == "person":
        stored_name = titled or (actor.name if actor is not None else None)
        person = person_side(ctx, actor_id, entity, side_names(entity, stored_name), LISTED)
    by_person = actor is None  # a person the mentions name while resolving to whom it acts for
    dense = actor_reads.density(ctx, actor_id, count)
    # a sparse actor's clusters are few: listed through the indexes (PostgreSQL would otherwise scan them all)
    acts = EventQuery(actor=actor_id, count=check_count(count), standing=False, sides_by_index=not dense.acts)
    shown = actor_reads.shown_acts(ctx, acts, limit, offset) if dense.acts and limit is not None else \
        ctx.store.shown_events(acts, limit=limit, offset=offset)
    named = _named(ctx, actor_id, by_person)
    documents = actor_reads.document_total(ctx, acts, named, dense)
    mentions, mentions_window = mentions_in_context(ctx, actor_id, by_person, MENTIONS_PAGE, mentions_offset,
                                                    dense=dense.mentions)
    profile = Profile(
        id=actor_id,
        name=titled or ctx.actor_name(actor_id),
        type=kind,
        resolved=actor.resolved if actor is not None else titled is None,
        aliases=sorted(set(entity.aliases)) if entity is not None else [],
        roles=_roles(ctx, entity),
        as_source=_root_counts(ctx, dataclasses.replace(acts, actor=None, source=actor_id)),
        as_target=_root_counts(ctx, dataclasses.replace(acts, actor=None, target=actor_id)),
        partners=_partners(ctx, actor_id, acts),
        quotes_by=_quotes(ctx, dense.quotes, schema.quotes.c.speaker_actor == actor_id),
        quotes_about=_quotes(ctx, dense.mentions, *_about(actor_id, dense.mentions)),
        designations=designation_rows(ctx, schema.designations.c.id.in_(actor_reads.designation_ids(
            ctx, actor_id, LISTED)), limit=LISTED),
        status=designation_status(ctx, actor_id),
        documents=actor_reads.document_ids(ctx, acts, named, dense, LISTED),
        events=ctx.shown_rows(shown, count, with_reports=True),
        count=count,
        events_window=Window(offset, limit, _event_total(ctx, tally(acts))),
        documents_total=documents.n,
        person=person,
        mentions=mentions,
        mentions_window=mentions_window,
    )
    return dataclasses.replace(profile, summary=_summary(ctx, profile, acts, documents, dense))


def _stored_actor(ctx: AnalysisContext, actor_id: str, in_kb: bool) -> ActorRef | None:
    """The actor as the store names it (None: it does not): for an actor the KB knows, its KB entry (what the
    store's snapshots are written from) once one indexed probe finds a snapshot, and its name is loaded with
    it; else the latest snapshot, a look-up through every document naming it (Russia: seconds at 200k
    documents; rare for the actors the KB lacks)."""
    if not in_kb or ctx.kb is None:
        return ctx.store.actor(actor_id)
    named = ctx.store.read(select(literal(1)).where(schema.actors.c.id == actor_id).limit(1))
    ctx.load_names((actor_id,))
    return ctx.kb.ref(actor_id) if named else None


def _summary(ctx: AnalysisContext, profile: Profile, acts: EventQuery, documents: Bounded,
             dense: actor_reads.Density) -> Summary:
    """The counts the page opens on; a person's events and quotes are those of :mod:`person_side`. The
    quotes and documents are counted up to ``actor_reads.COUNTED``."""
    q = schema.quotes
    person = profile.person
    kind = profile.type or "actor"
    quotes_by = Bounded(person.quotes_total) if person is not None else \
        _quote_total(ctx, q.c.speaker_actor == profile.id)
    quotes_about = _quote_total(ctx, *_about(profile.id, dense.mentions), bound=actor_reads.QUOTES_COUNTED)
    bounded = {"quotes_by": quotes_by, "quotes_about": quotes_about, "documents": documents}
    return Summary(
        kind=kind if profile.resolved else f"unresolved name ({kind})",
        events=person.events_total if person is not None else _total(profile.events_window),
        quotes_by=quotes_by.n,
        quotes_about=quotes_about.n,
        partners=_partner_total(ctx, profile.id, acts),
        mentions=_total(profile.mentions_window),
        documents=documents.n,
        more_than=[name for name, found in bounded.items() if found.more],
    )


def _total(window: Window | None) -> int:
    return window.total if window is not None else 0


def _quote_total(ctx: AnalysisContext, *where: Any, bound: int | None = None) -> Bounded:
    """The quotes of original documents matching ``where``, counted up to ``bound``. The duplicates are
    left out as a set (few, by the index on ``duplicate_of``): joined to the documents, SQLite first builds
    a filter of every original document (0.8 s at 770k documents) to count a thousand quotes. The duplicates
    are read through their own index, which SQLite's planner otherwise passes over for a scan of every
    document's head (0.05 s a count at 770k documents)."""
    q, d = schema.quotes, schema.documents
    duplicates = select(d.c.id).where(seldom(ctx.store, d.c.duplicate_of.is_not(None)))
    found = select(q.c.id).where(q.c.doc_id.not_in(duplicates), *where)
    return actor_reads.bounded_count(ctx, found, bound)


def _quotes(ctx: AnalysisContext, many: bool, *where: Any) -> list[QuoteRow]:
    """The first ``LISTED`` quotes matching ``where`` by document and offset: sorted, or, when they are
    ``many``, read in that order (:func:`actor_reads.walk_quotes`)."""
    if many:
        return actor_reads.walk_quotes(ctx, *where, limit=LISTED)
    return quote_rows(ctx, *where, order=_QUOTE_ORDER, limit=LISTED)


def _event_total(ctx: AnalysisContext, counted: Tally) -> int:
    """The actor's acts (``counted``: its ``EventQuery``'s tally): one row of ``summary_actors`` where the
    summaries serve, else counted."""
    acts = counted.query
    if isinstance(counted, SummaryTally) and _all_acts(acts):
        assert acts.actor is not None
        return actor_reads.involved_total(ctx, acts.actor, acts.count)
    found = select(func.coalesce(counted.count(), 0)).select_from(counted.source).where(*counted.conditions())
    return int(ctx.store.read(found)[0][0])


def _all_acts(acts: EventQuery) -> bool:
    """Whether ``acts`` asks for every act of one actor (what ``summary_actors`` and ``summary_dyads`` count)."""
    return acts.actor is not None and acts == EventQuery(actor=acts.actor, count=acts.count, standing=False)


def _partner_total(ctx: AnalysisContext, actor_id: str, acts: EventQuery) -> int:
    if serves(acts) and _all_acts(acts):
        return actor_reads.partner_total(ctx, actor_id, acts.count)
    counted = tally(acts)
    source, target = counted.column("source"), counted.column("target")
    other = case((source == actor_id, target), else_=source)
    partners = (select(other.label("other")).select_from(counted.source)
                .where(*counted.conditions(), other.is_not(None), other != actor_id).distinct().subquery())
    return int(ctx.store.read(select(func.count()).select_from(partners))[0][0])


def _mentioned_in_quote(actor_id: str) -> Any:
    q, m = schema.quotes, schema.mentions
    return exists().where(m.c.doc_id == q.c.doc_id, m.c.sentence_index == q.c.sentence_index, m.c.actor_id == actor_id)


def _named(ctx: AnalysisContext, actor_id: str, is_person: bool) -> Any:
    """The mentions of the actor (a person: of the person, whoever they acted for, through the person index
    whatever the statistics say)."""
    m = schema.mentions
    return seldom(ctx.store, m.c.person == actor_id) if is_person else m.c.actor_id == actor_id


def mentions_in_context(ctx: AnalysisContext, actor_id: str, is_person: bool, limit: int,
                        offset: int, *, dense: bool = False) -> tuple[list[MentionInContext], Window]:
    """One page of the actor's (a person's: the person's) mentions in non-duplicate documents, each in its
    sentence (without one: the name alone), by publication date, document and offset, with the true total
    (an actor's kept in ``summary_actors``: counting Russia's mentions reads hundreds of thousands of rows).
    A ``dense`` actor's page is read a month of documents at a time (:mod:`actor_reads`)."""
    m, d, s = schema.mentions, schema.documents, schema.sentences
    where = [_named(ctx, actor_id, is_person), d.c.duplicate_of.is_(None)]
    base = m.join(d, d.c.id == m.c.doc_id)
    total = _mention_total(ctx, actor_id) if not is_person else \
        int(ctx.store.read(select(func.count()).select_from(base).where(*where))[0][0])
    sentence = and_(s.c.doc_id == m.c.doc_id, s.c.index == m.c.sentence_index)
    first, last = func.coalesce(s.c.start, m.c.start), func.coalesce(s.c.end, m.c.end)

    def page(*among: Any) -> Any:
        return (select(m, d.c.published, _text_between(first, m.c.start).label("before"),
                       _text_between(m.c.start, m.c.end).label("text"), _text_between(m.c.end, last).label("after"))
                .select_from(base.outerjoin(s, sentence)).where(*where, *among)
                .order_by(d.c.published.is_(None), d.c.published, m.c.doc_id, m.c.start))

    rows = actor_reads.walk_mentions(ctx, where[0], page, limit, offset) if dense else \
        ctx.store.read(page().limit(limit).offset(offset or None))
    shown = [MentionInContext(row.doc_id, row.published, row.start, row.end, row.text or "",
                              _one_line(row.before or ""), _one_line(row.after or ""), row.rule, row.person)
             for row in rows]
    return shown, Window(offset, limit, total)


def _mention_total(ctx: AnalysisContext, actor_id: str) -> int:
    """The actor's mentions in original documents, as ``summary_actors`` keeps them (0 without a row)."""
    kept = schema.summary_actors.c
    found = ctx.store.read(select(kept.mentions).where(kept.actor == actor_id))
    return int(found[0][0]) if found else 0


def _text_between(start: Any, end: Any) -> Any:
    """The document's text from ``start`` to ``end`` (offsets), cut in SQL: a page of mentions is one query."""
    return func.substr(schema.documents.c.text, start + 1, end - start)


_QUOTE_ORDER = [schema.quotes.c.doc_id, schema.quotes.c.start]


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
    counted = tally(acts)
    root = counted.column("root")
    asserted = func.sum(case((counted.column("modality") == "asserted", counted.weight), else_=0))
    found = (select(root.label("root"), counted.count().label("events"), asserted.label("asserted"))
             .select_from(counted.source).where(*counted.conditions()).group_by(root).order_by(root))
    return [RootCount(root=row.root, name=_root_name(ctx, row.root), count=int(row.events),
                      asserted=int(row.asserted)) for row in ctx.store.read(found)]


def _root_name(ctx: AnalysisContext, root: str) -> str:
    info = ctx.code(root)
    return info.name if info is not None else root


def _partners(ctx: AnalysisContext, actor_id: str, acts: EventQuery) -> list[Partner]:
    """The actors on the other side of the actor's events, most events first (one ``GROUP BY``), each
    weighed from its asserted events by code (one more). From the summaries, see :func:`_summed_partners`."""
    counted = tally(acts)
    source, target, weight = counted.column("source"), counted.column("target"), counted.weight
    other = case((source == actor_id, target), else_=source)
    where = [*counted.conditions(), other.is_not(None), other != actor_id]
    if isinstance(counted, SummaryTally) and _all_acts(acts):
        return _summed_partners(ctx, actor_id, counted)
    found = (
        select(other.label("other"),
               func.sum(case((source == actor_id, weight), else_=0)).label("outgoing"),
               func.sum(case((target == actor_id, weight), else_=0)).label("incoming"))
        .select_from(counted.source).where(*where).group_by(other).order_by(counted.count().desc(), other)
        .limit(LISTED)
    )
    rows = ctx.store.read(found)
    code = counted.column("code")
    by_code = (select(other.label("other"), code.label("code"), counted.count().label("n"))
               .select_from(counted.source)
               .where(*where, counted.column("modality") == "asserted", other.in_([row.other for row in rows]))
               .group_by(other, code))
    codes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in ctx.store.read(by_code) if rows else []:
        codes[row.other].append((row.code, int(row.n)))
    sides = {row.other: (int(row.outgoing), int(row.incoming)) for row in rows}
    return _partner_rows(ctx, sides, codes)


def _summed_partners(ctx: AnalysisContext, actor_id: str, counted: SummaryTally) -> list[Partner]:
    """The partners ``summary_dyads`` ranks first, each from its own summary rows (by code: both directions
    and the asserted ones), read side by side (:func:`actor_reads.partner_codes`)."""
    acts = counted.query
    ranked = actor_reads.top_partners(ctx, actor_id, acts.count, LISTED)
    sides = {partner: (0, 0) for partner in ranked}
    codes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    found = actor_reads.partner_codes(ctx, counted.table, actor_id, acts.count, ranked) if ranked else {}
    for (partner, code), (outgoing, incoming, asserted) in sorted(found.items()):
        before = sides[partner]
        sides[partner] = (before[0] + outgoing, before[1] + incoming)
        if asserted:
            codes[partner].append((code, asserted))
    return _partner_rows(ctx, sides, codes)


def _partner_rows(ctx: AnalysisContext, sides: dict[str, tuple[int, int]],
                  codes: dict[str, list[tuple[str, int]]]) -> list[Partner]:
    """The partners in the order of ``sides`` (their events from and to the actor)."""
    ctx.load_names(sides)
    return [Partner(id=partner, name=ctx.actor_name(partner), outgoing=outgoing, incoming=incoming,
                    mean_goldstein=weigh(ctx.ontology, codes[partner]).mean_goldstein)
            for partner, (outgoing, incoming) in sides.items()]


def _about(actor_id: str, dense: bool) -> list[Any]:
    """Quotes in a sentence that mentions the actor, not spoken for it. A sparse actor's are found from its
    mentions' documents (an index seek each), a dense actor's by reading the quotes in their order."""
    q, m = schema.quotes, schema.mentions.alias("mentioning")
    about = [_mentioned_in_quote(actor_id), q.c.speaker_actor.is_distinct_from(actor_id)]
    return about if dense else [*about, q.c.doc_id.in_(select(m.c.doc_id).where(m.c.actor_id == actor_id))]
