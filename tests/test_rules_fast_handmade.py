"""The hand-built parses of the fast tier (tests/handmade.py) and its guard against loading a model."""

from __future__ import annotations

from typing import Any

import pytest
import spacy

from dyadlens.resources import SPACY_MODEL, Resources
from handmade import ModelFreeResources, add_mentions, make_doc, make_state, run_stage, table

pytestmark = pytest.mark.fast

MET = """
    Peru      _      PROPN  nsubj  1
    met       meet   VERB   ROOT   1
    Chile     _      PROPN  dobj   1
    .         _      PUNCT  punct  1
"""


def test_a_table_and_tuples_make_the_same_doc() -> None:
    rows = [("Peru", "Peru", "PROPN", "nsubj", 1), ("met", "meet", "VERB", "ROOT", 1),
            ("Chile", "Chile", "PROPN", "dobj", 1), (".", ".", "PUNCT", "punct", 1)]
    assert table(MET) == rows
    by_table, by_rows = make_doc(MET), make_doc(rows)
    assert by_table.to_json() == by_rows.to_json()


def test_the_doc_carries_every_annotation_written() -> None:
    doc = make_doc(MET, ents=[(0, 1, "GPE"), (2, 3, "GPE")])
    assert doc.text == "Peru met Chile."
    assert [(t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i) for t in doc][:2] == [
        ("Peru", "PROPN", "NNP", "nsubj", 1),
        ("meet", "VERB", "VBD", "ROOT", 1),
    ]
    assert [(e.text, e.label_) for e in doc.ents] == [("Peru", "GPE"), ("Chile", "GPE")]
    assert [s.text for s in doc.sents] == ["Peru met Chile."]


def test_a_given_text_places_the_spaces_and_must_be_spelled_by_the_words() -> None:
    rows = [("Peru", "Peru", "PROPN", "nsubj", 1), ("'s", "'s", "PART", "ROOT", 1)]
    assert make_doc(rows, text="Peru's").text == "Peru's"
    with pytest.raises(ValueError, match="not at offset"):
        make_doc(rows, text="Peru is")


def test_a_miscounted_head_is_refused() -> None:
    with pytest.raises(ValueError, match="ROOT"):
        make_doc([("Peru", "Peru", "PROPN", "nsubj", 1), ("met", "meet", "VERB", "ROOT", 0)])


def test_sentence_starts_without_a_parse() -> None:
    rows = [(w, w.lower(), "X", None, None) for w in ("Yes", ".", "No", ".")]
    doc = make_doc(rows, sent_starts=[True, False, True, False])
    assert [s.text for s in doc.sents] == ["Yes.", "No."]


def test_a_state_lays_sentences_out_with_offsets_the_parses_share() -> None:
    first, second = make_doc(MET), make_doc(MET)
    state = make_state(first, second, actors={"Chile": "chile"}, paragraphs=[0, 1])
    assert state.text == "Peru met Chile.\n\nPeru met Chile."
    assert [(s.index, s.start, s.end, s.paragraph) for s in state.sentences] == [(0, 0, 15, 0), (1, 17, 32, 1)]
    assert state.doc.text == state.text
    assert [state.sentence_span(s.index).text for s in state.sentences] == [first.text, second.text]
    for mention in state.mentions:
        sentence = state.sentences[mention.sentence_index]
        token = state.sentence_span(sentence.index)[2]
        assert state.text[mention.start : mention.end] == token.text == "Chile"
        assert mention.start == token.idx


def test_mentions_take_the_entity_label_and_whole_words_only() -> None:
    state = make_state(make_doc(MET, ents=[(2, 3, "GPE")]))
    assert [m.label for m in add_mentions(state, "Chile", "chile")] == ["GPE"]
    assert add_mentions(state, "Chil", "chile") == []


def test_run_stage_runs_the_stages_between_but_none_the_state_stands_in_for(
    model_free_resources: Resources,
) -> None:
    state = make_state(make_doc(MET), actors={"Chile": "chile"})
    mentions = list(state.mentions)
    run_stage(state, model_free_resources, "timeline")
    assert state.timeline is not None
    assert state.mentions == mentions and not state.actors


def test_model_free_resources_refuse_the_spacy_pipeline_and_load_the_rest() -> None:
    resources = ModelFreeResources()
    with pytest.raises(AssertionError, match=r"Resources\.nlp"):
        _ = resources.nlp
    assert resources.verbs.candidates("meet", "verb") and resources.kb.get("chile") is not None


def test_the_guard_refuses_and_records_a_model_load(model_guard: Any) -> None:
    assert model_guard is not None
    with pytest.raises(AssertionError, match="fast test"):
        spacy.load(SPACY_MODEL)
    with pytest.raises(AssertionError, match="fast test"):
        Resources().nlp  # noqa: B018 - the property is what loads the model
    assert model_guard.attempts == [SPACY_MODEL, SPACY_MODEL]
    model_guard.attempts.clear()  # this test tripped it on purpose
