"""Dates through discourse: references back into the text, the news lead and the current episode,
dated reporting clauses and weekday names (nlp/timex.py discourse rules, nlp/dates.py options).

The expression rules are plain regular expressions (fast); the timeline conventions read a parse, so
those tests load spaCy (slow). Every text is invented for the test.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput
from dyadlens.nlp import timex
from dyadlens.nlp.dates import DocumentTimeline, TimelineOptions, TimelineStage
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.nlp.quote_marks import QuoteMarkStage
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

LEXICON = load_lexicon()
RULES = timex.discourse_rules(LEXICON.dates.occasion_nouns | LEXICON.events.gathering_nouns)
#: A Thursday.
PUBLISHED = "2022-09-15"


def anchored(text: str, anchor: str | None = "2022-09-12", rules: tuple[object, ...] = RULES) -> list[tuple[str, str]]:
    """(value or "", rule) of the expressions in ``text`` after a sentence dated ``anchor``."""
    anchors = []
    if anchor is not None:
        anchors = [timex.TemporalExpression(0, 0, 5, "x", anchor, "point", "explicit:test", is_anchor=True)]
    found = timex.resolve_sentence_expressions(
        text, 100, 1, timex.PartialDate.parse(PUBLISHED), anchors, extra_rules=rules  # type: ignore[arg-type]
    )
    return [(e.value or "", e.rule) for e in found]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The two envoys have spoken weekly since then.", [("2022-09-12", "discourse:since-then")]),
        ("At that time the border crossing was closed.", [("2022-09-12", "discourse:at-that-time")]),
        ("Later that week the militia withdrew.", [("2022-09", "discourse:that-unit")]),
        ("That day the garrison surrendered.", [("2022-09-12", "discourse:that-unit")]),
        ("The day after, the mayor resigned.", [("2022-09-13", "discourse:day-around")]),
        ("During the two-day summit the premiers signed a memorandum.", [("2022-09-12", "discourse:occasion")]),
        ("The minister said after the talks that nothing was agreed.", [("2022-09-12", "discourse:occasion")]),
        ("On the sidelines of the forum, the envoys met privately.", [("2022-09-12", "discourse:occasion")]),
    ],
)
def test_a_reference_back_into_the_text_takes_the_anchoring_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert anchored(text) == expected


@pytest.mark.fast
def test_this_time_is_the_storys_own_occasion_not_the_latest_anchor() -> None:
    text = "The northern league did not send a delegation this time."
    anchors = [timex.TemporalExpression(0, 0, 5, "x", "2022-03", "point", "explicit:test", is_anchor=True)]
    story = timex.PartialDate.parse("2022-09-14")
    found = timex.resolve_sentence_expressions(
        text, 100, 1, timex.PartialDate.parse(PUBLISHED), anchors, extra_rules=RULES, story=story  # type: ignore[arg-type]
    )
    assert [(e.value, e.rule) for e in found] == [("2022-09-14", "discourse:this-time")]
    assert anchored(text) == []  # no story date: nothing


@pytest.mark.fast
def test_a_reference_back_resolves_to_nothing_without_an_anchor() -> None:
    assert anchored("At that time the border crossing was closed.", anchor=None) == []


@pytest.mark.fast
def test_the_discourse_rules_only_run_when_given() -> None:
    assert anchored("Later that week the militia withdrew.", rules=()) == []


@pytest.mark.fast
def test_an_occasion_followed_by_its_own_date_is_left_to_that_date() -> None:
    found = anchored("During the meeting on 14 September the two sides argued.")
    assert found == [("2022-09-14", "relative:day-first")]


@pytest.mark.fast
def test_a_weekday_is_never_after_publication() -> None:
    found = timex.resolve_sentence_expressions(
        "The army shelled the port late Friday.", 0, 0, timex.PartialDate.parse(PUBLISHED), []
    )
    assert [e.value for e in found] == ["2022-09-09"]


@pytest.mark.fast
def test_every_mechanism_is_on_by_default_and_the_stage_takes_each_as_an_option() -> None:
    names = [f.name for f in fields(TimelineOptions)]
    assert names == [
        "discourse_anchors",
        "lead_events_published",
        "current_episode",
        "reporting_clause_dates",
        "headline_dates",
        "datelines",
        "plan_statement_dates",
    ]
    assert all(getattr(TimelineOptions(), name) for name in names)
    stage = TimelineStage(LEXICON, current_episode=False)
    assert stage._options == TimelineOptions(current_episode=False)


# -- the timeline on parsed text (slow) -----------------------------------------------------------


def parsed(resources: Resources, text: str, published: str | None = PUBLISHED, kind: str | None = "news") -> DocState:
    meta = {"published": published, "kind": kind}
    raw = RawInput(doc_id="t", path="t.txt", format="txt", data=text.encode(), meta=meta)
    state = DocState(document=read_document(raw))
    for component in build_pipeline(resources, upto="parse").components:
        component(state)
    QuoteMarkStage()(state)
    return state


def date_of(state: DocState, word: str, options: TimelineOptions | None = None) -> str | None:
    timeline = DocumentTimeline(state, LEXICON, options)
    for sentence in state.analysed_sentences():
        for token in state.sentence_span(sentence.index) or ():
            if token.text == word:
                return timeline.date_for(sentence.index, token.i, "asserted").value
    raise AssertionError(f"{word!r} not in the text")


def without(option: str) -> TimelineOptions:
    return TimelineOptions(**{option: False})  # type: ignore[arg-type]


STORY = (
    "Border guards of the two republics exchanged fire on Tuesday near a disputed bridge, "
    "a year after a truce signed in March 2021.\n\n"
    "The defence minister visited the area. He told reporters that the guards had acted in self-defence.\n\n"
    "The neighbouring republic has long accused its rival of building posts on the river."
)


@pytest.mark.slow
def test_the_main_clause_date_is_the_anchor_not_a_date_in_a_subordinate_clause(resources: Resources) -> None:
    state = parsed(resources, STORY)
    assert date_of(state, "visited") == "2022-09-13"
    assert date_of(state, "visited", without("current_episode")) is None


@pytest.mark.slow
def test_a_past_speech_of_the_story_takes_the_storys_date(resources: Resources) -> None:
    state = parsed(resources, STORY)
    assert date_of(state, "told") == "2022-09-13"
    assert date_of(state, "told", without("current_episode")) == PUBLISHED


@pytest.mark.slow
def test_background_in_the_perfect_stays_undated(resources: Resources) -> None:
    assert date_of(parsed(resources, STORY), "accused") is None


@pytest.mark.slow
def test_an_old_story_date_does_not_carry_over(resources: Resources) -> None:
    text = "The two republics signed a truce in March 2021. The minister visited the bridge."
    assert date_of(parsed(resources, text), "visited") is None


@pytest.mark.slow
def test_an_analysis_is_not_dated_by_the_news_conventions(resources: Resources) -> None:
    text = "The guards exchanged fire on Tuesday. The minister visited the bridge."
    assert date_of(parsed(resources, text, kind="analysis"), "visited") is None
    assert date_of(parsed(resources, text, kind="news"), "visited") == "2022-09-13"


@pytest.mark.slow
def test_a_document_of_no_stated_kind_is_news_when_a_headline_opens_it(resources: Resources) -> None:
    body = "The guards exchanged fire on Tuesday. The minister visited the bridge."
    assert date_of(parsed(resources, body, kind=None), "visited") is None
    titled = "Guards clash at the bridge\n\n" + body
    assert date_of(parsed(resources, titled, kind=None), "visited") == "2022-09-13"
    assert date_of(parsed(resources, titled, published="2022-09", kind=None), "visited") is None


@pytest.mark.slow
def test_an_undated_lead_event_takes_the_publication_date(resources: Resources) -> None:
    text = "The coalition has withdrawn its last troops from the northern province.\n\nOfficials gave no reason."
    state = parsed(resources, text)
    assert date_of(state, "withdrawn") == PUBLISHED
    assert date_of(state, "withdrawn", without("lead_events_published")) is None


@pytest.mark.slow
def test_a_reported_act_takes_the_date_of_its_reporting_clause(resources: Resources) -> None:
    text = "The army said on Monday that its units shelled positions across the river."
    state = parsed(resources, text, kind="analysis")
    assert date_of(state, "shelled") == "2022-09-12"
    assert date_of(state, "shelled", without("reporting_clause_dates")) is None


@pytest.mark.slow
def test_during_the_meeting_takes_the_meetings_date(resources: Resources) -> None:
    text = (
        "The foreign ministers met in the capital on 2 September 2022 for a new round of talks. "
        "During the meeting the hosts criticised their guests."
    )
    state = parsed(resources, text, kind="analysis")
    assert date_of(state, "criticised") == "2022-09-02"
    assert date_of(state, "criticised", without("discourse_anchors")) is None
