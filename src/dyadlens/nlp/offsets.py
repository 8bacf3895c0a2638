"""Document offsets of parse tokens.

Each analysed sentence is parsed on its own (``DocState.parses``), so a
token's ``idx`` counts from the start of its sentence. These functions are
the one place that adds the sentence's start; records and span look-ups take
their offsets from them.
"""

from __future__ import annotations

from typing import Any

from dyadlens.model import Sentence


def token_start(sentence: Sentence, token: Any) -> int:
    """Where the token starts in the document."""
    start: int = sentence.start + token.idx
    return start


def token_span(sentence: Sentence, token: Any) -> tuple[int, int]:
    """The token's ``(start, end)`` in the document."""
    start = token_start(sentence, token)
    return start, start + len(token.text)


def tokens_span(sentence: Sentence, first: Any, last: Any) -> tuple[int, int]:
    """From the start of ``first`` to the end of ``last`` (tokens of the same sentence)."""
    return token_start(sentence, first), token_span(sentence, last)[1]


def subtree_span(sentence: Sentence, token: Any) -> tuple[int, int]:
    """The words the token heads in the parse: its left edge to its right edge."""
    return tokens_span(sentence, token.left_edge, token.right_edge)
