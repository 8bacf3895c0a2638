"""Name comparison rules: tokens, case, longest match, headline acronyms."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.kb.aliases import case_compatible, is_strict, tokenize
from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.periods import Period
from dyadlens.nlp.actor_matching import AliasMatcher
from dyadlens.partial_dates import PartialDate

MINI = Path(__file__).resolve().parent / "fixtures" / "kb" / "mini"


def test_tokens_split_footnote_marks_and_apostrophes() -> None:
    assert [t.text for t in tokenize("Moscow₄₅ and Russia’s U.S.")] == [
        "Moscow", "₄", "₅", "and", "Russia", "'", "s", "U", ".", "S", ".",
    ]


@pytest.mark.parametrize(
    ("alias", "text", "ok"),
    [
        ("US", "US", True), ("US", "us", False), ("Turkey", "turkey", False), ("Turkey", "TURKEY", True),
        ("Central Asian states", "central Asian states", True), ("Kabul Now", "Kabul now", False),
        ("Foreign Policy", "foreign policy", False), ("Islamic State group", "Islamic State Group", True),
    ],
)
def test_case_rules(alias: str, text: str, ok: bool) -> None:
    def words(value: str) -> tuple[str, ...]:
        return tuple(t.text for t in tokenize(value))

    assert case_compatible(words(alias), words(text), is_strict(alias)) is ok


def test_longest_match_wins_across_start_positions() -> None:
    matcher = AliasMatcher(load_kb(data_dir=MINI))
    text = "the Pakistani Taliban and Islamic State Khorasan Province"
    _, matches = matcher.find(text)
    assert [(text[m.start : m.end], m.entries[0].entity_id) for m in matches] == [
        ("Pakistani Taliban", "ttp"),
        ("Islamic State Khorasan Province", "iskp"),
    ]


def test_headline_in_capitals_skips_acronyms_that_are_words() -> None:
    matcher = AliasMatcher(load_kb(data_dir=MINI))
    text = "WHY IS THE TALIBAN ANGRY AT US"
    _, matches = matcher.find(text)
    assert [m.entries[0].entity_id for m in matches] == ["taliban"]


@pytest.mark.parametrize(("period", "when", "overlaps"), [
    (Period("2021-08-15", None), "2021-08", True), (Period(None, "2021-08-15"), "2021-08-16", False),
    (Period("2011", "2025"), "2025-12-31", True), (Period("2011", None), None, True),
    (Period("2011", "2012"), None, False),
])
def test_period_overlaps_at_the_precision_of_the_date(period: Period, when: str | None, overlaps: bool) -> None:
    assert period.overlaps(when) is overlaps


def test_malformed_prefixes() -> None:
    parse = PartialDate.parse_or_none
    assert parse("2021-02-30") is None and parse("21-02") is None and parse("2024-02") is not None
