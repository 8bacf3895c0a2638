"""Stored quotations, filtered, as the rows every other view shows them."""

from __future__ import annotations

from dyadlens.analysis.common import AnalysisContext, QuoteRow


def list_quotes(
    ctx: AnalysisContext,
    *,
    speaker: str | None = None,
    actor_id: str | None = None,
    doc_id: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[QuoteRow]:
    """Quotes matching the filters, at most ``limit``; ``speaker`` matches a stored speaker name,
    case-insensitively, in full or as its last words ("Kabulov"). Only the quotes returned are read
    with their evidence."""
    quotes = ctx.store.quotes(speaker_actor=actor_id, doc_id=doc_id, kind=kind, limit=None if speaker else limit)
    if speaker:
        quotes = [q for q in quotes if _speaker_matches(q.speaker, speaker)][:limit]
    return [ctx.quote_row(q) for q in quotes]


def _speaker_matches(stored: str | None, wanted: str) -> bool:
    if not stored:
        return False
    stored_words, wanted_words = stored.casefold().split(), wanted.casefold().split()
    return stored_words[-len(wanted_words) :] == wanted_words
