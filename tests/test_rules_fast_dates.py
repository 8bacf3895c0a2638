"""Dates without the model: temporal expressions (nlp/timex.py), partial dates
(partial_dates.py) and the event-date convention of the timeline on hand-built parses."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
import sqlalchemy as sa

from dyadlens.nlp import timex
from dyadlens.partial_dates import InvalidDateError, PartialDate, overlaps_sql
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage, token_at

pytestmark = pytest.mark.fast

PUBLISHED = "2024-05-10"


def expressions(text: str, published: str | None = PUBLISHED) -> list[timex.TemporalExpression]:
    return timex.resolve_sentence_expressions(text, 0, 0, timex.PartialDate.parse(published), [])


@pytest.mark.parametrize(
    ("text", "value", "kind", "rule"),
    [
        ("The ceasefire began on 14 February 2022 at dawn.", "2022-02-14", "point", "explicit:day-month-year"),
        ("The pact lapsed at the end of 2021 without a vote.", "2021-12", "point", "explicit:year-mod"),
        ("The embassy reopened three months ago.", "2024-02", "point", "relative:ago"),
        ("Patrols have grown since March 2020 on both banks.", "2020-03", "range", "since:since"),
        ("The envoy will return next month.", "2024-06", "point", "relative:relative-unit"),
    ],
)
def test_an_expression_resolves_against_the_publication_date(text: str, value: str, kind: str, rule: str) -> None:
    [found] = expressions(text)
    assert (found.value, found.kind, found.rule) == (value, kind, rule)
    assert text[found.start : found.end] == found.text


def test_an_anchored_expression_counts_from_the_previous_sentences_date() -> None:
    first = expressions("The treaty was signed in 1995 after long talks.")
    later = timex.resolve_sentence_expressions("Ten years later, it expired.", 60, 1, None, first)
    assert [(e.value, e.rule, e.start) for e in later] == [("2005", "anchored:later", 60)]


def test_relative_expressions_stay_unresolved_without_a_publication_date() -> None:
    assert [e.value for e in expressions("The envoy will return next month.", None)] == []


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [("2024", "year", "2024-01-01", "2024-12-31"), ("2024-02", "month", "2024-02-01", "2024-02-29"),
     (" 2023-11-05 ", "day", "2023-11-05", "2023-11-05")],
)
def test_a_partial_date_covers_every_day_of_its_precision(text: str, precision: str, first: str, last: str) -> None:
    date = PartialDate.parse(text)
    assert (date.precision, date.first_day.isoformat(), date.last_day.isoformat()) == (precision, first, last)
    assert str(date) == text.strip()


@pytest.mark.parametrize("text", ["2023-02-29", "2024-13", "24-01-01", "2024/01/05", "2024-1"])
def test_a_partial_date_refuses_what_is_no_calendar_date(text: str) -> None:
    with pytest.raises(InvalidDateError):
        PartialDate.parse(text)


def test_partial_dates_order_coarse_before_fine_on_the_same_first_day() -> None:
    dates = [PartialDate.parse(t) for t in ("2024-01-01", "2023-12", "2024", "2024-01")]
    assert [str(d) for d in sorted(dates)] == ["2023-12", "2024", "2024-01", "2024-01-01"]


def test_the_sql_overlap_agrees_with_the_python_overlap() -> None:
    values = ["2023", "2023-12", "2023-12-31", "2024", "2024-02", "2024-02-29", "2024-03-01"]
    bounds = [None, *(PartialDate.parse(v) for v in ("2023-12-31", "2024-02", "2024-02-29"))]
    engine = sa.create_engine("sqlite://")
    table = sa.Table("dates", sa.MetaData(), sa.Column("value", sa.String))
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [{"value": v} for v in values])
        for since, until in itertools.product(bounds, bounds):
            query = sa.select(table.c.value).where(overlaps_sql(table.c.value, since, until))
            in_sql = {row.value for row in connection.execute(query)}
            in_python = {v for v in values if PartialDate.parse(v).overlaps(since, until)}
            assert in_sql == in_python, (since, until)


# -- the event-date convention, on hand-built parses ---------------------------------------


def timeline_state(resources: Resources, table: str) -> DocState:
    return run_stage(analysis(make_state(make_doc(table), published=PUBLISHED)), resources, "timeline")


def analysis(state: DocState) -> DocState:
    """The state as an analysis piece: the news conventions (an undated act of a report's lead is
    recent news) do not apply, so the tests see the guidelines' plain convention."""
    state.document = dataclasses.replace(state.document, kind="analysis")
    return state


def test_a_date_phrase_on_the_verb_dates_it(model_free_resources: Resources) -> None:
    state = timeline_state(model_free_resources, """
        Peru      _         PROPN  nsubj  1
        signed    sign      VERB   ROOT   1
        the       _         DET    det    3
        pact      _         NOUN   dobj   1
        in        _         ADP    prep   1
        April     _         PROPN  pobj   4
        2019      _         NUM    nummod 5  CD
        .         _         PUNCT  punct  1
    """)
    date = state.timeline.date_for(0, token_at(state, 0, "signed").i, "asserted")
    assert (date.value, state.text[date.start : date.end]) == ("2019-04", "April 2019")


#: "Peru, which joined in 2019, signed the pact." / "Peru, which joined later, signed the pact in 2021."
RELATIVE_DATED = """
    Peru      _         PROPN  nsubj  7
    ,         _         PUNCT  punct  0
    which     _         PRON   nsubj  3  WDT
    joined    join      VERB   relcl  0
    in        _         ADP    prep   3
    2019      _         NUM    pobj   4  CD
    ,         _         PUNCT  punct  0
    signed    sign      VERB   ROOT   7
    the       _         DET    det    9
    pact      _         NOUN   dobj   7
    .         _         PUNCT  punct  7
"""
MAIN_DATED = """
    Peru      _         PROPN  nsubj  6
    ,         _         PUNCT  punct  0
    which     _         PRON   nsubj  3  WDT
    joined    join      VERB   relcl  0
    later     _         ADV    advmod 3
    ,         _         PUNCT  punct  0
    signed    sign      VERB   ROOT   6
    the       _         DET    det    8
    pact      _         NOUN   dobj   6
    in        _         ADP    prep   6
    2021      _         NUM    pobj   9  CD
    .         _         PUNCT  punct  6
"""


def test_a_relative_clause_and_its_main_clause_keep_their_own_dates(model_free_resources: Resources) -> None:
    state = analysis(make_state(make_doc(RELATIVE_DATED), make_doc(MAIN_DATED), published=PUBLISHED))
    timeline = run_stage(state, model_free_resources, "timeline").timeline
    assert [e.value for e in timeline.expressions()] == ["2019", "2021"]

    def date_of(sentence: int, word: str) -> str | None:
        return timeline.date_for(sentence, token_at(state, sentence, word).i, "asserted").value

    assert (date_of(0, "joined"), date_of(0, "signed")) == ("2019", None)
    assert (date_of(1, "joined"), date_of(1, "signed")) == (None, "2021")


def test_a_present_tense_act_takes_the_publication_date_and_a_past_one_none(model_free_resources: Resources) -> None:
    state = timeline_state(model_free_resources, """
        Peru      _         PROPN  nsubj  1
        signs     sign      VERB   ROOT   1  VBZ
        the       _         DET    det    3
        pact      _         NOUN   dobj   1
        .         _         PUNCT  punct  1
    """)
    signs = token_at(state, 0, "signs")
    assert state.timeline.date_for(0, signs.i, "asserted").value == PUBLISHED
    state.doc[signs.i].tag_ = "VBD"
    assert state.timeline.date_for(0, signs.i, "asserted").value is None
