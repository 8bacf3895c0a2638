"""Pairing quotation marks, without the parser."""

from __future__ import annotations

import pytest

from dyadlens.nlp.quote_marks import quoted_spans


def contents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in quoted_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we leave at dawn” and left.", ["we leave at dawn"]),
        ('He said "we leave at dawn" and left.', ["we leave at dawn"]),
        ("Il a dit « nous partons » hier.", ["nous partons"]),
        ("She wrote ‘the border stays shut’ in her note.", ["the border stays shut"]),
        ("The mayor’s aides said “the city’s budget is fine” today.", ["the city’s budget is fine"]),
    ],
)
def test_each_quote_style_is_paired(text: str, expected: list[str]) -> None:
    assert contents(text) == expected


def test_nested_quote_belongs_to_the_outer_one() -> None:
    text = "“He told me ‘never again’ and walked out,” she said."
    assert contents(text) == ["He told me ‘never again’ and walked out,"]


def test_an_unclosed_quote_does_not_swallow_the_next_paragraph() -> None:
    text = "A stray “mark opens here and never closes.\nLater she said “the talks went well” to us."
    assert contents(text) == ["mark opens here and never closes.", "the talks went well"]


def test_a_mark_curled_the_wrong_way_is_read_by_its_context() -> None:
    text = "A route (“North”/”South”) and a “Sea“, then “a real quote here” at last."
    assert contents(text) == ["North", "South", "Sea", "a real quote here"]


def test_quote_spanning_sentences_stays_one_span() -> None:
    text = "In his words, “The first point is clear. The second one is not.” Then he left."
    assert contents(text) == ["The first point is clear. The second one is not."]
