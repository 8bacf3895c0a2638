"""Modality rules (nlp/modality.py) on hand-built parses, with the shipped lexicon: no model."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Token

from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.nlp.modality import ModalityCue, ModalityRules
from handmade import make_doc

pytestmark = pytest.mark.fast

#: "Chile praised Peru." and its variants: the subject, the verb phrase, the object.
PRAISED = """
    Chile     _       PROPN  nsubj  1
    praised   praise  VERB   ROOT   1
    Peru      _       PROPN  dobj   1
    .         _       PUNCT  punct  1
"""
DID_NOT = """
    Chile     _       PROPN  nsubj  3
    did       do      AUX    aux    3  VBD
    not       _       PART   neg    3
    praise    _       VERB   ROOT   3  VB
    Peru      _       PROPN  dobj   3
    .         _       PUNCT  punct  3
"""
HAS_TO = """
    Chile     _       PROPN  nsubj  1
    has       have    VERB   ROOT   1  VBZ
    to        _       PART   aux    3  TO
    praise    _       VERB   xcomp  1  VB
    Peru      _       PROPN  dobj   3
    .         _       PUNCT  punct  1
"""
REFUSED_TO = """
    Chile     _       PROPN  nsubj  1
    refused   refuse  VERB   ROOT   1
    to        _       PART   aux    3  TO
    praise    _       VERB   xcomp  1  VB
    Peru      _       PROPN  dobj   3
    .         _       PUNCT  punct  1
"""


@pytest.fixture(scope="module")
def rules() -> ModalityRules:
    return ModalityRules(load_lexicon().modality)


def trigger(doc: Doc, word: str) -> Token:
    return next(t for t in doc if t.text == word)


def with_aux(aux: str) -> Doc:
    """"Chile <aux> praise Peru." with a modal auxiliary."""
    return make_doc(
        [
            ("Chile", "Chile", "PROPN", "nsubj", 2),
            (aux, aux.lower(), "AUX", "aux", 2, "MD"),
            ("praise", "praise", "VERB", "ROOT", 2, "VB"),
            ("Peru", "Peru", "PROPN", "dobj", 2),
            (".", ".", "PUNCT", "punct", 2),
        ]
    )


def test_a_plain_past_action_is_asserted_with_no_cue(rules: ModalityRules) -> None:
    doc = make_doc(PRAISED)
    assert rules.event_modality(trigger(doc, "praised")) == ModalityCue("asserted", None, None)


def test_not_on_the_verb_negates_it_and_names_the_cue_token(rules: ModalityRules) -> None:
    doc = make_doc(DID_NOT)
    assert rules.event_modality(trigger(doc, "praise")) == ModalityCue("negated", "not", 2)


@pytest.mark.parametrize(
    ("aux", "modality"),
    [("could", "possible"), ("might", "possible"), ("will", "planned"), ("should", "recommended"),
     ("must", "recommended")],
)
def test_a_modal_auxiliary_gives_the_modality_of_its_list(rules: ModalityRules, aux: str, modality: str) -> None:
    cue = rules.event_modality(trigger(with_aux(aux), "praise"))
    assert (cue.modality, cue.cue, cue.cue_i) == (modality, aux, 1)


def test_have_to_over_the_infinitive_is_an_obligation(rules: ModalityRules) -> None:
    doc = make_doc(HAS_TO)
    assert rules.event_modality(trigger(doc, "praise")) == ModalityCue("recommended", "has to", 1)


def test_a_governing_refusal_negates_the_infinitive(rules: ModalityRules) -> None:
    doc = make_doc(REFUSED_TO)
    assert rules.event_modality(trigger(doc, "praise")) == ModalityCue("negated", "refused", 1)


def test_the_content_of_an_allegation_is_alleged(rules: ModalityRules) -> None:
    doc = make_doc("""
        Chile     _         PROPN  nsubj  1
        alleged   allege    VERB   ROOT   1
        that      _         SCONJ  mark   4
        Peru      _         PROPN  nsubj  4
        attacked  attack    VERB   ccomp  1
        Bolivia   _         PROPN  dobj   4
        .         _         PUNCT  punct  1
    """)
    assert rules.event_modality(trigger(doc, "attacked")) == ModalityCue("alleged", "alleged", 1)


def test_a_conditional_clause_is_possible(rules: ModalityRules) -> None:
    doc = make_doc("""
        If        _        SCONJ  mark   2
        Chile     _        PROPN  nsubj  2
        attacks   attack   VERB   advcl  7  VBZ
        Peru      _        PROPN  dobj   2
        ,         _        PUNCT  punct  7
        talks     talk     NOUN   nsubj  7  NNS
        will      _        AUX    aux    7  MD
        stop      _        VERB   ROOT   7  VB
        .         _        PUNCT  punct  7
    """)
    assert rules.event_modality(trigger(doc, "attacks")) == ModalityCue("possible", "If", 0)


def test_a_question_is_possible_whatever_its_verbs_say(rules: ModalityRules) -> None:
    doc = make_doc("""
        Did       do      AUX    aux    2  VBD
        Chile     _       PROPN  nsubj  2
        praise    _       VERB   ROOT   2  VB
        Peru      _       PROPN  dobj   2
        ?         _       PUNCT  punct  2
    """)
    assert rules.event_modality(trigger(doc, "praise")) == ModalityCue("possible", "?", 4)


def test_a_negated_preventing_verb_asserts_the_prevented_event(rules: ModalityRules) -> None:
    doc = make_doc("""
        Chile     _        PROPN  nsubj  2
        never     _        ADV    neg    2
        stopped   stop     VERB   ROOT   2
        Peru      _        PROPN  dobj   2
        from      _        ADP    prep   2
        meeting   meet     VERB   pcomp  4  VBG
        Bolivia   _        PROPN  dobj   5
        .         _        PUNCT  punct  2
    """)
    assert rules.event_modality(trigger(doc, "meeting")) == ModalityCue("asserted", "never stopped", 2)


def test_will_under_a_forecast_verb_is_possible_not_planned(rules: ModalityRules) -> None:
    doc = make_doc("""
        Analysts  analyst  NOUN   nsubj  1  NNS
        expect    _        VERB   ROOT   1  VBP
        that      _        SCONJ  mark   5
        Chile     _        PROPN  nsubj  5
        will      _        AUX    aux    5  MD
        praise    _        VERB   ccomp  1  VB
        Peru      _        PROPN  dobj   5
        .         _        PUNCT  punct  1
    """)
    assert rules.event_modality(trigger(doc, "praise")) == ModalityCue("possible", "will", 4)


def test_a_negative_determiner_negates_a_nominal_trigger(rules: ModalityRules) -> None:
    doc = make_doc("""
        Chile     _       PROPN  nsubj  1
        held      hold    VERB   ROOT   1
        no        _       DET    det    3
        talks     talk    NOUN   dobj   1  NNS
        with      _       ADP    prep   3
        Peru      _       PROPN  pobj   4
        .         _       PUNCT  punct  1
    """)
    assert rules.event_modality(trigger(doc, "talks")) == ModalityCue("negated", "no", 2)


POTENTIAL_COOPERATION = """
    Chile        _            PROPN  poss   3
    's           _            PART   case   0  POS
    potential    _            ADJ    amod   3
    cooperation  _            NOUN   nsubj  6
    with         _            ADP    prep   3
    Peru         _            PROPN  pobj   4
    grew         grow         VERB   ROOT   6
    .            _            PUNCT  punct  6
"""


def test_a_hedging_modifier_on_a_nominal_trigger_is_possible(rules: ModalityRules) -> None:
    doc = make_doc(POTENTIAL_COOPERATION)
    assert rules.event_modality(trigger(doc, "cooperation")) == ModalityCue("possible", "potential", 2)


def test_a_cue_the_event_code_already_expresses_is_ignored_on_the_trigger(rules: ModalityRules) -> None:
    doc = make_doc(POTENTIAL_COOPERATION)
    cue = rules.event_modality(trigger(doc, "cooperation"), intrinsic=frozenset({"possible"}))
    assert cue.modality == "asserted"


def test_a_presupposed_nominal_ignores_the_modal_of_the_clause_around_it(rules: ModalityRules) -> None:
    doc = make_doc("""
        Chile     _        PROPN  nsubj  2
        could     _        AUX    aux    2  MD
        cancel    _        VERB   ROOT   2  VB
        its       _        PRON   poss   4  PRP$
        visit     _        NOUN   dobj   2
        to        _        ADP    prep   4
        Peru      _        PROPN  pobj   5
        .         _        PUNCT  punct  2
    """)
    visit = trigger(doc, "visit")
    assert rules.event_modality(visit).modality == "possible"
    assert rules.event_modality(visit, presupposed=True).modality == "asserted"
