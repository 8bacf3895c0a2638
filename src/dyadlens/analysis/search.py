"""Full-text search over sentences, filtered by actor, period and document.

The store's FTS index finds the sentences; the filters are applied here:
``actor`` keeps sentences where that actor is mentioned, ``since``/``until``
compare with the document's publication date (undated documents are dropped
when a period is given), ``doc_id`` keeps one document. The hits' documents
(their heads, never their text: the index holds each sentence's words) and the
actors mentioned in the hit sentences are read in one statement each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, select

from dyadlens.analysis.common import AnalysisContext, Evidence
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import check_date, overlaps
from dyadlens.store import HIGHLIGHT_END, HIGHLIGHT_START, schema

if TYPE_CHECKING:
    from dyadlens.store import SearchHit

#: How many raw hits to ask the index for per requested result when filtering.
_OVERFETCH = 20


@dataclass(frozen=True, slots=True)
class SearchResult:
    doc_id: str
    doc_title: str | None
    outlet: str | None
    published: str | None
    evidence: Evidence
    actors: list[str]  # ids of the actors mentioned in the sentence
    actor_names: list[str]  # their names, in the same order
    score: float  # the index's relevance, higher is better
    matches: list[tuple[int, int]]  # spans of the matched words, relative to the sentence
    duplicate_of: str | None = None  # the document repeats this earlier one (its hits repeat too)


@dataclass(frozen=True, slots=True)
class SearchView:
    query: str
    actor: str | None
    since: str | None
    until: str | None
    doc_id: str | None
    results: list[SearchResult]


def search_sentences(
    ctx: AnalysisContext,
    query: str,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    doc_id: str | None = None,
    limit: int = 50,
) -> SearchView:
    if not query.strip():
        raise DyadlensError("empty search query")
    since, until = check_date(since, "since"), check_date(until, "until")
    if doc_id is not None:
        ctx.require_document(doc_id)
    filtered = actor is not None or since is not None or until is not None or doc_id is not None
    hits = ctx.store.search(query, limit=limit * _OVERFETCH if filtered else limit)
    heads = _heads(ctx, {hit.doc_id for hit in hits})
    mentioned = _mentioned(ctx, hits)
    ctx.load_names(actor for actors in mentioned.values() for actor in actors)
    results = []
    for hit in hits:
        result = _result(ctx, hit, heads.get(hit.doc_id), mentioned.get(hit.sentence.id, []))
        if _keep(ctx, result, actor, since, until, doc_id):
            results.append(result)
        if len(results) >= limit:
            break
    return SearchView(query=query, actor=actor, since=since, until=until, doc_id=doc_id, results=results)


def _heads(ctx: AnalysisContext, doc_ids: set[str]) -> dict[str, Any]:
    d = schema.documents
    found = select(d.c.id, d.c.title, d.c.outlet, d.c.published, d.c.duplicate_of).where(d.c.id.in_(sorted(doc_ids)))
    return {row.id: row for row in ctx.store.read(found)} if doc_ids else {}


def _mentioned(ctx: AnalysisContext, hits: list[SearchHit]) -> dict[str, list[str]]:
    """The actors mentioned in each hit's sentence (by sentence id), sorted."""
    if not hits:
        return {}
    m, s = schema.mentions, schema.sentences
    inside = and_(m.c.doc_id == s.c.doc_id, m.c.start >= s.c.start, m.c.start < s.c.end)
    found = (select(s.c.id, m.c.actor_id).distinct().select_from(s.join(m, inside))
             .where(s.c.id.in_([hit.sentence.id for hit in hits]), m.c.actor_id.is_not(None)))
    mentioned: dict[str, list[str]] = {}
    for row in ctx.store.read(found.order_by(s.c.id, m.c.actor_id)):
        mentioned.setdefault(row.id, []).append(row.actor_id)
    return mentioned


def _result(ctx: AnalysisContext, hit: SearchHit, document: Any, mentioned: list[str]) -> SearchResult:
    sentence = hit.sentence
    evidence = Evidence(hit.doc_id, sentence.start, sentence.end, hit.text, sentence.index)
    return SearchResult(
        doc_id=hit.doc_id,
        doc_title=document.title if document else None,
        outlet=document.outlet if document else None,
        published=document.published if document else None,
        evidence=evidence,
        actors=mentioned,
        actor_names=[ctx.actor_name(a) or a for a in mentioned],
        score=round(hit.score, 3),
        matches=matched_spans(evidence.text, hit.snippet),
        duplicate_of=document.duplicate_of if document else None,
    )


def matched_spans(text: str, snippet: str) -> list[tuple[int, int]]:
    """Where the words the index marked in its snippet occur in the whole sentence."""
    words = set(re.findall(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_END}", snippet))
    spans = {
        (m.start(), m.end())
        for word in words if word.strip()
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE)
    }
    return sorted(spans)


def _keep(
    ctx: AnalysisContext,
    result: SearchResult,
    actor: str | None,
    since: str | None,
    until: str | None,
    doc_id: str | None,
) -> bool:
    if doc_id is not None and result.doc_id != doc_id:
        return False
    if actor is not None and actor not in result.actors:
        return False
    return overlaps(result.published, since, until)
