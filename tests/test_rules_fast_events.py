"""The event coder (nlp/events.py) on hand-built parses and mentions: no model.

The coder gets the real verb dictionary, KB and lexicon from data files
(:class:`handmade.ModelFreeResources`, whose spaCy pipeline may not be
touched). The assertions read the event's fields that say what was coded
(dyad, CAMEO code, modality, claimant, trigger span, date), not how the
coder got there.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from dyadlens.model import Event
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Brazil": "brazil", "Argentina": "argentina", "Chile": "chile"}
GPE = "GPE"


def coded(resources: Resources, state: DocState) -> list[Event]:
    """The events the default pipeline's ``events`` stage codes in a hand-made state."""
    return run_stage(state, resources, "events").events


def dyads(events: list[Event]) -> set[tuple[str | None, str | None, str, str]]:
    return {(e.source, e.target, e.code, e.modality) for e in events}


def one_sentence(table: str, published: str | None = "2024-05-10") -> DocState:
    return make_state(make_doc(table), actors=ACTORS, published=published)


def test_a_transitive_verb_codes_subject_to_object(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil      _          PROPN  nsubj  1
        criticized  criticize  VERB   ROOT   1
        Argentina   _          PROPN  dobj   1
        .           _          PUNCT  punct  1
    """)
    [event] = coded(model_free_resources, state)
    assert (event.source, event.target, event.code, event.modality) == ("brazil", "argentina", "111", "asserted")
    assert state.text[event.trigger_start : event.trigger_end] == "criticized"
    assert (event.start, event.end, event.sentence_index) == (0, len(state.text), 0)


def test_a_passive_takes_its_source_from_the_by_agent(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Argentina   _          PROPN  nsubjpass  2
        was         be         AUX    auxpass    2  VBD
        criticized  criticize  VERB   ROOT       2  VBN
        by          _          ADP    agent      2
        Brazil      _          PROPN  pobj       3
        .           _          PUNCT  punct      2
    """)
    assert dyads(coded(model_free_resources, state)) == {("brazil", "argentina", "111", "asserted")}


def test_a_symmetric_verb_with_coordinated_subjects_codes_the_pair(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil     _     PROPN  nsubj  3
        and        _     CCONJ  cc     0
        Argentina  _     PROPN  conj   0
        met        meet  VERB   ROOT   3
        .          _     PUNCT  punct  3
    """)
    assert dyads(coded(model_free_resources, state)) == {("brazil", "argentina", "040", "asserted")}


def test_the_entry_preposition_gives_the_target_and_a_governing_date_dates_it(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil     _     PROPN  nsubj     1
        met        meet  VERB   ROOT      1
        with       _     ADP    prep      1
        Argentina  _     PROPN  pobj      2
        on         _     ADP    prep      1
        3          _     NUM    nummod    6  CD
        March      _     PROPN  pobj      4
        2024       _     NUM    nummod    6  CD
        .          _     PUNCT  punct     1
    """)
    [event] = coded(model_free_resources, state)
    assert (event.source, event.target, event.code) == ("brazil", "argentina", "040")
    assert event.date == "2024-03-03"
    assert state.text[event.date_start : event.date_end] == "3 March 2024"


def test_negation_on_the_verb_reaches_the_event(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil     _          PROPN  nsubj  3
        did        do         AUX    aux    3  VBD
        not        _          PART   neg    3
        criticize  _          VERB   ROOT   3  VB
        Argentina  _          PROPN  dobj   3
        .          _          PUNCT  punct  3
    """)
    assert dyads(coded(model_free_resources, state)) == {("brazil", "argentina", "111", "negated")}


def test_a_present_tense_action_takes_the_publication_date(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil      _          PROPN  nsubj  1
        criticizes  criticize  VERB   ROOT   1  VBZ
        Argentina   _          PROPN  dobj   1
        .           _          PUNCT  punct  1
    """, published="2024-05-10")
    [event] = coded(model_free_resources, state)
    assert event.date == "2024-05-10"


def test_an_undated_past_action_has_no_date(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil      _          PROPN  nsubj  1
        criticized  criticize  VERB   ROOT   1  VBD
        Argentina   _          PROPN  dobj   1
        .           _          PUNCT  punct  1
    """)
    [event] = coded(model_free_resources, state)
    assert event.date is None


def test_threatening_an_action_codes_the_threat_of_it(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil      _          PROPN  nsubj  1
        threatened  threaten   VERB   ROOT   1
        to          _          PART   aux    3  TO
        impose      _          VERB   xcomp  1  VB
        sanctions   sanction   NOUN   dobj   3  NNS
        on          _          ADP    prep   3
        Argentina   _          PROPN  pobj   5
        .           _          PUNCT  punct  1
    """)
    events = coded(model_free_resources, state)
    assert {(e.source, e.target, e.code) for e in events} == {("brazil", "argentina", "1312")}
    assert state.text[events[0].trigger_start : events[0].trigger_end] == "impose"


def test_a_possessed_nominal_trigger_codes_owner_to_of_object(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Brazil     _          PROPN  poss   2
        's         _          PART   case   0  POS
        criticism  _          NOUN   nsubj  5
        of         _          ADP    prep   2
        Argentina  _          PROPN  pobj   3
        grew       grow       VERB   ROOT   5
        .          _          PUNCT  punct  5
    """)
    assert dyads(coded(model_free_resources, state)) == {("brazil", "argentina", "111", "asserted")}


def test_a_reported_hostile_act_has_a_claimant_and_adds_the_accusation(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Chile      _       PROPN  nsubj  1
        said       say     VERB   ROOT   1
        Brazil     _       PROPN  nsubj  3
        attacked   attack  VERB   ccomp  1
        Argentina  _       PROPN  dobj   3
        .          _       PUNCT  punct  1
    """)
    events = {(e.source, e.target, e.code): e for e in coded(model_free_resources, state)}
    assert set(events) == {("brazil", "argentina", "180"), ("chile", "brazil", "112")}
    assert events["brazil", "argentina", "180"].claimant == "chile"
    assert events["chile", "brazil", "112"].claimant is None


def test_a_reported_prescription_adds_the_speakers_demand(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Chile      _         PROPN  nsubj  1
        said       say       VERB   ROOT   1
        Brazil     _         PROPN  nsubj  4
        must       _         AUX    aux    4  MD
        host       _         VERB   ccomp  1  VB
        Argentina  _         PROPN  dobj   4
        .          _         PUNCT  punct  1
    """)
    found = dyads(coded(model_free_resources, state))
    assert ("chile", "brazil", "100", "asserted") in found
    assert ("brazil", "argentina", "043", "recommended") in found


def test_no_actor_on_the_source_side_codes_nothing(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Critics     critic     NOUN   nsubj  1  NNS
        criticized  criticize  VERB   ROOT   1
        Argentina   _          PROPN  dobj   1
        .           _          PUNCT  punct  1
    """)
    assert coded(model_free_resources, state) == []


def test_a_question_codes_nothing(model_free_resources: Resources) -> None:
    state = one_sentence("""
        Did        do         AUX    aux    2  VBD
        Brazil     _          PROPN  nsubj  2
        criticize  _          VERB   ROOT   2  VB
        Argentina  _          PROPN  dobj   2
        ?          _          PUNCT  punct  2
    """)
    assert coded(model_free_resources, state) == []


def test_a_subject_pronoun_takes_the_previous_sentences_subject(model_free_resources: Resources) -> None:
    first = make_doc("""
        Brazil     _       PROPN  nsubj  1
        hosted     host    VERB   ROOT   1
        Chile      _       PROPN  dobj   1
        .          _       PUNCT  punct  1
    """)
    second = make_doc("""
        It         it         PRON   nsubj  2
        later      _          ADV    advmod 2
        criticized criticize  VERB   ROOT   2
        Argentina  _          PROPN  dobj   2
        .          _          PUNCT  punct  2
    """)
    events = coded(model_free_resources, make_state(first, second, actors=ACTORS))
    assert {(e.sentence_index, e.source, e.target, e.code) for e in events} == {
        (0, "brazil", "chile", "043"),
        (1, "brazil", "argentina", "111"),
    }


def test_the_verb_dictionary_puts_the_more_specific_entry_first(model_free_resources: Resources) -> None:
    verbs = model_free_resources.verbs
    meet = verbs.candidates("meet", "verb")
    assert meet and meet[0].preps == frozenset({"with"})
    assert all(a.specificity >= b.specificity for a, b in pairwise(meet))
    assert verbs.has_lemma("criticism", "noun") and not verbs.has_lemma("criticism", "verb")
    assert verbs.candidates("snooze", "verb") == []
