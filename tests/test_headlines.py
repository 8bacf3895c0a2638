"""Titles, standfirsts and summary bullets are coded like sentences and dated by the headline
convention (present or past tense: recent news; the same event in the lead gives its date).
Every text is invented for the test."""

from __future__ import annotations

import pytest

from dyadlens.ingest.readers import read_document
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.nlp.dates import DocumentTimeline, TimelineOptions
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.nlp.quote_marks import QuoteMarkStage
from dyadlens.nlp.sentences import SentenceSplitter, is_bullet_item
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

LEXICON = load_lexicon()
#: A Thursday.
PUBLISHED = "2022-09-15"

ARTICLE = (
    "Navy seizes tanker in the strait\n\n"
    "• Crew detained for questioning\n"
    "• Owners protest the seizure\n\n"
    "The navy seized an oil tanker in the strait on Tuesday after a chase at sea.\n\n"
    "Officials did not say where the crew was held."
)


def sentence_texts(text: str) -> list[tuple[str, bool, bool]]:
    """(text, is heading, is a bullet item) of each sentence."""
    return [(text[s:e], heading, is_bullet_item(text, s)) for s, e, _, heading in SentenceSplitter().spans(text)]


@pytest.mark.fast
def test_a_bullet_marker_is_left_out_of_its_sentence() -> None:
    assert sentence_texts(ARTICLE)[:3] == [
        ("Navy seizes tanker in the strait", True, False),
        ("Crew detained for questioning", True, True),
        ("Owners protest the seizure", True, True),
    ]


@pytest.mark.fast
def test_a_hyphen_inside_a_line_is_no_bullet() -> None:
    text = "The truce - agreed in haste - held for a week."
    assert sentence_texts(text) == [(text, False, False)]


def parsed(resources: Resources, text: str, published: str | None = PUBLISHED) -> DocState:
    raw = RawInput(doc_id="t", path="t.txt", format="txt", data=text.encode(), meta={"published": published})
    state = DocState(document=read_document(raw))
    for component in build_pipeline(resources, upto="parse").components:
        component(state)
    QuoteMarkStage()(state)
    return state


def date_of(state: DocState, word: str, options: TimelineOptions | None = None) -> tuple[str | None, str]:
    timeline = DocumentTimeline(state, LEXICON, options)
    for sentence in state.analysed_sentences():
        for token in state.sentence_span(sentence.index) or ():
            if token.text == word:
                found = timeline.date_for(sentence.index, token.i, "asserted")
                return found.value, found.rule
    raise AssertionError(f"{word!r} not in the text")


HEADLINES_OFF = TimelineOptions(headline_dates=False)


@pytest.mark.slow
def test_a_headline_event_takes_the_date_of_the_same_event_in_the_lead(resources: Resources) -> None:
    state = parsed(resources, ARTICLE)
    assert date_of(state, "seizes") == ("2022-09-13", "headline-lead")
    assert date_of(state, "seizes", HEADLINES_OFF) == (PUBLISHED, "present")


@pytest.mark.slow
def test_a_summary_bullet_is_dated_like_a_headline(resources: Resources) -> None:
    state = parsed(resources, ARTICLE)
    # no word of theirs in the lead: the lead's own day (the story's date), not publication
    assert date_of(state, "detained") == ("2022-09-13", "headline-story")
    assert date_of(state, "protest") == ("2022-09-13", "headline-story")


@pytest.mark.slow
def test_a_past_tense_headline_tells_recent_news(resources: Resources) -> None:
    text = "Rebels took the airport, witnesses say\n\nFighting went on in the suburbs."
    state = parsed(resources, text)
    assert date_of(state, "took") == (PUBLISHED, "headline")
    assert date_of(state, "took", HEADLINES_OFF)[0] is None


@pytest.mark.slow
def test_a_headline_plan_keeps_the_ordinary_convention(resources: Resources) -> None:
    text = "Premier will visit the border next month\n\nThe trip was announced by her office."
    state = parsed(resources, text)
    assert date_of(state, "visit") == ("2022-10", "relative:relative-unit")


@pytest.mark.slow
def test_headline_events_are_coded_with_evidence_in_the_stored_text(resources: Resources) -> None:
    text = "Russia criticises Ukraine over prisoner exchange\n\nRussia on Monday criticised Ukraine over the exchange."
    records = run(resources, text, title=None)
    heading = next(s for s in records.sentences if s.kind == "heading")
    headline_events = [e for e in records.events if e.sentence_index == heading.index]
    assert [(e.source, e.target, e.date) for e in headline_events] == [("russia", "ukraine", "2022-09-12")]
    event = headline_events[0]
    assert text[event.trigger_start : event.trigger_end] == "criticises"


@pytest.mark.slow
def test_a_title_only_in_metadata_is_not_coded(resources: Resources) -> None:
    body = "Russia on Monday criticised Ukraine over the exchange."
    records = run(resources, body, title="Russia criticises Ukraine")
    assert records.document.title == "Russia criticises Ukraine"
    assert all(s.kind == "body" for s in records.sentences)
    assert all(0 <= e.start < e.end <= len(body) for e in records.events)
    assert len(records.events) == 1


def run(resources: Resources, text: str, title: str | None) -> DocumentRecords:
    meta = {"published": PUBLISHED, "title": title}
    raw = RawInput(doc_id="h", path="h.txt", format="txt", data=text.encode(), meta=meta)
    return build_pipeline(resources)(raw)
