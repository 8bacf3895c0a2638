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


# Events referred back to whose maker the coder did not code, reactions in the passive, and
# agreements or meetings made by two parties (one reaction event per party).

ARGENTINA_WELCOMED_THE_TALKS = """
    Argentina  _        PROPN  nsubj  1
    welcomed   welcome  VERB   ROOT   1
    the        _        DET    det    3
    talks      talk     NOUN   dobj   1  NNS
    .          _        PUNCT  punct  1
"""

THE_ATTACK_WAS_CONDEMNED_BY_TWO = """
    The        _        DET    det        1
    attack     _        NOUN   nsubjpass  3
    was        be       AUX    auxpass    3  VBD
    condemned  condemn  VERB   ROOT       3  VBN
    by         _        ADP    agent      3
    Argentina  _        PROPN  pobj       4
    and        _        CCONJ  cc         5
    Peru       _        PROPN  conj       5
    .          _        PUNCT  punct      3
"""

BRAZIL_FIRED_A_MISSILE = """
    Brazil   _        PROPN  nsubj  1
    fired    fire     VERB   ROOT   1
    a        _        DET    det    3
    missile  _        NOUN   dobj   1
    .        _        PUNCT  punct  1
"""

THE_LAUNCH_WAS_CONDEMNED_BY_ARGENTINA = """
    The        _        DET    det        1
    launch     _        NOUN   nsubjpass  3
    was        be       AUX    auxpass    3  VBD
    condemned  condemn  VERB   ROOT       3  VBN
    by         _        ADP    agent      3
    Argentina  _        PROPN  pobj       4
    .          _        PUNCT  punct      3
"""

BRAZIL_CLAIMED_RESPONSIBILITY_FOR_THE_ATTACK = """
    Brazil          _       PROPN  nsubj  1
    claimed         claim   VERB   ROOT   1
    responsibility  _       NOUN   dobj   1
    for             _       ADP    prep   2
    the             _       DET    det    5
    attack          _       NOUN   pobj   3
    .               _       PUNCT  punct  1
"""

BRAZIL_SIGNED_A_MEMORANDUM_WITH_PERU = """
    Brazil      _     PROPN  nsubj  1
    signed      sign  VERB   ROOT   1
    a           _     DET    det    3
    memorandum  _     NOUN   dobj   1
    with        _     ADP    prep   1
    Peru        _     PROPN  pobj   4
    .           _     PUNCT  punct  1
"""

CHILE_CONDEMNED_THE_DEAL = """
    Chile      _        PROPN  nsubj  1
    condemned  condemn  VERB   ROOT   1
    the        _        DET    det    3
    deal       _        NOUN   dobj   1
    .          _        PUNCT  punct  1
"""

PERU_HOSTED_BRAZIL_AND_CHILE = """
    Peru    _     PROPN  nsubj  1
    hosted  host  VERB   ROOT   1
    Brazil  _     PROPN  dobj   1
    and     _     CCONJ  cc     2
    Chile   _     PROPN  conj   2
    .       _     PUNCT  punct  1
"""

THE_TALKS_LASTED_LONG = """
    The     _     DET    det     1
    talks   talk  NOUN   nsubj   2  NNS
    lasted  last  VERB   ROOT    2
    long    _     ADV    advmod  2
    .       _     PUNCT  punct   2
"""

ARGENTINA_WELCOMED_THE_AGREEMENT = """
    Argentina  _          PROPN  nsubj  1
    welcomed   welcome    VERB   ROOT   1
    the        _          DET    det    3
    agreement  _          NOUN   dobj   1
    .          _          PUNCT  punct  1
"""


def in_sentence(resources: Resources, index: int, *tables: str) -> Found:
    state = run_stage(state_of(*tables), resources, "event_context")
    return {(e.source, e.target, e.code[:2], e.modality) for e in state.events if e.sentence_index == index}


def test_welcoming_the_talks_approves_of_both_parties_of_the_meeting(model_free_resources: Resources) -> None:
    """A meeting is made by both its parties: one reaction each; and an act referred back to is
    approved of (051), never hosted (the other reading of "welcome")."""
    found = in_sentence(model_free_resources, 1, BRAZIL_AND_CHILE_MET, ARGENTINA_WELCOMED_THE_TALKS)
    assert found == {("argentina", "brazil", "05", "asserted"), ("argentina", "chile", "05", "asserted")}


def test_a_passive_reaction_gives_each_agent_an_event_against_the_maker(model_free_resources: Resources) -> None:
    found = in_sentence(model_free_resources, 1, BRAZIL_ATTACKED_CHILE, THE_ATTACK_WAS_CONDEMNED_BY_TWO)
    assert found == {("argentina", "brazil", "11", "asserted"), ("peru", "brazil", "11", "asserted")}


def test_an_agentless_passive_reaction_refers_to_nothing(model_free_resources: Resources) -> None:
    agentless = THE_LAUNCH_WAS_CONDEMNED_BY_ARGENTINA.replace("by         _        ADP    agent      3\n", "").replace(
        "Argentina  _        PROPN  pobj       4\n", "")
    assert not in_sentence(model_free_resources, 1, BRAZIL_FIRED_A_MISSILE, agentless)


def test_the_launch_refers_to_an_uncoded_act_named_by_a_verb_of_its_kind(model_free_resources: Resources) -> None:
    """The praise in between is coded and is no launch: the verb "fired" two sentences back names
    the act, and its subject made it."""
    found = in_sentence(model_free_resources, 2, BRAZIL_FIRED_A_MISSILE, BRAZIL_PRAISED_CHILE,
                        THE_LAUNCH_WAS_CONDEMNED_BY_ARGENTINA)
    assert found == {("argentina", "brazil", "11", "asserted")}


def test_the_attack_refers_to_the_act_whose_responsibility_was_claimed(model_free_resources: Resources) -> None:
    found = in_sentence(model_free_resources, 1, BRAZIL_CLAIMED_RESPONSIBILITY_FOR_THE_ATTACK,
                        ARGENTINA_CONDEMNED_THE_ATTACK)
    assert found == {("argentina", "brazil", "11", "asserted")}


def test_a_reaction_to_the_attack_is_not_an_attack_made_by_the_reactor(model_free_resources: Resources) -> None:
    """"condemned the attack" governs the noun but makes nothing: a second condemnation does not
    take the first one's author as the attacker."""
    assert not in_sentence(model_free_resources, 1, ARGENTINA_CONDEMNED_THE_ATTACK,
                           ARGENTINA_CONDEMNED_THE_ATTACK.replace("Argentina", "Peru     "))


def test_the_deal_signed_with_a_partner_was_made_by_the_signer(model_free_resources: Resources) -> None:
    """"X signed a memorandum with Y": the deal is X's act (the subject of the maker verb)."""
    found = in_sentence(model_free_resources, 1, BRAZIL_SIGNED_A_MEMORANDUM_WITH_PERU, CHILE_CONDEMNED_THE_DEAL)
    assert {(s, t) for s, t, _, _ in found} == {("chile", "brazil")}


def test_the_agreement_of_a_hosted_gathering_targets_its_two_participants(model_free_resources: Resources) -> None:
    """No coded agreement and no act naming one: the agreement was made by the two participants
    of the gathering, not by its host."""
    found = in_sentence(model_free_resources, 2, PERU_HOSTED_BRAZIL_AND_CHILE, THE_TALKS_LASTED_LONG,
                        ARGENTINA_WELCOMED_THE_AGREEMENT)
    assert {(s, t) for s, t, _, _ in found} == {("argentina", "brazil"), ("argentina", "chile")}


THE_RAID_THAT_BRAZIL_CARRIED_OUT = """
    The        _        DET    det        1
    raid       _        NOUN   nsubjpass  7
    that       _        SCONJ  mark       4
    Brazil     _        PROPN  nsubj      4
    carried    carry    VERB   relcl      1
    out        _        ADP    prt        4
    was        be       AUX    auxpass    7  VBD
    condemned  condemn  VERB   ROOT       7  VBN
    by         _        ADP    agent      7
    Argentina  _        PROPN  pobj       8
    .          _        PUNCT  punct      7
"""

THE_INCIDENT_IN_WHICH_BRAZIL_ACTED = """
    Argentina  _         PROPN  nsubj  1
    condemned  condemn   VERB   ROOT   1
    the        _         DET    det    3
    incident   _         NOUN   dobj   1
    in         _         ADP    prep   7
    which      _         PRON   pobj   4
    Brazil     _         PROPN  nsubj  7
    acted      act       VERB   relcl  3
    .          _         PUNCT  punct  1
"""


def test_an_event_noun_whose_clause_tells_the_act_names_its_maker(model_free_resources: Resources) -> None:
    found = in_sentence(model_free_resources, 0, THE_RAID_THAT_BRAZIL_CARRIED_OUT)
    assert found == {("argentina", "brazil", "11", "asserted")}
    setting = in_sentence(model_free_resources, 0, THE_INCIDENT_IN_WHICH_BRAZIL_ACTED)
    assert setting == {("argentina", "brazil", "11", "asserted")}


def test_a_clause_about_a_noun_that_names_no_event_names_no_maker(model_free_resources: Resources) -> None:
    """"condemned the town in which Brazil acted": a town is no act, so Brazil made nothing."""
    town = THE_INCIDENT_IN_WHICH_BRAZIL_ACTED.replace("incident   _ ", "town       _ ")
    state = run_stage(state_of(town), model_free_resources, "event_context")
    assert not [e for e in state.events if e.target_route == "clause-maker"]
    assert {e.target_route for e in run_stage(state_of(THE_INCIDENT_IN_WHICH_BRAZIL_ACTED), model_free_resources,
                                              "event_context").events} == {"clause-maker"}
