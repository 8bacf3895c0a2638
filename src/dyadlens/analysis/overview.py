"""Corpus overview: documents, actors and the most reported dyads.

Counts real events (one per cluster of reports, ``count="events"``, the default)
or every report (``count="reports"``); standing facts are never counted as acts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext
from dyadlens.model import Event
from dyadlens.store import EventQuery, check_count


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    kind: str | None
    duplicate_of: str | None
    events: int
    quotes: int


@dataclass(frozen=True, slots=True)
class ActorSummary:
    id: str
    name: str
    type: str
    resolved: bool
    events: int
    mentions: int  # in documents that are not duplicates


@dataclass(frozen=True, slots=True)
class DyadSummary:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    events: int
    asserted: int
    mean_goldstein: float | None


@dataclass(frozen=True, slots=True)
class Overview:
    documents: list[DocumentSummary]
    actors: list[ActorSummary]
    dyads: list[DyadSummary]
    totals: dict[str, int]
    count: str = "events"  # what the event counts count: events | reports


def corpus_overview(ctx: AnalysisContext, top: int = 20, count: str = "events") -> Overview:
    events = ctx.store.events(EventQuery(count=check_count(count), standing=False))
    documents = [
        DocumentSummary(
            id=d.id, title=d.title, outlet=d.outlet, published=d.published, kind=d.kind,
            duplicate_of=d.duplicate_of, events=d.events, quotes=d.quotes,
        )
        for d in ctx.store.documents(count=count)
    ]
    documents.sort(key=lambda d: (d.published is None, d.published or "", d.id))
    involvement = Counter(a for e in events for a in {e.source, e.target} if a)
    duplicates = {d.id for d in documents if d.duplicate_of is not None}
    mentioned = Counter(m.actor_id for m in ctx.store.mentions() if m.actor_id and m.doc_id not in duplicates)
    actors = [
        ActorSummary(id=a.id, name=a.name, type=a.type, resolved=a.resolved, events=involvement[a.id],
                     mentions=mentioned[a.id])
        for a in ctx.store.actors()
    ]
    actors.sort(key=lambda a: (-a.events, -a.mentions, a.name))
    totals = {
        "documents": len(documents),
        "actors": len(actors),
        "events": len(events),
        "quotes": sum(d.quotes for d in documents if d.duplicate_of is None),
        "designations": len(list(ctx.store.designations())),
    }
    return Overview(documents=documents, actors=actors, dyads=_top_dyads(ctx, events, top), totals=totals,
                    count=count)


def _top_dyads(ctx: AnalysisContext, events: list[Event], top: int) -> list[DyadSummary]:
    grouped: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.source and event.target and event.source != event.target:
            pair = sorted((event.source, event.target))
            grouped[(pair[0], pair[1])].append(event)
    dyads = [_dyad(ctx, pair, members) for pair, members in grouped.items()]
    dyads.sort(key=lambda d: (-d.events, d.a, d.b))
    return dyads[:top]


def _dyad(ctx: AnalysisContext, pair: tuple[str, str], events: list[Event]) -> DyadSummary:
    weights = [info.goldstein for e in events if e.modality == "asserted" and (info := ctx.code(e.code)) is not None]
    return DyadSummary(
        a=pair[0], a_name=ctx.actor_name(pair[0]), b=pair[1], b_name=ctx.actor_name(pair[1]),
        events=len(events), asserted=sum(1 for e in events if e.modality == "asserted"),
        mean_goldstein=round(sum(weights) / len(weights), 2) if weights else None,
    )
