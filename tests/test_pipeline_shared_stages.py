"""What the extractors share through the document state: quote marks paired once
(``quote_marks``), the document's timeline built once (``timeline``), read by the event coder,
the quote reader and the designation reader, and the actor stage's coreference links
(``coref``), which the quote reader follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput
from dyadlens.nlp import quote_marks
from dyadlens.nlp.dates import DocumentTimeline
from dyadlens.nlp.events import EventCoder
from dyadlens.pipeline import PipelineConfig, PipelineConfigError, build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

DEFAULT_TOML = (Path(__file__).resolve().parent.parent / "src" / "dyadlens" / "pipeline.toml").read_text(
    encoding="utf-8"
)
TEXT = (
    "In March 2021, Canada listed the Taliban as a terrorist entity. "
    "“We will not talk to them,” Foreign Minister Anna Lindqvist said on Monday. "
    "Russia and China signed a trade deal in Moscow last week.\n"
)
#: "He" is the subject of the sentence before (the actor stage's antecedent), not the last person named.
RECEIVED = (
    "Vladimir Putin received Sergey Lavrov in Moscow on Monday. "
    "He said: “We will not wait for anyone to decide this for us.”\n"
)


def raw_input(text: str = TEXT) -> RawInput:
    return RawInput(doc_id="t", path="t.txt", format="txt", data=text.encode(), meta={"published": "2022-03-10"})


def state_upto(resources: Resources, stage: str, text: str = TEXT) -> DocState:
    state = DocState(document=read_document(raw_input(text)))
    for component in build_pipeline(resources, upto=stage).components:
        component(state)
    return state


def without_stage(name: str, factory: str) -> str:
    stage = f'[[stage]]\nname = "{name}"\nfactory = "{factory}"\n\n'
    assert stage in DEFAULT_TOML
    return DEFAULT_TOML.replace(stage, "")


def test_the_stages_pair_the_quote_marks_and_build_the_timeline(resources: Resources) -> None:
    state = state_upto(resources, "timeline")
    assert [state.text[s.start : s.end] for s in state.quote_spans] == ["We will not talk to them,"]
    assert isinstance(state.timeline, DocumentTimeline)
    assert "2021-03" in [e.value for e in state.timeline.expressions()]
    assert not state.events and not state.quotes


@pytest.mark.parametrize(
    ("name", "factory", "refused"),
    [
        ("timeline", "dyadlens.timeline.v1", r"stage 'events' \(dyadlens.events.rules.v1\) requires timeline"),
        ("quote_marks", "dyadlens.quote_marks.v1", r"stage 'actors' \(dyadlens.actors.kb.v1\) requires quote_spans"),
    ],
)
def test_a_config_without_a_shared_stage_is_refused_at_build(name: str, factory: str, refused: str) -> None:
    config = PipelineConfig.parse(without_stage(name, factory), source="mine.toml")
    with pytest.raises(PipelineConfigError, match=f"mine.toml: {refused}, which no earlier stage assigns"):
        build_pipeline(Resources(), config=config)


def test_one_timeline_and_one_pairing_of_quote_marks_serve_every_extractor(
    resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    paired: list[str] = []
    build, pair = DocumentTimeline.__init__, quote_marks.quoted_spans

    def counted_build(timeline: DocumentTimeline, state: DocState, *args: object) -> None:
        built.append(state.document.id)
        build(timeline, state, *args)  # type: ignore[arg-type]

    def counted_pair(text: str) -> list[quote_marks.QuotedSpan]:
        paired.append(text)
        return pair(text)

    monkeypatch.setattr(DocumentTimeline, "__init__", counted_build)
    monkeypatch.setattr(quote_marks, "quoted_spans", counted_pair)
    records = build_pipeline(resources)(raw_input())
    assert records.events and records.quotes and records.designations
    assert {e.date for e in records.events} == {"2021-03", "2022-03"}
    assert built == ["t"] and paired == [TEXT]


def test_a_coder_run_without_the_timeline_stage_says_what_is_missing(resources: Resources) -> None:
    state = state_upto(resources, "actors")
    with pytest.raises(RuntimeError, match="run the 'timeline' stage"):
        EventCoder(resources)(state)


def test_the_quote_reader_follows_the_actor_stages_link_from_a_pronoun(resources: Resources) -> None:
    state = state_upto(resources, "quotes", RECEIVED)
    (link,) = state.coref
    assert state.text[link.start : link.end] == "He"
    assert (link.antecedent_start, link.actor_id, link.person) == (0, "russia", "vladimir-putin")
    (quote,) = state.quotes
    assert (quote.speaker, quote.speaker_actor, quote.speaker_start) == ("Vladimir Putin", "russia", 0)
