"""The subject of a verb governed by a predicate adjective ("X is about / ready / willing to V"):
the copula's subject controls the infinitive, as a verb's subject does in "X plans to V".

The sentences are written for these tests; the parses are hand-built (``handmade.py``).
"""

from __future__ import annotations

import pytest

from dyadlens.resources import Resources
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Brazil": "brazil", "Chile": "chile"}

ABOUT_TO_CRITICIZE = """
    Brazil     _          PROPN  nsubj  1
    is         be         AUX    ROOT   1  VBZ
    about      _          ADJ    acomp  1  JJ
    to         _          PART   aux    4  TO
    criticize  criticize  VERB   xcomp  2  VB
    Chile      _          PROPN  dobj   4
    .          _          PUNCT  punct  1
"""

READY_TO_CRITICIZE = ABOUT_TO_CRITICIZE.replace("about      _", "ready      _")

def coded(resources: Resources, parse: str) -> set[tuple[str | None, str | None, str]]:
    state = run_stage(make_state(make_doc(parse), actors=ACTORS), resources, "events")
    return {(e.source, e.target, e.code) for e in state.events}


@pytest.mark.parametrize("parse", [ABOUT_TO_CRITICIZE, READY_TO_CRITICIZE])
def test_the_subject_of_the_copula_acts(model_free_resources: Resources, parse: str) -> None:
    assert ("brazil", "chile", "111") in coded(model_free_resources, parse)

