"""Full-text search over sentences, filtered by actor, period and document.

The store's FTS index finds the sentences; the filters are applied here:
``actor`` keeps sentences where that actor is mentioned, ``since``/``until``
compare with the document's publication date (undated documents are dropped
when a period is given), ``doc_id`` keeps one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadlens.analysis.common import AnalysisContext, Evidence
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import check_date, overlaps
from dyadlens.store import HIGHLIGHT_END, HIGHLIGHT_START

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
    results = []
    for hit in hits:
        result = _result(ctx, hit)
        if _keep(ctx, result, actor, since, until, doc_id):
            results.append(result)
        if len(results) >= limit:
            break
    return SearchView(query=query, actor=actor, since=since, until=until, doc_id=doc_id, results=results)


def _result(ctx: AnalysisContext, hit: SearchHit) -> SearchResult:
    document = ctx.document(hit.doc_id)
    sentence = hit.sentence
    evidence = ctx.evidence(hit.doc_id, sentence.start, sentence.end, sentence.index)
    mentioned = sorted(
        {m.actor_id for m in ctx.mentions(hit.doc_id) if m.actor_id and sentence.start <= m.start < sentence.end}
    )
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
