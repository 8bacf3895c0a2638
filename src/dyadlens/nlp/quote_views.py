"""Stored quotations with the words they quote and where they were published."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from dyadlens.model import Document, Quote


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: str
    doc_id: str
    speaker: str | None
    speaker_role: str | None
    speaker_actor: str | None
    actor_name: str | None
    kind: str
    cue: str | None
    text: str
    start: int
    end: int
    outlet: str | None
    published: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_quotes(
    store: Any,
    kb: Any,
    *,
    speaker: str | None = None,
    actor: str | None = None,
    doc_id: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[QuoteRow]:
    """Quotes matching the filters; ``actor`` is resolved through the KB, ``speaker``
    matches a stored speaker name, case-insensitively, in full or as its last words."""
    actor_id = _actor_id(kb, store, actor) if actor else None
    quotes: list[Quote] = store.quotes(speaker_actor=actor_id, doc_id=doc_id, kind=kind)
    if speaker:
        quotes = [q for q in quotes if _speaker_matches(q.speaker, speaker)]
    documents: dict[str, Document | None] = {}
    rows = [_row(q, _document(store, documents, q.doc_id), kb) for q in quotes]
    return rows[:limit] if limit else rows


def _actor_id(kb: Any, store: Any, text: str) -> str:
    from dyadlens.nlp.event_views import resolve_actor_arg

    return resolve_actor_arg(text, kb, store.actors())


def _speaker_matches(stored: str | None, wanted: str) -> bool:
    if not stored:
        return False
    stored_words, wanted_words = stored.casefold().split(), wanted.casefold().split()
    return stored_words[-len(wanted_words) :] == wanted_words


def _document(store: Any, cache: dict[str, Document | None], doc_id: str) -> Document | None:
    if doc_id not in cache:
        cache[doc_id] = store.document(doc_id)
    return cache[doc_id]


def _row(quote: Quote, document: Document | None, kb: Any) -> QuoteRow:
    entity = kb.get(quote.speaker_actor) if quote.speaker_actor else None
    return QuoteRow(
        id=quote.id,
        doc_id=quote.doc_id,
        speaker=quote.speaker,
        speaker_role=quote.speaker_role,
        speaker_actor=quote.speaker_actor,
        actor_name=entity.name if entity else None,
        kind=quote.kind,
        cue=quote.cue,
        text=document.text[quote.start : quote.end] if document else "",
        start=quote.start,
        end=quote.end,
        outlet=document.outlet if document else None,
        published=document.published if document else None,
    )
