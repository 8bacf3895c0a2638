"""Tying system items to gold sentences by character span.

Gold sentences are exact substrings of the document text. They are located
in gold order, each searched for from the previous gold sentence onwards and,
failing that, from the start of the text; a string already located keeps its
first location (a repeated paragraph is annotated once, at its first
occurrence). When the exact string is absent the search is repeated with all
whitespace runs (no-break spaces included) collapsed to one space.

A system item is tied to a gold sentence when the two spans overlap by at
least half of the shorter span, so sentence splits that differ at a footnote
mark or an abbreviation still tie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Span = tuple[int, int]

_SPACE_RUN = re.compile(r"\s+")


def spans_tie(a: Span | None, b: Span | None) -> bool:
    if a is None or b is None:
        return False
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return overlap > 0 and 2 * overlap >= shorter


@dataclass
class SentenceLocator:
    """Locates sentence strings in one document text, remembering earlier finds."""

    text: str
    cursor: int = 0
    found: dict[str, Span | None] = field(default_factory=dict)

    def locate(self, sentence: str) -> Span | None:
        if sentence in self.found:
            return self.found[sentence]
        span = self._search(sentence, self.cursor) or self._search(sentence, 0)
        self.found[sentence] = span
        if span is not None:
            self.cursor = span[0]
        return span

    def _search(self, sentence: str, start: int) -> Span | None:
        if not sentence.strip():
            return None
        position = self.text.find(sentence, start)
        if position >= 0:
            return (position, position + len(sentence))
        return _search_collapsing_whitespace(self.text, sentence, start)


def _search_collapsing_whitespace(text: str, sentence: str, start: int) -> Span | None:
    words = [re.escape(w) for w in _SPACE_RUN.split(sentence.strip()) if w]
    if not words:
        return None
    match = re.compile(r"\s+".join(words)).search(text, start)
    return (match.start(), match.end()) if match else None
