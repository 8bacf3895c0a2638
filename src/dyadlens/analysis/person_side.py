"""What a person page adds to an actor profile: whom the person acted for over time, the events they
took part in and in which role, and what they said.

A person is never a side of an event: the event coder puts the actor the person acts for on the
document's date there (Kabulov's words make events of Russia). So a person's events are the events of
a sentence that names the person (a mention whose ``person`` is the id) in which the actor the mention
resolved to is the source or the target; the role says which, and for whom. Their quotes are those
whose speaker, as written, is the person's name, one of its aliases or its surname.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from dyadlens.analysis.actors import seldom
from dyadlens.analysis.common import AnalysisContext, EventRow, QuoteRow
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.model import Event
from dyadlens.store import EventQuery, schema
from dyadlens.store.codec import record_from_row
from dyadlens.store.queries import joined

if TYPE_CHECKING:
    from dyadlens.kb.entities import KbEntity

E, M, D, Q = schema.events, schema.mentions, schema.documents, schema.quotes


@dataclass(frozen=True, slots=True)
class Affiliation:
    """An actor the person acted for: from the KB (an office with its period) or from the corpus (the
    first and last publication dates of the documents whose mentions of the person resolved to it)."""

    actor: str
    actor_name: str | None
    role: str | None
    first: str | None
    last: str | None
    mentions: int  # 0 for a KB office
    source: str  # kb | corpus


@dataclass(frozen=True, slots=True)
class PersonEvent:
    role: str  # source | target
    acting_for: str
    acting_for_name: str | None
    event: EventRow


@dataclass(frozen=True, slots=True)
class PersonSide:
    affiliations: list[Affiliation]
    events: list[PersonEvent]  # the first ``limit``, by date
    events_total: int
    quotes: list[QuoteRow]  # the first ``limit``, by document and offset
    quotes_total: int


def person_side(ctx: AnalysisContext, person_id: str, entity: KbEntity | None, names: list[str],
                limit: int) -> PersonSide:
    """The person page's part for ``person_id`` (``names``: the names its quotes' speakers may carry)."""
    spoken = _spoken_by(ctx, names)
    events, events_total = _events_in_role(ctx, person_id, limit)
    return PersonSide(
        affiliations=_kb_offices(ctx, entity) + _corpus_affiliations(ctx, person_id),
        events=events,
        events_total=events_total,
        quotes=quote_rows(ctx, spoken, order=[Q.c.doc_id, Q.c.start], limit=limit),
        quotes_total=_count(ctx, select(func.count()).select_from(Q.join(D, D.c.id == Q.c.doc_id))
                            .where(D.c.duplicate_of.is_(None), spoken)),
    )


def person_names(entity: KbEntity | None, stored_name: str | None) -> list[str]:
    """The names a speaker field may give the person: the KB name and aliases, else the stored name."""
    if entity is not None:
        return [entity.name, *entity.aliases]
    return [stored_name] if stored_name else []


def _spoken_by(ctx: AnalysisContext, names: list[str]) -> ColumnElement[bool]:
    """Quotes whose speaker, as written, is one of ``names`` or ends with the surname of one (any case).

    The speakers are matched among the store's distinct speakers (read from the index on
    ``quotes.speaker``, not the quotes), so the quotes are then found through that index: a suffix
    ("% Lavrov") matched in SQL would read every quote."""
    matching = _matching(_speakers(ctx), names)
    return Q.c.speaker.in_(matching) if matching else false()


def quote_counts(ctx: AnalysisContext, names_by_person: dict[str, list[str]]) -> dict[str, int]:
    """Each person's quotes as its page counts them (documents that duplicate none), for a listing's
    persons: one read of the distinct speakers and one count by speaker, whatever the number of persons."""
    speakers = _speakers(ctx)
    matching = {person: _matching(speakers, names) for person, names in names_by_person.items()}
    wanted = sorted({speaker for spoken in matching.values() for speaker in spoken})
    by_speaker: dict[str, int] = {}
    if wanted:
        counted = (select(Q.c.speaker, func.count()).select_from(Q.join(D, D.c.id == Q.c.doc_id))
                   .where(D.c.duplicate_of.is_(None), Q.c.speaker.in_(wanted)).group_by(Q.c.speaker))
        by_speaker = {str(speaker): int(n) for speaker, n in ctx.store.read(counted)}
    return {person: sum(by_speaker.get(s, 0) for s in spoken) for person, spoken in matching.items()}


def _speakers(ctx: AnalysisContext) -> list[str]:
    """The store's distinct speakers, from the index on ``quotes.speaker``."""
    return [row[0] for row in ctx.store.read(select(Q.c.speaker).where(Q.c.speaker.is_not(None)).distinct())]


def _matching(speakers: list[str], names: list[str]) -> list[str]:
    folded = {n.casefold() for n in names}
    surnames = tuple(f" {n.split()[-1].casefold()}" for n in names if len(n.split()) > 1)
    return sorted(s for s in speakers if _named(s.casefold(), folded, surnames))


def _named(speaker: str, names: set[str], surnames: tuple[str, ...]) -> bool:
    return speaker in names or any(speaker.endswith(surname) for surname in surnames)


def _kb_offices(ctx: AnalysisContext, entity: KbEntity | None) -> list[Affiliation]:
    if entity is None:
        return []
    ctx.load_names(r.actor for r in entity.roles)  # the KB's names, not a look-up through the store
    return [Affiliation(r.actor, ctx.actor_name(r.actor), r.role, r.period.start, r.period.until, 0, "kb")
            for r in entity.roles]


def _corpus_affiliations(ctx: AnalysisContext, person_id: str) -> list[Affiliation]:
    found = (
        select(M.c.actor_id, func.min(D.c.published).label("first"), func.max(D.c.published).label("last"),
               func.count().label("n"))
        .select_from(M.join(D, D.c.id == M.c.doc_id))
        .where(seldom(ctx.store, M.c.person == person_id), M.c.actor_id.is_not(None), D.c.duplicate_of.is_(None))
        .group_by(M.c.actor_id).order_by(func.min(D.c.published), M.c.actor_id)
    )
    rows = ctx.store.read(found)
    ctx.load_names(row.actor_id for row in rows)
    return [Affiliation(row.actor_id, ctx.actor_name(row.actor_id), None, row.first, row.last, int(row.n), "corpus")
            for row in rows]


def _in_role(ctx: AnalysisContext, person_id: str) -> list[ColumnElement[bool]]:
    return [
        M.c.doc_id == E.c.doc_id,
        M.c.sentence_index == E.c.sentence_index,
        seldom(ctx.store, M.c.person == person_id),
        or_(M.c.actor_id == E.c.source, M.c.actor_id == E.c.target),
    ]


def _naming(ctx: AnalysisContext, person_id: str) -> ColumnElement[bool]:
    """Events of the documents that name the person: what lets the person's mentions drive the read
    (through the index on ``mentions.person``, whatever the statistics say) rather than every event of the store."""
    named = M.alias("naming")
    return E.c.doc_id.in_(select(named.c.doc_id).where(seldom(ctx.store, named.c.person == person_id)))


def _events_in_role(ctx: AnalysisContext, person_id: str, limit: int) -> tuple[list[PersonEvent], int]:
    """The reports of the sentences where the person acts (standing facts left out), by date, and their number."""
    where = [*EventQuery(count="reports", standing=False).conditions(), _naming(ctx, person_id)]
    pairs = (select(E.c.id.label("event_id"), M.c.actor_id.label("acting_for"))
             .select_from(joined().join(M, and_(*_in_role(ctx, person_id)))).where(*where).distinct().subquery())
    found = (select(E, pairs.c.acting_for).join_from(E, pairs, E.c.id == pairs.c.event_id)
             .order_by(E.c.date.is_(None), E.c.date, E.c.doc_id, E.c.start, pairs.c.acting_for))
    rows = ctx.store.read(found.limit(limit))
    total = _count(ctx, select(func.count()).select_from(pairs))
    ctx.load_names(row.acting_for for row in rows)
    return [_person_event(ctx, row._mapping) for row in rows], total


def _person_event(ctx: AnalysisContext, row: Any) -> PersonEvent:
    event = record_from_row(Event, row)
    role = "source" if event.source == row["acting_for"] else "target"
    return PersonEvent(role, row["acting_for"], ctx.actor_name(row["acting_for"]), ctx.event_row(event))


def _count(ctx: AnalysisContext, statement: Any) -> int:
    return int(ctx.store.read(statement)[0][0])
