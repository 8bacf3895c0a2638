"""Reading the document's parse: token offsets and a sentence's entities.

The document is parsed into one ``Doc`` (``DocState.doc``), so a token's
``idx`` is already its document offset; these functions give the spans that
records and span look-ups take, and the named entities of one sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE  # type: ignore[import-not-found]  # no stub
from spacy.tokens import Span, Token

#: ``Token.ent_iob`` values: inside an entity, and at its first token.
_INSIDE, _BEGIN = 1, 3


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
    if doc is None:
        return None
    # ``doc`` may be a sentence's span, whose character offsets count from the sentence
    key = (doc.start, doc.end, start, end) if isinstance(doc, Span) else (None, None, start, end)
    cache = _cache(doc.doc, "span_roots")
    if key not in cache:
        span = doc.char_span(start, end, alignment_mode="expand")
        cache[key] = span.root.i if span is not None and len(span) else None
    root = cache[key]
    return None if root is None else doc.doc[root]


def roots(span: Any) -> list[Any]:
    """The tokens of ``span`` that head themselves (``t.head.i == t.i``), read off the ``Doc``'s
    head array (once per ``Doc``) instead of one ``Token`` and its head per word."""
    doc = span.doc
    cache = _cache(doc, "heads")
    if "offsets" not in cache:
        cache["offsets"] = doc.to_array("HEAD")
    own_heads = numpy.flatnonzero(cache["offsets"][span.start : span.end] == 0)
    return [doc[span.start + int(i)] for i in own_heads]


def entities(sentence: Any) -> list[Span]:
    """The named entities of ``sentence`` (a span of the document's parse), as ``sentence.ents``
    gives them; that builds every entity of the whole document on each call, this reads only
    the sentence's tokens, once per sentence (kept in the ``Doc``'s ``user_data``)."""
    cache = _cache(sentence.doc, "entities")
    key = (sentence.start, sentence.end)
    if key not in cache:
        cache[key] = _sentence_entities(sentence)
    return list(cache[key])


def _sentence_entities(sentence: Any) -> list[Span]:
    """The entities of the sentence's tokens, read off the ``Doc``'s entity arrays (kept once per
    ``Doc``) instead of one ``Token`` per word: an entity starts at a B and runs over the Is after it."""
    doc = sentence.doc
    iob, types = _entity_arrays(doc)
    found: list[Span] = []
    start: int | None = None
    for i in range(sentence.start, sentence.end):
        if start is not None and iob[i] != _INSIDE:
            found.append(Span(doc, start, i, label=types[start]))
            start = None
        if iob[i] == _BEGIN:
            start = i
    if start is not None:
        found.append(Span(doc, start, sentence.end, label=types[start]))
    return found


def _entity_arrays(doc: Any) -> tuple[list[int], list[int]]:
    """Each token's ``ENT_IOB`` (0 unset, 1 I, 2 O, 3 B) and ``ENT_TYPE`` (the label's hash)."""
    cache = _cache(doc, "entity_arrays")
    if not cache:
        columns = doc.to_array([ENT_IOB, ENT_TYPE]).T.tolist() if len(doc) else [[], []]
        cache["iob"], cache["type"] = columns
    return cache["iob"], cache["type"]


def tokens_starting_in(span: Any, start: int, end: int) -> range:
    """The document indexes of the tokens of ``span`` whose first character is in ``[start, end)``,
    in order: what ``[t.i for t in span if start <= t.idx < end]`` gives, by bisection over the
    span's token offsets (read once per span)."""
    starts = _token_starts(span)
    return range(span.start + bisect_left(starts, start), span.start + bisect_left(starts, end))


def _token_starts(span: Any) -> list[int]:
    cache = _cache(span.doc, "token_starts")
    key = (span.start, span.end)
    if key not in cache:
        cache[key] = [token.idx for token in span]
    starts: list[int] = cache[key]
    return starts


def _cache(doc: Any, name: str) -> dict[Any, Any]:
    """A per-``Doc`` memo: it lives and dies with the parse it describes."""
    memo: dict[Any, Any] = doc.user_data.setdefault(("dyadlens", name), {})
    return memo


class SentenceSpan(Span):
    """A sentence's span whose ``Token`` objects are made once: every rule stage walks each
    sentence's tokens, and spaCy makes a new ``Token`` for each word at each walk. A token reads
    its attributes from the ``Doc``, so a kept one always gives what a new one would."""

    _tokens: list[Token]

    def tokens(self) -> list[Token]:
        try:
            return self._tokens
        except AttributeError:
            self._tokens = list(super().__iter__())
            return self._tokens

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens())

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self.tokens()[key]
        return super().__getitem__(key)


def sentence_span(doc: Any, start: int, end: int) -> SentenceSpan | None:
    """``doc.char_span(start, end)`` as a :class:`SentenceSpan`, made once per ``Doc`` and span."""
    cache = _cache(doc, "sentence_spans")
    key = (start, end)
    if key not in cache:
        span = doc.char_span(start, end)
        cache[key] = None if span is None else SentenceSpan(doc, span.start, span.end)
    found: SentenceSpan | None = cache[key]
    return found
