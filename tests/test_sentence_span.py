"""A sentence's span with its tokens made once reads as spaCy's own span does."""

from __future__ import annotations

from typing import Any

import pytest

from dyadlens.nlp.offsets import SentenceSpan, sentence_span
from dyadlens.resources import Resources

TEXT = "The talks ended. Russia and the Taliban met in Moscow on Tuesday, officials said."


@pytest.fixture(scope="module")
def doc() -> Any:
    return Resources().nlp(TEXT)


def test_same_tokens_and_slices_as_char_span(doc: Any) -> None:
    start = TEXT.index("Russia")
    ours, theirs = sentence_span(doc, start, len(TEXT)), doc.char_span(start, len(TEXT))
    assert isinstance(ours, SentenceSpan)
    assert [t.i for t in ours] == [t.i for t in theirs]
    every = range(-len(theirs), len(theirs))
    assert [ours[i].i for i in every] == [theirs[i].i for i in every]
    assert ours[1:4].text == theirs[1:4].text and ours.root.i == theirs.root.i
    assert [e.text for e in ours.ents] == [e.text for e in theirs.ents] == ["Russia", "Taliban", "Moscow", "Tuesday"]
    with pytest.raises(IndexError):
        ours[len(theirs)]


def test_made_once_and_none_off_token_bounds(doc: Any) -> None:
    assert sentence_span(doc, 0, 16) is sentence_span(doc, 0, 16)
    assert sentence_span(doc, 1, 16) is None  # inside a word: char_span gives none either
