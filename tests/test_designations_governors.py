"""The verbs that govern a designation trigger's clause (``_clause_governors`` in
nlp/designations.py), which decide whether a planned delisting is a proposal or a promise.
Every sentence was written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from dyadlens.model import Designation, RawInput
from dyadlens.nlp.designations import _clause_governors
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from handmade import make_doc

PROPOSED_THAT_X_BE_TAKEN_OFF = """
    The        _        DET    det        1
    ministries ministry NOUN   nsubj      2  NNS
    proposed   propose  VERB   ROOT       2  VBD
    that       _        SCONJ  mark       7
    the        _        DET    det        5
    group      _        NOUN   nsubjpass  7
    be         _        AUX    auxpass    7
    taken      take     VERB   ccomp      2  VBN
    off        _        ADP    prep       7
    the        _        DET    det        10
    list       _        NOUN   pobj       8
    .          _        PUNCT  punct      2
"""

SAID_THAT_IT_PLEDGED_TO_REMOVE = """
    Officials  official  NOUN   nsubj  1  NNS
    said       say       VERB   ROOT   1  VBD
    Moscow     _         PROPN  nsubj  3
    pledged    pledge    VERB   ccomp  1  VBD
    to         _         PART   aux    5
    remove     _         VERB   xcomp  3  VB
    the        _         DET    det    7
    group      _         NOUN   dobj   5
    .          _         PUNCT  punct  1
"""

HOSTED_AND_REMOVED = """
    Russia   _       PROPN  nsubj  1
    hosted   host    VERB   ROOT   1  VBD
    talks    talk    NOUN   dobj   1  NNS
    and      _       CCONJ  cc     1
    removed  remove  VERB   conj   1  VBD
    the      _       DET    det    6
    group    _       NOUN   dobj   4
    .        _       PUNCT  punct  1
"""


def lemmas(governors: list[Any]) -> list[str]:
    return [g.lemma_ for g in governors]


@pytest.mark.fast
def test_a_complement_clause_is_governed_by_its_proposal_verb() -> None:
    doc = make_doc(PROPOSED_THAT_X_BE_TAKEN_OFF)
    assert lemmas(_clause_governors(doc[7])) == ["propose"]


@pytest.mark.fast
def test_governors_are_followed_up_a_chain_of_clauses_nearest_first() -> None:
    """"remove" is the xcomp of "pledged", which the trigger's own near words already hold;
    the chain goes on from there to the clause that reports it ("said")."""
    doc = make_doc(SAID_THAT_IT_PLEDGED_TO_REMOVE)
    assert lemmas(_clause_governors(doc[5])) == ["say"]
    assert lemmas(_clause_governors(doc[3])) == ["say"]


@pytest.mark.fast
def test_a_coordinated_verb_is_not_a_governor() -> None:
    doc = make_doc(HOSTED_AND_REMOVED)
    assert _clause_governors(doc[4]) == []


def designations_of(resources: Resources, text: str) -> list[Designation]:
    raw = RawInput(doc_id="d", path="d.txt", format="txt", data=text.encode(), meta={"published": "2025-03-02"})
    return build_pipeline(resources)(raw).designations


@pytest.mark.slow
def test_a_proposed_removal_with_an_implied_agent_is_only_a_proposal(resources: Resources) -> None:
    """The context stage gives the passive its agent (Kenya, 081 planned); the proposal verb
    above the clause makes the row a proposal, not a promise."""
    text = "Kenya hosted Somalia in January. The ministries later proposed that al-Shabaab be taken off the list."
    found = {d.status for d in designations_of(resources, text) if d.designee == "al-shabaab"}
    assert "delisting_proposed" in found
    assert "delisting_promised" not in found
