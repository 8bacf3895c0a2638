"""Datelines, intervals before an event, day references after a coarser flashback, plans dated by
their statement, headlines dated by the lead, and a story resumed after background "since" (issue #16,
item 6). Every text is invented for the test.
"""

from __future__ import annotations

import pytest
from tests.test_dates_discourse import date_of, parsed

from dyadlens.nlp import timex
from dyadlens.nlp.dates import DocumentTimeline, TimelineOptions
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.resources import Resources
from dyadlens.state import DocState

LEXICON = load_lexicon()
RULES = timex.discourse_rules(LEXICON.dates.occasion_nouns | LEXICON.events.gathering_nouns)
#: A Thursday.
PUBLISHED = "2022-09-15"


def resolved(text: str, anchors: list[timex.TemporalExpression] | None = None) -> list[tuple[str, str, str]]:
    """(value or "", kind, rule) of each expression of ``text``, datelines and discourse rules on."""
    found = timex.resolve_sentence_expressions(
        text,
        100,
        1,
        timex.PartialDate.parse(PUBLISHED),
        anchors or [],
        extra_rules=RULES,
        first_rules=(timex.DATELINE,),
    )
    return [(e.value or "", e.kind, e.rule) for e in found]


def anchor(value: str, start: int = 0) -> timex.TemporalExpression:
    """An anchoring date of an earlier sentence, ending ``start`` characters into the document."""
    return timex.TemporalExpression(0, start, start + 5, "x", value, "point", "explicit:test", is_anchor=True)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("PORT LOUIS, September 14 — The navy escorted the tanker.", "2022-09-14"),
        ("VALLETTA, Malta, 14 September (Harbour News) - The navy escorted the tanker.", "2022-09-14"),
        ("LIMA, March 3, 2021 — The navy escorted the tanker.", "2021-03-03"),
    ],
)
def test_a_dateline_is_the_reports_date_and_not_an_anchor(text: str, value: str) -> None:
    first = resolved(text)[0]
    assert first[:2] == (value, "dateline")


@pytest.mark.fast
def test_a_weekday_in_the_dateline_sentence_is_still_found() -> None:
    found = resolved("PORT LOUIS, September 15 — The navy escorted the tanker on Tuesday.")
    assert [v for v, kind, _ in found if kind == "point"] == ["2022-09-13"]


@pytest.mark.fast
def test_a_date_in_the_middle_of_a_sentence_is_no_dateline() -> None:
    found = resolved("The envoys met on Tuesday in VALLETTA, September 14 — said the hosts.")
    assert all(kind != "dateline" for _, kind, _ in found)


@pytest.mark.fast
def test_an_interval_before_an_event_counts_back_from_the_sentences_own_date() -> None:
    found = resolved("The rebels shelled the airport on Tuesday, two days after the government closed the border.")
    assert ("2022-09-11", "point", "discourse:interval") in found


@pytest.mark.fast
def test_an_interval_with_nothing_to_count_from_dates_nothing() -> None:
    found = resolved("The rebels shelled the airport two days after the government closed the border.")
    assert found == []


@pytest.mark.fast
def test_an_interval_on_its_own_still_counts_forward_from_the_anchor() -> None:
    found = resolved("Two days later, the rebels shelled the airport.", [anchor("2022-09-05")])
    assert found == [("2022-09-07", "point", "anchored:later")]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The following day, the militia withdrew.", "2022-09-14"),
        ("Later that day the militia withdrew.", "2022-09-13"),
    ],
)
def test_a_day_reference_counts_from_the_latest_day_not_a_coarser_flashback(text: str, value: str) -> None:
    day, flashback = anchor("2022-09-13", 10), anchor("2021-02", 20)
    assert [v for v, _, _ in resolved(text, [day, flashback])] == [value]


@pytest.mark.fast
def test_earlier_in_the_day_is_the_anchors_day() -> None:
    found = resolved("Earlier in the day, the mayor resigned.", [anchor("2022-09-13")])
    assert found == [("2022-09-13", "point", "discourse:that-unit")]


# -- the timeline on parsed text (slow) -----------------------------------------------------------


def without(option: str) -> TimelineOptions:
    return TimelineOptions(**{option: False})  # type: ignore[arg-type]


def planned_date(state: DocState, word: str, options: TimelineOptions | None = None) -> str | None:
    """The date of a planned event triggered by ``word``."""
    timeline = DocumentTimeline(state, LEXICON, options)
    token = next(t for t in state.doc if t.text == word)
    return timeline.date_for(0, token.i, "planned").value


@pytest.mark.slow
def test_the_dateline_does_not_override_the_weekday_of_its_sentence(resources: Resources) -> None:
    text = "Ferry strike spreads\n\nPORT LOUIS, September 15 — Dockers blockaded the harbour on Tuesday."
    state = parsed(resources, text)
    assert date_of(state, "blockaded") == "2022-09-13"
    assert date_of(state, "blockaded", without("datelines")) == "2022-09-15"


@pytest.mark.slow
def test_a_plan_is_dated_by_its_statement_not_by_when_it_is_to_happen(resources: Resources) -> None:
    text = "The two delegations agreed to meet again next month, the hosts said in a statement on Tuesday."
    state = parsed(resources, text, kind="analysis")
    assert planned_date(state, "meet") == "2022-09-13"
    assert planned_date(state, "meet", without("plan_statement_dates")) == "2022-10"


@pytest.mark.slow
def test_a_headline_with_no_word_in_the_lead_takes_the_leads_day(resources: Resources) -> None:
    text = "Capital brokers truce talks\n\nThe two governors met in the capital on Tuesday to end the feud."
    state = parsed(resources, text)
    assert date_of(state, "brokers") == "2022-09-13"


@pytest.mark.slow
def test_after_background_since_a_year_the_story_resumes_at_its_own_day(resources: Resources) -> None:
    text = (
        "Guards of the two republics exchanged fire on Tuesday near the bridge.\n\n"
        "The two sides have traded accusations since 2019.\n\n"
        "The neighbouring republic called on both sides to show restraint."
    )
    state = parsed(resources, text)
    assert date_of(state, "called") == "2022-09-13"
    assert date_of(state, "called", without("current_episode")) is None
