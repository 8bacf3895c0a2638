"""Institutions by their full names and the office patterns of ``offices.yaml``."""

from __future__ import annotations

import pytest
from tests.handmade import make_doc

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.offices import parse_offices
from dyadlens.nlp.actor_titles import Owned, institutions


@pytest.mark.fast
def test_offices_file_is_loaded_with_sectors_and_whom_they_act_for() -> None:
    offices = load_kb().offices
    court = offices.longest_at(["supreme", "court"], 0, "institution")
    minister = offices.longest_at(["defence", "minister"], 0, "person")
    assert court is not None and court.sectors == "JUD" and court.acts_as == "country"
    assert minister is not None and minister.sectors == "MIL" and minister.acts_as == "government"
    assert "deputy" in offices.modifiers


@pytest.mark.fast
def test_longest_office_wins_and_kinds_are_kept_apart() -> None:
    offices = load_kb().offices
    found = offices.longest_at(["ministry", "of", "foreign", "affairs", "said"], 0, "institution")
    assert found is not None and found.words == ("ministry", "of", "foreign", "affairs")
    assert offices.longest_at(["ministry"], 0, "person") is None


@pytest.mark.fast
def test_malformed_office_entries_are_reported() -> None:
    _, problems = parse_offices([{"kind": "office", "terms": ["x"], "sectors": "gov", "acts_as": "state"}])
    assert any("'kind'" in p for p in problems)
    assert any("'acts_as'" in p for p in problems)
    assert any("'sectors'" in p for p in problems)



@pytest.mark.fast
def test_institution_takes_the_state_after_of() -> None:
    doc = make_doc(
        """
        The       the       DET    det    2
        Supreme   supreme   PROPN  compound 2
        Court     court     PROPN  nsubj  6
        of        of        ADP    prep   2
        Norland   Norland   PROPN  pobj   3
        quickly   quickly   ADV    advmod 6
        ruled     rule      VERB   ROOT   6
        .         .         PUNCT  punct  6
        """
    )
    span = doc[0 : len(doc)]
    owner = Owned(doc[4].idx, doc[4].idx + len("Norland"), "norway", "name")
    (match,) = institutions(span, [owner], load_kb())
    assert (match.first, match.last, match.actor_id, match.rule) == (1, 2, "norway", "institution")


@pytest.mark.fast
def test_institution_with_a_possessive_pronoun_waits_for_coreference() -> None:
    doc = make_doc(
        """
        its       its       PRON   poss   2
        parliament parliament NOUN nsubj  2
        voted     vote      VERB   ROOT   2
        """
    )
    (match,) = institutions(doc[0 : len(doc)], [], load_kb())
    assert match.actor_id is None and match.rule == "institution:possessive"


@pytest.mark.fast
def test_office_word_that_modifies_a_noun_is_no_institution() -> None:
    doc = make_doc(
        """
        the       the       DET    det    2
        court     court     NOUN   compound 2
        ruling    ruling    NOUN   ROOT   2
        """
    )
    assert institutions(doc[0 : len(doc)], [], load_kb()) == []
