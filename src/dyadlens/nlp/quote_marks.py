"""Quotation marks paired into quoted spans, line by line.

Marks are paired by the direction their context gives them (a mark after a
space opens, a mark before a space or punctuation closes; the glyph decides
only when the context does not), so a stray or wrongly curled mark cannot
shift every later pair. A quote left open at the end of its line runs to the
line end. The ``quote_marks`` stage (:class:`QuoteMarkStage`) pairs them once
per document into ``DocState.quote_spans``, which the quote extractor
(:mod:`dyadlens.nlp.quotes`) and the event-date convention
(:mod:`dyadlens.nlp.dates`) read: both need to know what is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dyadlens.state import DocState

_OPEN_ONLY = "“«„‹"
_CLOSE_ONLY = "”»›"
_DOUBLE_MARKS = "“”«»„\"‹›"
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_BEFORE_OPEN = " \t\n([{/–—-:;,"
_AFTER_CLOSE = " \t\n)]}.,;:!?/–—-…"


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Quoted words (``start``/``end`` exclude the marks) and the marks' positions."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None: the quote was never closed on its line
    line_end: int


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Outermost quoted spans of a text, paired line by line."""
    spans: list[QuotedSpan] = []
    for match in re.finditer(r"[^\n]+", text):
        spans.extend(_paragraph_spans(text, match.start(), match.end()))
    return spans


class QuoteMarkStage:
    """Pairs the text's quote marks once, for every reader (component ``quote_marks``)."""

    name = "quote_marks"
    version = "1"

    def __call__(self, state: DocState) -> None:
        state.quote_spans = quoted_spans(state.text)


def _direction(text: str, i: int, start: int, end: int) -> str | None:
    """"open", "close" or None (ambiguous) for the mark at ``i``."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    opens = before in _BEFORE_OPEN or before in _DOUBLE_MARKS
    closes = after in _AFTER_CLOSE or after in _DOUBLE_MARKS or after in "'’"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    mark = text[i]
    if mark in _OPEN_ONLY:
        return "open"
    if mark in _CLOSE_ONLY:
        return "close"
    return None


def _paragraph_spans(text: str, start: int, end: int) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    single_at: int | None = None
    for i in range(start, end):
        char = text[i]
        if char in _DOUBLE_MARKS:
            direction = _direction(text, i, start, end)
            if direction is None:
                direction = "close" if open_at is not None else "open"
            if direction == "open" and open_at is None:
                open_at = i
            elif direction == "close" and open_at is not None:
                spans.append(_span(text, open_at, i, i, end))
                open_at = None
        elif char == _SINGLE_OPEN and open_at is None and _direction(text, i, start, end) == "open":
            single_at = i
        elif (
            char == _SINGLE_CLOSE
            and open_at is None
            and single_at is not None
            and _direction(text, i, start, end) == "close"
            and i - single_at > 1
        ):
            spans.append(_span(text, single_at, i, i, end))
            single_at = None
    if open_at is not None:
        spans.append(_span(text, open_at, end, None, end))
    return spans


def _span(text: str, open_mark: int, stop: int, close_mark: int | None, line_end: int) -> QuotedSpan:
    """The quoted words between the marks, without the spaces just inside them."""
    start = open_mark + 1
    while start < stop and text[start].isspace():
        start += 1
    return QuotedSpan(start, trim_end(text, start, stop), open_mark, close_mark, line_end)


def trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
