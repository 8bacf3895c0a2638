"""The ``event_context`` stage (nlp/event_anaphora.py) on hand-built parses: events referred
back to ("condemned the attack"), agentless passives and collectives completed from the
context only when exactly one candidate fits. Every sentence was written for these tests."""

from __future__ import annotations

import pytest

from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Brazil": "brazil", "Chile": "chile", "Peru": "peru", "Argentina": "argentina"}

BRAZIL_ATTACKED_CHILE = """
    Brazil    _       PROPN  nsubj  1
    attacked  attack  VERB   ROOT   1
    Chile     _       PROPN  dobj   1
    .         _       PUNCT  punct  1
"""

TWO_ATTACKED_CHILE = """
    Brazil    _       PROPN  nsubj  3
    and       _       CCONJ  cc     0
    Peru      _       PROPN  conj   0
    attacked  attack  VERB   ROOT   3
    Chile     _       PROPN  dobj   3
    .         _       PUNCT  punct  3
"""

BRAZIL_PRAISED_CHILE = """
    Brazil   _       PROPN  nsubj  1
    praised  praise  VERB   ROOT   1
    Chile    _       PROPN  dobj   1
    .        _       PUNCT  punct  1
"""

ARGENTINA_CONDEMNED_THE_ATTACK = """
    Argentina  _        PROPN  nsubj  1
    condemned  condemn  VERB   ROOT   1
    the        _        DET    det    3
    attack     _        NOUN   dobj   1
    .          _        PUNCT  punct  1
"""

BRAZIL_HOSTED_PERU = """
    Brazil  _     PROPN  nsubj  1
    hosted  host  VERB   ROOT   1
    Peru    _     PROPN  dobj   1
    .       _     PUNCT  punct  1
"""

TWO_CRITICIZED_CHILE = """
    Brazil      _          PROPN  nsubj  3
    and         _          CCONJ  cc     0
    Peru        _          PROPN  conj   0
    criticized  criticize  VERB   ROOT   3
    Chile       _          PROPN  dobj   3
    .           _          PUNCT  punct  3
"""

ARGENTINA_NOT_INVITED = """
    Argentina  _       PROPN  nsubjpass  3
    was        be      AUX    auxpass    3  VBD
    not        _       PART   neg        3
    invited    invite  VERB   ROOT       3  VBN
    .          _       PUNCT  punct      3
"""

BRAZIL_AND_CHILE_MET = """
    Brazil  _     PROPN  nsubj  3
    and     _     CCONJ  cc     0
    Chile   _     PROPN  conj   0
    met     meet  VERB   ROOT   3
    .       _     PUNCT  punct  3
"""

BOTH_SIDES_CRITICIZED = """
    Both        both       DET    det    1
    sides       side       NOUN   nsubj  2  NNS
    criticized  criticize  VERB   ROOT   2
    Argentina   _          PROPN  dobj   2
    .           _          PUNCT  punct  2
"""

Found = set[tuple[str | None, str | None, str, str]]


def state_of(*tables: str) -> DocState:
    return make_state(*(make_doc(t) for t in tables), actors=ACTORS)


def in_second_sentence(resources: Resources, stage: str, *tables: str) -> Found:
    state = run_stage(state_of(*tables), resources, stage)
    return {(e.source, e.target, e.code[:2], e.modality) for e in state.events if e.sentence_index == 1}


def test_a_reaction_to_the_attack_targets_its_author(model_free_resources: Resources) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_ATTACKED_CHILE,
                               ARGENTINA_CONDEMNED_THE_ATTACK)
    assert found == {("argentina", "brazil", "11", "asserted")}
    assert not in_second_sentence(model_free_resources, "gatherings", BRAZIL_ATTACKED_CHILE,
                                  ARGENTINA_CONDEMNED_THE_ATTACK)


def test_an_attack_by_two_authors_is_left_unresolved(model_free_resources: Resources) -> None:
    assert not in_second_sentence(model_free_resources, "event_context", TWO_ATTACKED_CHILE,
                                  ARGENTINA_CONDEMNED_THE_ATTACK)


def test_the_attack_does_not_refer_to_praise(model_free_resources: Resources) -> None:
    assert not in_second_sentence(model_free_resources, "event_context", BRAZIL_PRAISED_CHILE,
                                  ARGENTINA_CONDEMNED_THE_ATTACK)


def test_an_agentless_passive_takes_the_one_actor_of_the_preceding_sentence(model_free_resources: Resources) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_HOSTED_PERU, ARGENTINA_NOT_INVITED)
    assert found == {("brazil", "argentina", "03", "negated")}
    assert not in_second_sentence(model_free_resources, "gatherings", BRAZIL_HOSTED_PERU, ARGENTINA_NOT_INVITED)


def test_an_agentless_passive_after_two_candidates_stays_unresolved(model_free_resources: Resources) -> None:
    assert not in_second_sentence(model_free_resources, "event_context", TWO_CRITICIZED_CHILE, ARGENTINA_NOT_INVITED)


def test_both_sides_are_the_coordinated_subjects_of_the_preceding_sentence(model_free_resources: Resources) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_AND_CHILE_MET, BOTH_SIDES_CRITICIZED)
    assert found == {("brazil", "argentina", "11", "asserted"), ("chile", "argentina", "11", "asserted")}


def test_the_context_stage_leaves_no_partial_events(model_free_resources: Resources) -> None:
    state = run_stage(state_of(TWO_ATTACKED_CHILE, ARGENTINA_CONDEMNED_THE_ATTACK), model_free_resources,
                      "event_context")
    assert not state.partial_events


ARGENTINA_WELCOMED_THE_DECISION = """
    Argentina  _         PROPN  nsubj  1
    welcomed   welcome   VERB   ROOT   1
    the        _         DET    det    3
    decision   _         NOUN   dobj   1
    .          _         PUNCT  punct  1
"""

ARGENTINA_REJECTED_A_REQUEST = """
    Argentina  _        PROPN  nsubj  1
    rejected   reject   VERB   ROOT   1
    a          _        DET    det    3
    request    _        NOUN   dobj   1
    .          _        PUNCT  punct  1
"""

A_CEASEFIRE_WAS_AGREED = """
    A          _       DET    det        1
    ceasefire  _       NOUN   nsubjpass  3
    was        be      AUX    auxpass    3  VBD
    agreed     agree   VERB   ROOT       3  VBN
    .          _       PUNCT  punct      3
"""


def test_welcoming_the_decision_targets_the_maker_of_the_earlier_event(model_free_resources: Resources) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_PRAISED_CHILE,
                               ARGENTINA_WELCOMED_THE_DECISION)
    assert found == {("argentina", "brazil", "05", "asserted")}


def test_the_decision_cannot_refer_back_to_an_attack(model_free_resources: Resources) -> None:
    """The earlier-event lookup decides: no compatible event, no target (the subject of the
    preceding sentence is not taken instead)."""
    assert not in_second_sentence(model_free_resources, "event_context", BRAZIL_ATTACKED_CHILE,
                                  ARGENTINA_WELCOMED_THE_DECISION)


def test_an_answered_act_that_does_not_refer_back_takes_the_preceding_subject(
    model_free_resources: Resources,
) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_ATTACKED_CHILE,
                               ARGENTINA_REJECTED_A_REQUEST)
    assert {(s, t) for s, t, _, _ in found} == {("argentina", "brazil")}


def test_an_agreement_without_parties_is_coded_between_the_two_of_the_preceding_sentence(
    model_free_resources: Resources,
) -> None:
    found = in_second_sentence(model_free_resources, "event_context", BRAZIL_AND_CHILE_MET, A_CEASEFIRE_WAS_AGREED)
    assert found == {("brazil", "chile", "08", "asserted")}


def test_an_agreement_without_parties_after_three_actors_gives_nothing(model_free_resources: Resources) -> None:
    assert not in_second_sentence(model_free_resources, "event_context", TWO_ATTACKED_CHILE, A_CEASEFIRE_WAS_AGREED)
    alone = run_stage(state_of(A_CEASEFIRE_WAS_AGREED), model_free_resources, "event_context")
    assert not alone.events and not alone.partial_events
