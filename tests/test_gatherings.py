"""The ``gatherings`` stage (nlp/gatherings.py) on hand-built parses: participants, hosts,
the guideline's coding convention and the current gathering that later sentences refer to.

Each test also runs the rule coder alone on the same state (the stage ablated) so that what
is asserted is the stage's own contribution. Every sentence was written for these tests.
"""

from __future__ import annotations

import pytest

from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Brazil": "brazil", "Chile": "chile", "Peru": "peru", "Ecuador": "ecuador", "Argentina": "argentina",
          "Lima": "peru"}

TOOK_PART_IN_ECUADOR = """
    Brazil   _     PROPN  nsubj  5
    ,        _     PUNCT  punct  0
    Chile    _     PROPN  conj   0
    and      _     CCONJ  cc     2
    Peru     _     PROPN  conj   2
    took     take  VERB   ROOT   5
    part     _     NOUN   dobj   5
    in       _     ADP    prep   5
    the      _     DET    det    9
    talks    talk  NOUN   pobj   7  NNS
    in       _     ADP    prep   9
    Ecuador  _     PROPN  pobj   10
    .        _     PUNCT  punct  5
"""

TOOK_PART = """
    Brazil   _     PROPN  nsubj  5
    ,        _     PUNCT  punct  0
    Chile    _     PROPN  conj   0
    and      _     CCONJ  cc     2
    Peru     _     PROPN  conj   2
    took     take  VERB   ROOT   5
    part     _     NOUN   dobj   5
    in       _     ADP    prep   5
    the      _     DET    det    9
    talks    talk  NOUN   pobj   7  NNS
    .        _     PUNCT  punct  5
"""

ENVOYS_ATTENDED_FORMAT = """
    Envoys    envoy   NOUN   nsubj     5  NNS
    from      _       ADP    prep      0
    Brazil    _       PROPN  pobj      1
    and       _       CCONJ  cc        2
    Chile     _       PROPN  conj      2
    attended  attend  VERB   ROOT      5
    the       _       DET    det       8
    Lima      _       PROPN  compound  8
    format    _       NOUN   dobj      5
    .         _       PUNCT  punct     5
"""

PERU_HOSTED = """
    Peru    _     PROPN  nsubj  1
    hosted  host  VERB   ROOT   1
    Brazil  _     PROPN  dobj   1
    and     _     CCONJ  cc     2
    Chile   _     PROPN  conj   2
    .       _     PUNCT  punct  1
"""

PARTICIPANTS_CRITICIZED = """
    The           _            DET    det    1
    participants  participant  NOUN   nsubj  2  NNS
    criticized    criticize    VERB   ROOT   2
    Argentina     _            PROPN  dobj   2
    .             _            PUNCT  punct  2
"""


def state_of(*tables: str) -> DocState:
    return make_state(*(make_doc(t) for t in tables), actors=ACTORS)


def coded(resources: Resources, stage: str, *tables: str) -> set[tuple[str | None, str | None, str]]:
    state = run_stage(state_of(*tables), resources, stage)
    return {(e.source, e.target, e.code) for e in state.events}


def test_participants_visit_the_government_of_the_venue(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", TOOK_PART_IN_ECUADOR)
    assert found == {("brazil", "ecuador", "042"), ("chile", "ecuador", "042"), ("peru", "ecuador", "042")}
    assert not any(target == "ecuador" for _, target, _ in coded(model_free_resources, "events", TOOK_PART_IN_ECUADOR))


def test_participants_without_a_host_meet_in_pairs_in_text_order(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", TOOK_PART)
    assert {(s, t, code[:2]) for s, t, code in found} == {
        ("brazil", "chile", "04"), ("brazil", "peru", "04"), ("chile", "peru", "04")
    }
    assert len(found) == 3


def test_a_format_named_after_a_place_stands_for_its_host(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", ENVOYS_ATTENDED_FORMAT)
    assert found == {("brazil", "peru", "042"), ("chile", "peru", "042")}
    assert ("brazil", "chile", "040") not in found


def test_the_participants_are_the_parties_of_the_current_gathering(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", PERU_HOSTED, PARTICIPANTS_CRITICIZED)
    assert {("peru", "argentina", "111"), ("brazil", "argentina", "111"), ("chile", "argentina", "111")} <= found
    without_stage = coded(model_free_resources, "events", PERU_HOSTED, PARTICIPANTS_CRITICIZED)
    assert not any(target == "argentina" for _, target, _ in without_stage)


def test_the_participants_name_nobody_without_a_gathering(model_free_resources: Resources) -> None:
    assert not coded(model_free_resources, "event_context", PARTICIPANTS_CRITICIZED)


def test_the_gathering_is_remembered_with_its_host_and_parties(model_free_resources: Resources) -> None:
    state = run_stage(state_of(PERU_HOSTED, PARTICIPANTS_CRITICIZED), model_free_resources, "gatherings")
    [gathering] = state.gatherings
    assert (gathering.host, gathering.parties) == ("peru", ["peru", "brazil", "chile"])
    assert (gathering.sentence_index, gathering.last_sentence) == (0, 1)
    assert not state.partial_events


CHILE_ATTENDED_THE_SUMMIT = """
    Chile     _       PROPN  nsubj  1
    attended  attend  VERB   ROOT   1
    the       _       DET    det    3
    summit    _       NOUN   dobj   1
    .         _       PUNCT  punct  1
"""

SUMMIT_ATTENDED_BY = """
    The       _       DET    det        1
    summit    _       NOUN   nsubjpass  3
    was       be      AUX    auxpass    3  VBD
    attended  attend  VERB   ROOT       3  VBN
    by        _       ADP    agent      3
    Brazil    _       PROPN  pobj       4
    and       _       CCONJ  cc         5
    Chile     _       PROPN  conj       5
    .         _       PUNCT  punct      3
"""


def test_a_definite_gathering_is_hosted_by_the_current_host(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", PERU_HOSTED, CHILE_ATTENDED_THE_SUMMIT)
    assert ("chile", "peru", "042") in found
    assert ("chile", "peru", "042") not in coded(model_free_resources, "events", PERU_HOSTED, CHILE_ATTENDED_THE_SUMMIT)


def test_the_agents_of_an_attended_gathering_are_its_participants(model_free_resources: Resources) -> None:
    assert coded(model_free_resources, "gatherings", SUMMIT_ATTENDED_BY) == {("brazil", "chile", "040")}
    assert not coded(model_free_resources, "events", SUMMIT_ATTENDED_BY)
