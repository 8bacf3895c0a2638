"""First-person pronouns in quotes stand for the speaker's side: the rule coder leaves a speaker
placeholder for "we"/"us"/"our" (and "I"/"my"), and the ``event_context`` stage fills it with
the actor of the quote that contains the event. Fast tests on hand-built parses with hand-made
quotes; the end-to-end ones load spaCy. Every sentence was written for these tests."""

from __future__ import annotations

import pytest

from dyadlens.model import Quote, RawInput, stable_id
from dyadlens.nlp.event_anaphora import EventContext
from dyadlens.nlp.events import SPEAKER, SPEAKER_SIDE
from dyadlens.pipeline import PipelineConfig, build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import built_stage, make_doc, make_state, run_stage

ACTORS = {"Brazil": "brazil", "Chile": "chile", "Peru": "peru", "Argentina": "argentina"}

WE_CRITICIZED_CHILE = """
    We          we         PRON   nsubj  1
    criticized  criticize  VERB   ROOT   1
    Chile       _          PROPN  dobj   1
    .           _          PUNCT  punct  1
"""

I_CRITICIZED_CHILE = """
    I           I          PRON   nsubj  1
    criticized  criticize  VERB   ROOT   1
    Chile       _          PROPN  dobj   1
    .           _          PUNCT  punct  1
"""

CHILE_CRITICIZED_US = """
    Chile       _          PROPN  nsubj  1
    criticized  criticize  VERB   ROOT   1
    us          we         PRON   dobj   1
    .           _          PUNCT  punct  1
"""

PERU_ATTACKED_CHILE = """
    Peru      _       PROPN  nsubj  1
    attacked  attack  VERB   ROOT   1
    Chile     _       PROPN  dobj   1
    .         _       PUNCT  punct  1
"""

WE_CONDEMNED_THE_ATTACK = """
    We         we       PRON   nsubj  1
    condemned  condemn  VERB   ROOT   1
    the        _        DET    det    3
    attack     _        NOUN   dobj   1
    .          _        PUNCT  punct  1
"""

Dyads = set[tuple[str, str]]


def quote_on(state: DocState, sentence_index: int, actor: str | None, role: str | None = None) -> Quote:
    """A quote whose words are the whole sentence, spoken for ``actor``."""
    sentence = state.sentences[sentence_index]
    return Quote(stable_id("q", sentence.start, actor or ""), state.document.id, sentence.start, sentence.end,
                 sentence_index, "direct", "a speaker", actor, role)


def coded(state: DocState, resources: Resources, *quotes: Quote, speaker_side: bool = True) -> Dyads:
    """The dyads of the last sentence once ``event_context`` has read the given quotes."""
    state.quotes = list(quotes)
    stage = built_stage(resources, "event_context") if speaker_side else EventContext(resources, speaker_side=False)
    stage(state)
    last = state.sentences[-1].index
    return {(e.source, e.target) for e in state.events if e.sentence_index == last}


def coded_events(resources: Resources, *tables: str) -> DocState:
    return run_stage(make_state(*(make_doc(t) for t in tables), actors=ACTORS), resources, "events")


@pytest.mark.fast
def test_the_rule_coder_leaves_we_as_the_speaker_side(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert not state.events
    assert [(p.found.source, p.found.target) for p in state.partial_events] == [(SPEAKER_SIDE, "chile")]


@pytest.mark.fast
def test_i_is_the_speaker_placeholder(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, I_CRITICIZED_CHILE)
    assert [p.found.source for p in state.partial_events] == [SPEAKER]


@pytest.mark.fast
def test_we_inside_a_quote_is_the_speakers_actor(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert coded(state, model_free_resources, quote_on(state, 0, "brazil")) == {("brazil", "chile")}
    assert all(e.confidence < 0.5 for e in state.events)


@pytest.mark.fast
def test_us_as_an_object_is_the_speakers_actor(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, CHILE_CRITICIZED_US)
    assert coded(state, model_free_resources, quote_on(state, 0, "brazil")) == {("chile", "brazil")}


@pytest.mark.fast
def test_the_authors_we_outside_quotes_is_never_resolved(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert coded(state, model_free_resources) == set()
    assert state.partial_events == []


@pytest.mark.fast
def test_a_quote_without_a_speaker_actor_codes_nothing(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert coded(state, model_free_resources, quote_on(state, 0, None)) == set()


@pytest.mark.fast
def test_an_unresolved_speaker_actor_codes_nothing(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert coded(state, model_free_resources, quote_on(state, 0, "unresolved:some-party")) == set()


@pytest.mark.fast
def test_quotes_with_different_speakers_are_ambiguous(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    quotes = (quote_on(state, 0, "brazil"), quote_on(state, 0, "peru"))
    assert coded(state, model_free_resources, *quotes) == set()


@pytest.mark.fast
def test_the_speaker_is_not_coded_against_itself(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, CHILE_CRITICIZED_US)
    assert coded(state, model_free_resources, quote_on(state, 0, "chile")) == set()


@pytest.mark.fast
def test_i_stands_for_the_actor_only_of_a_speaker_with_an_office(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, I_CRITICIZED_CHILE)
    assert coded(state, model_free_resources, quote_on(state, 0, "brazil")) == set()
    state = coded_events(model_free_resources, I_CRITICIZED_CHILE)
    minister = quote_on(state, 0, "brazil", role="foreign minister")
    assert coded(state, model_free_resources, minister) == {("brazil", "chile")}


@pytest.mark.fast
def test_we_then_the_event_referred_back_to(model_free_resources: Resources) -> None:
    """"Peru attacked Chile. 'We condemned the attack,' Argentina said": the speaker fills the
    source, and the attack's maker the target."""
    state = coded_events(model_free_resources, PERU_ATTACKED_CHILE, WE_CONDEMNED_THE_ATTACK)
    assert coded(state, model_free_resources, quote_on(state, 1, "argentina")) == {("argentina", "peru")}


@pytest.mark.fast
def test_the_switch_turns_the_speaker_side_off(model_free_resources: Resources) -> None:
    state = coded_events(model_free_resources, WE_CRITICIZED_CHILE)
    assert coded(state, model_free_resources, quote_on(state, 0, "brazil"), speaker_side=False) == set()


# --- end to end (spaCy) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyse(resources):  # type: ignore[no-untyped-def]
    def run(text: str, speaker_side: bool = True) -> set[tuple[str, str, str]]:
        config = PipelineConfig.default().with_option("event_context", "speaker_side", speaker_side)
        records = build_pipeline(resources, config=config)(
            RawInput("t", "t.txt", "txt", text.encode("utf-8"), {"published": "2024-03-01"})
        )
        return {(e.source, e.target, e.code) for e in records.events}

    return run


@pytest.mark.slow
def test_we_in_a_ministers_direct_quote(analyse) -> None:  # type: ignore[no-untyped-def]
    text = '"We support the government of Kazakhstan," Chinese Foreign Minister Wang Yi said on Monday.'
    assert ("china", "kazakhstan", "051") in analyse(text)
    assert not {e for e in analyse(text, speaker_side=False) if e[0] == "china"}


@pytest.mark.slow
def test_us_in_an_indirect_quote(analyse) -> None:  # type: ignore[no-untyped-def]
    text = "Lavrov said on Friday that the West could not stop us."
    assert any(source == "the-west" and target == "russia" for source, target, _ in analyse(text))


@pytest.mark.slow
def test_we_of_the_author_codes_nothing(analyse) -> None:  # type: ignore[no-untyped-def]
    assert analyse("We criticised Pakistan in an editorial last week.") == set()
