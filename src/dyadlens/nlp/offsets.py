"""Reading the document's parse: token offsets and a sentence's entities.

The document is parsed into one ``Doc`` (``DocState.doc``), so a token's
``idx`` is already its document offset; these functions give the spans that
records and span look-ups take, and the named entities of one sentence.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span


def token_span(token: Any) -> tuple[int, int]:
    """The token's ``(start, end)`` in the document."""
    start: int = token.idx
    return start, start + len(token.text)


def tokens_span(first: Any, last: Any) -> tuple[int, int]:
    """From the start of ``first`` to the end of ``last``."""
    return token_span(first)[0], token_span(last)[1]


def subtree_span(token: Any) -> tuple[int, int]:
    """The words the token heads in the parse: its left edge to its right edge."""
    return tokens_span(token.left_edge, token.right_edge)


def span_root(doc: Any, start: int, end: int) -> Any:
    """The root token of the tokens that cover ``[start, end)`` of ``doc``, or ``None`` (no parse,
    or no token there)."""
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None and len(span) else None


def entities(sentence: Any) -> list[Span]:
    """The named entities of ``sentence`` (a span of the document's parse), as ``sentence.ents``
    gives them; that builds every entity of the whole document on each call, this reads only
    the sentence's tokens."""
    found: list[Span] = []
    start: int | None = None
    for token in sentence:
        if start is not None and token.ent_iob_ != "I":
            found.append(Span(sentence.doc, start, token.i, label=sentence.doc[start].ent_type_))
            start = None
        if token.ent_iob_ == "B":
            start = token.i
    if start is not None:
        found.append(Span(sentence.doc, start, sentence.end, label=sentence.doc[start].ent_type_))
    return found
