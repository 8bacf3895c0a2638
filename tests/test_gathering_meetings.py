"""Meetings, invitations, observers, mediators and references back to the current gathering
(``gatherings`` stage, nlp/gatherings.py) on hand-built parses. Every sentence was written for
these tests; each case also runs the rule coder alone to show what the stage adds."""

from __future__ import annotations

import pytest

from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Brazil": "brazil", "Chile": "chile", "Peru": "peru", "Ecuador": "ecuador", "Argentina": "argentina",
          "Lima": "peru"}

MET_AT_INVITATION = """
    Chile       _           PROPN  nsubj  3
    and         _           CCONJ  cc     0
    Peru        _           PROPN  conj   0
    met         meet        VERB   ROOT   3  VBD
    at          _           ADP    prep   3
    the         _           DET    det    6
    invitation  _           NOUN   pobj   4
    of          _           ADP    prep   6
    Brazil      _           PROPN  pobj   7
    .           _           PUNCT  punct  3
"""

MET_IN_LIMA = """
    Chile  _     PROPN  nsubj  3
    and    _     CCONJ  cc     0
    Peru   _     PROPN  conj   0
    met    meet  VERB   ROOT   3  VBD
    in     _     ADP    prep   3
    Lima   _     PROPN  pobj   4
    .      _     PUNCT  punct  3
"""

PERU_HOSTED_TALKS = """
    Peru    _     PROPN  nsubj  1
    hosted  host  VERB   ROOT   1  VBD
    talks   talk  NOUN   dobj   1  NNS
    attended attend VERB  acl   2  VBN
    by      _     ADP    agent  3
    Brazil  _     PROPN  pobj   4
    and     _     CCONJ  cc     5
    Chile   _     PROPN  conj   5
    .       _     PUNCT  punct  1
"""

ECUADOR_OBSERVED = """
    Ecuador    _         PROPN  nsubj  1
    attended   attend    VERB   ROOT   1  VBD
    as         _         ADP    prep   1
    observers  observer  NOUN   pobj   2  NNS
    .          _         PUNCT  punct  1
"""

ARGENTINA_CHAIRED = """
    Argentina  _      PROPN  nsubj  1
    chaired    chair  VERB   ROOT   1  VBD
    the        _      DET    det    3
    talks      talk   NOUN   dobj   1  NNS
    .          _      PUNCT  punct  1
"""

BRAZIL_HOSTED_EVERY_ROUND = """
    Brazil  _      PROPN  nsubj  2
    has     have   AUX    aux    2
    hosted  host   VERB   ROOT   2  VBN
    every   _      DET    det    4
    round   _      NOUN   dobj   2
    .       _      PUNCT  punct  2
"""


def state_of(*tables: str) -> DocState:
    return make_state(*(make_doc(t) for t in tables), actors=ACTORS)


def coded(resources: Resources, stage: str, *tables: str) -> set[tuple[str | None, str | None, str]]:
    state = run_stage(state_of(*tables), resources, stage)
    return {(e.source, e.target, e.code) for e in state.events}


def test_an_invitation_names_the_host_the_participants_visit(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", MET_AT_INVITATION)
    assert {("chile", "brazil", "042"), ("peru", "brazil", "042")} <= found
    assert not any({s, t} == {"chile", "peru"} for s, t, _ in found)


def test_a_venue_that_is_a_participant_hosts_the_others(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", MET_IN_LIMA)
    assert ("chile", "peru", "042") in found
    assert not any(code.startswith("040") for _, _, code in found)


def test_observers_visit_the_current_host_but_are_not_participants(model_free_resources: Resources) -> None:
    state = run_stage(state_of(PERU_HOSTED_TALKS, ECUADOR_OBSERVED), model_free_resources, "gatherings")
    assert ("ecuador", "peru", "042") in {(e.source, e.target, e.code) for e in state.events}
    assert "ecuador" not in state.gatherings[-1].parties
    assert ("ecuador", "peru", "042") not in coded(model_free_resources, "events", PERU_HOSTED_TALKS, ECUADOR_OBSERVED)


def test_the_chair_mediates_between_the_current_participants(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", PERU_HOSTED_TALKS, ARGENTINA_CHAIRED)
    assert {("argentina", "brazil", "045"), ("argentina", "chile", "045")} <= found
    assert not any(code == "043" and source == "argentina" for source, _, code in found)


def test_hosting_every_round_hosts_the_current_participants(model_free_resources: Resources) -> None:
    found = coded(model_free_resources, "gatherings", MET_AT_INVITATION, BRAZIL_HOSTED_EVERY_ROUND)
    assert {("brazil", "chile", "043"), ("brazil", "peru", "043")} <= found
