"""DocumentTimeline.date_for on parsed text: the guidelines' "Dates" convention."""

from __future__ import annotations

import pytest

from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput
from dyadlens.nlp.dates import DocumentTimeline
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.nlp.quote_marks import QuoteMarkStage
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

LEXICON = load_lexicon()


def parsed(resources: Resources, text: str, published: str | None) -> DocState:
    raw = RawInput(doc_id="t", path="t.txt", format="txt", data=text.encode(), meta={"published": published})
    state = DocState(document=read_document(raw))
    for component in build_pipeline(resources, upto="parse").components:
        component(state)
    QuoteMarkStage()(state)  # what the timeline stage reads besides the parses
    return state


def date_of(state: DocState, word: str, modality: str = "asserted", occurrence: int = 0) -> tuple[str | None, str]:
    """The date of an event triggered by ``word`` (its n-th occurrence in the document)."""
    seen = 0
    for sentence in state.analysed_sentences():
        for token in state.sentence_span(sentence.index):
            if token.text == word:
                if seen == occurrence:
                    found = DocumentTimeline(state, LEXICON).date_for(sentence.index, token.i, modality)
                    return found.value, found.rule
                seen += 1
    raise AssertionError(f"{word!r} not in the text")


HISTORY = (
    "Some of the commanders were insurgents in the long war (1979-1989). "
    "In 2003, the council designated the movement a terrorist organization. "
    "Six years later, a senior envoy warned of a threat to the region. "
    "The militants have attacked border posts since 2021.\n"
    "During the 1996-2001 period, the government threatened to bomb the camps in May 2000. "
    "The movement openly declared war on its rivals.\n"
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("were", "1979"),
        ("designated", "2003"),
        ("warned", "2009"),
        ("attacked", "2021"),
        ("bomb", "2000-05"),
        ("declared", None),
    ],
)
def test_past_events_take_explicit_anchored_or_range_start_dates(
    resources: Resources, word: str, expected: str | None
) -> None:
    state = parsed(resources, HISTORY, "2021-08-20")
    assert date_of(state, word)[0] == expected


def test_present_action_takes_the_publication_date_at_its_precision(resources: Resources) -> None:
    state = parsed(resources, "The embassy keeps its doors open while the envoy meets the new rulers.", "2021-08-20")
    assert date_of(state, "keeps") == ("2021-08-20", "present")


def test_authors_hypothetical_takes_no_date(resources: Resources) -> None:
    state = parsed(resources, "The council could lift the ban if the movement keeps its promises.", "2021-08-20")
    assert date_of(state, "lift", "possible") == (None, "hypothetical")


def test_prescription_takes_no_date(resources: Resources) -> None:
    state = parsed(resources, "The council should engage the movement as a partner.", "2021-08-20")
    assert date_of(state, "engage", "recommended")[0] is None


def test_modal_event_reported_from_a_dated_statement_takes_its_date(resources: Resources) -> None:
    text = "The foreign minister said on July 23 that his country could help the new rulers rebuild the airport."
    state = parsed(resources, text, "2021-08-20")
    assert date_of(state, "help", "possible")[0] == "2021-07-23"


def test_modal_event_in_an_undated_interview_takes_the_publication_date(resources: Resources) -> None:
    text = "The envoy told a radio station that his government could supply spare parts to the militia."
    state = parsed(resources, text, "2023-06-29")
    assert date_of(state, "supply", "possible")[0] == "2023-06-29"


def test_season_with_modifier_and_possessive_relative_dates(resources: Resources) -> None:
    text = (
        "The two sides laid the basis for economic ties late last summer. "
        "Last month's summit produced a joint statement."
    )
    state = parsed(resources, text, "2023-06-29")
    assert date_of(state, "laid")[0] == "2022-08"
    assert date_of(state, "produced")[0] == "2023-05"


def test_date_in_another_conjunct_does_not_date_the_first(resources: Resources) -> None:
    text = "The rebels are listed as terrorists by the government and have carried out raids since 2019."
    state = parsed(resources, text, "2024-10")
    assert date_of(state, "listed")[0] != "2019"
    assert date_of(state, "carried")[0] == "2019"


def test_point_event_in_a_decade_takes_no_date(resources: Resources) -> None:
    state = parsed(resources, "The movement descends from the 1980s fighters that defeated the army.", "2020-07")
    assert date_of(state, "defeated")[0] is None


def test_statement_date_uses_its_own_date_else_publication(resources: Resources) -> None:
    text = "In 2003, the council banned the movement. The movement remains on the council's list."
    state = parsed(resources, text, "2020-07-02")
    timeline = DocumentTimeline(state, LEXICON)
    first, second = [s.index for s in state.analysed_sentences()]
    assert timeline.statement_date(first).value == "2003"
    assert timeline.statement_date(second).value == "2020-07-02"


def test_no_publication_date_means_no_relative_dates(resources: Resources) -> None:
    state = parsed(resources, "The ministers met last month and signed a deal.", None)
    assert date_of(state, "met")[0] is None


def test_date_in_a_when_clause_dates_the_main_event(resources: Resources) -> None:
    text = "When the coalition was invading the country in 2001, the government armed the rebels."
    assert date_of(parsed(resources, text, "2021-08"), "armed")[0] == "2001"


def test_comment_clause_keeps_present_time(resources: Resources) -> None:
    text = "The envoy signed a deal in February, which showed that his country has warmer ties with the rebels."
    state = parsed(resources, text, "2020-07-02")
    assert date_of(state, "signed")[0] == "2020-02"
    assert date_of(state, "has")[0] == "2020-07-02"


def test_perfect_with_since_clause_and_negated_perfect_are_current(resources: Resources) -> None:
    text = "Since the president fled, the ambassador has praised the rebels. The council has not recognised them."
    state = parsed(resources, text, "2021-08-30")
    assert date_of(state, "praised") == ("2021-08-30", "since-event")
    assert date_of(state, "recognised", "negated") == ("2021-08-30", "not-yet")


def test_undated_past_speech_with_reported_clause_is_recent(resources: Resources) -> None:
    # the act is outside the lead paragraph, where a news report's undated acts are recent news
    text = "The envoy said that the talks had resumed.\n\nThe movement declared war on its rivals."
    state = parsed(resources, text, "2023-06-29")
    assert date_of(state, "said") == ("2023-06-29", "speech-recent")
    assert date_of(state, "declared")[0] is None


def test_recent_report_is_dated_by_the_citation_that_follows(resources: Resources) -> None:
    text = (
        "The council is reportedly considering the removal of the movement from its list,"
        " according to a recent report.1\n\n"
        '"Council weighs lifting ban". Northern Daily, 27 May 2024. https://example.org/council\n'
    )
    state = parsed(resources, text, "2024-06-14")
    assert date_of(state, "removal", "possible")[0] == "2024-05-27"


def test_statement_issued_at_a_dated_meeting_dates_what_it_says(resources: Resources) -> None:
    text = "The communique issued at last month's summit called on the rebels to disarm."
    assert date_of(parsed(resources, text, "2024-10"), "called")[0] == "2024-09"


def test_a_deal_signed_earlier_does_not_date_its_collapse(resources: Resources) -> None:
    text = "The deal that the two sides signed in 2019 collapsed."
    assert date_of(parsed(resources, text, "2024-10"), "collapsed")[0] is None


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Earlier this year, in May, the envoys held talks in the capital.", "held", "2021-05"),
        ("Late last year, in November, the rebels seized a border town.", "seized", "2020-11"),
        ("This year the envoys held talks in the capital.", "held", "2021"),
    ],
)
def test_an_adjacent_narrower_date_refines_the_broader_one(
    resources: Resources, text: str, word: str, expected: str
) -> None:
    state = parsed(resources, text, "2021-10-21")
    assert date_of(state, word)[0] == expected


def test_undated_past_commitment_stands_as_of_publication(resources: Resources) -> None:
    state = parsed(resources, "The government pledged to deliver grain to the northern provinces.", "2022-04-12")
    assert date_of(state, "deliver", "planned") == ("2022-04-12", "standing-commitment")


def test_existing_plan_inside_the_authors_hypothetical_is_current(resources: Resources) -> None:
    text = "A wider war would complicate plans by the two states to use the port as a hub."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "use", "planned") == ("2022-04-12", "promise")


def test_backshifted_obligation_in_reported_speech_takes_the_statement_date(resources: Resources) -> None:
    text = "The envoy added that the rebels ran the province and that his country had to talk to them."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "talk", "recommended")[0] == "2022-04-12"


def test_act_joined_to_an_undated_speech_shares_its_occasion(resources: Resources) -> None:
    text = "A rebel spokesman praised the offer and said the group hoped for talks soon."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "praised") == ("2022-04-12", "speech-recent")


def test_undated_past_act_without_speech_or_commitment_stays_null(resources: Resources) -> None:
    # published to the month only, so not a news report (whose undated lead acts are recent news)
    state = parsed(resources, "The rebels seized the airport and burned the hangars.", "2022-04")
    assert date_of(state, "seized")[0] is None


def test_perfect_with_a_bare_season_takes_its_year(resources: Resources) -> None:
    state = parsed(resources, "The allies have kept their consulate open throughout the summer.", "2021-10-21")
    assert date_of(state, "kept")[0] == "2021"


def test_past_act_reported_by_an_undated_speech_is_recent(resources: Resources) -> None:
    text = "The interior ministry confirmed that it had released the detained sailors."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "released") == ("2022-04-12", "reported-recent")


def test_repeated_act_reported_by_an_undated_speech_has_no_date(resources: Resources) -> None:
    text = "The ministry said the capital had repeatedly urged the rebels to disarm."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "urged")[0] is None


def test_prospect_under_a_perfect_is_current(resources: Resources) -> None:
    text = "The council has come closer than ever to lifting the sanctions on the port."
    state = parsed(resources, text, "2022-04-12")
    assert date_of(state, "lifting", "possible") == ("2022-04-12", "prospect")


def test_hedged_perfect_main_verb_stays_undated(resources: Resources) -> None:
    state = parsed(resources, "The rebels have perhaps attacked the convoy.", "2022-04-12")
    assert date_of(state, "attacked", "possible") == (None, "perfect-undated")
