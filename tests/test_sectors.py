"""Sectors: CAMEO agent codes of mentions and event sides, their composition and their export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dyadlens.exports.gdelt import _actor_fields
from dyadlens.kb.agents import AgentTerm
from dyadlens.kb.petrarch import import_agents
from dyadlens.kb.sectors import (
    SectorLexicon,
    compose_code,
    known_group_code,
    parse_sectors,
    shipped_sector_codes,
    shipped_sectors,
)
from dyadlens.model import ActorRef, Event
from dyadlens.nlp.sectors import EventSectors, MentionSectors, tree_distance
from dyadlens.state import DocState
from handmade import add_mentions, make_doc, make_state

pytestmark = pytest.mark.fast


@pytest.fixture(scope="module")
def lexicon() -> SectorLexicon:
    return SectorLexicon(shipped_sectors())


class _NoKb:
    def get(self, actor_id: str) -> None:
        return None


def tagged(state: DocState, lexicon: SectorLexicon) -> dict[str, str | None]:
    MentionSectors(lexicon, _NoKb())(state)  # type: ignore[arg-type]
    return {state.text[m.start : m.end]: m.sectors for m in state.mentions}


# --- the sector list ------------------------------------------------------------------------


def test_the_shipped_list_is_valid_and_names_the_main_codes() -> None:
    codes = {s.code for s in shipped_sectors()}
    assert {"GOV", "MIL", "JUD", "LEG", "OPP", "REB", "INS", "COP", "MED", "BUS", "CVL", "EDU", "REL"} <= codes
    assert {s.code for s in shipped_sectors() if s.prefix} >= {"IGO", "NGO"}


def test_a_bad_entry_and_a_duplicate_code_are_reported() -> None:
    raw = [{"code": "GOV", "name": "government"}, {"code": "gov", "name": "x"}, {"code": "GOV", "name": "again"}]
    sectors, problems = parse_sectors(raw)
    assert [s.code for s in sectors] == ["GOV", "GOV"]
    assert any("#2" in p and "three capital letters" in p for p in problems)
    assert any("GOV is listed twice" in p for p in problems)


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        ("the defence ministry", ["MIL"]),
        ("opposition lawmakers", ["OPP", "LEG"]),
        ("the supreme court", ["JUD"]),
        ("a spokesman", ["GOV"]),
        ("riot police", ["COP"]),
        ("the weather", []),
    ],
)
def test_terms_match_longest_first(lexicon: SectorLexicon, words: str, codes: list[str]) -> None:
    assert lexicon.codes_in(words.split()) == codes


def test_a_plural_matches_through_its_lemma(lexicon: SectorLexicon) -> None:
    assert lexicon.codes_in(["Tribunals"], ["tribunal"]) == ["JUD"]


def test_a_loaded_agent_dictionary_wins_over_the_shipped_terms() -> None:
    shipped = AgentTerm(("foreign minister",), "GOV", "government")
    loaded = AgentTerm(("foreign minister",), "GOVFRM", "government")
    lexicon = SectorLexicon(shipped_sectors(), [shipped, loaded])
    assert lexicon.codes_in(["foreign", "minister"]) == ["GOV", "FRM"]


# --- composing a full actor code -------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "sectors", "full"),
    [
        ("ARN", ["GOV"], "ARNGOV"),
        ("ARN", ["NGO", "GOV"], "NGOARNGOV"),
        ("USAGOV", ["GOV"], "USAGOV"),
        (None, ["GOV"], "---GOV"),
        (None, ["NGO"], "NGO"),
        ("RUSGOV", ["MIL"], "RUSMIL"),
        ("ARN", [], "ARN"),
    ],
)
def test_codes_compose_the_petrarch_way(actor: str | None, sectors: list[str], full: str) -> None:
    assert compose_code(actor, sectors, frozenset({"NGO", "IGO"})) == full


def test_an_agent_marked_as_prefix_in_a_dictionary_goes_before_the_country(tmp_path: Path) -> None:
    path = tmp_path / "demo.agents.txt"
    path.write_text("CHARITY_GROUP [NGO~]\nMARSHAL [~MIL]\n", encoding="utf-8")
    agents = import_agents(path)
    assert [(a.code, a.prefix) for a in agents] == [("NGO", True), ("MIL", False)]
    lexicon = SectorLexicon((), agents)
    assert lexicon.compose("ARN", "NGO MIL") == "NGOARNMIL"


@pytest.mark.parametrize(
    ("code", "group"),
    [("IGOUNO", "UNO"), ("PSEREBHMS", "HMS"), ("IMGMUSISI", "ISI"), ("USAGOV", None), ("RUS", None), (None, None)],
)
def test_the_known_group_is_the_part_that_is_no_country_and_no_sector(code: str | None, group: str | None) -> None:
    assert known_group_code(code, shipped_sector_codes()) == group


def test_the_gdelt_columns_carry_types_and_the_known_group() -> None:
    un = ActorRef("un", "United Nations", "igo", cameo="IGOUNO")
    fields = _actor_fields("Actor1", un, None, "GOV")
    assert fields["Actor1KnownGroupCode"] == "UNO"
    assert (fields["Actor1Type1Code"], fields["Actor1Type2Code"]) == ("GOV", "IGO")
    russia = ActorRef("russia", "Russia", "state", cameo="RUS", iso3="RUS")
    assert "Actor2KnownGroupCode" not in _actor_fields("Actor2", russia, None, "MIL")


# --- mentions ----------------------------------------------------------------------------------


def test_a_demonym_takes_the_agent_noun_it_modifies(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Russian   _        ADJ    amod   1
        troops    troop    NOUN   nsubj  2
        shelled   shell    VERB   ROOT   2
        Kharkiv   _        PROPN  dobj   2
        .         _        PUNCT  punct  2
    """)
    state = make_state(doc, actors={"Russian": "russia", "Kharkiv": "kharkiv"})
    assert tagged(state, lexicon) == {"Russian": "MIL", "Kharkiv": None}


def test_a_possessor_takes_a_title_with_its_modifiers(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Arnor      _         PROPN  poss      3
        's         's        PART   case      0
        defence    defence   NOUN   compound  3
        minister   minister  NOUN   nsubj     4
        resigned   resign    VERB   ROOT      4
        .          _         PUNCT  punct     4
    """)
    state = make_state(doc, actors={"Arnor": "arnor"})
    assert tagged(state, lexicon) == {"Arnor": "MIL"}


def test_the_object_of_from_takes_the_noun_the_preposition_hangs_on(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Judges    judge    NOUN   nsubj  3
        from      _        ADP    prep   0
        Gondor    _        PROPN  pobj   1
        ruled     rule     VERB   ROOT   3
        .         _        PUNCT  punct  3
    """)
    state = make_state(doc, actors={"Gondor": "gondor"})
    assert tagged(state, lexicon) == {"Gondor": "JUD"}


def test_a_title_before_a_name_and_an_apposition_are_read(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Senator     senator     PROPN  compound  1
        Ferrand     _           PROPN  nsubj     6
        ,           _           PUNCT  punct     1
        an          _           DET    det       5
        opposition  opposition  NOUN   compound  5
        figure      figure      NOUN   appos     1
        spoke       speak       VERB   ROOT      6
        .           _           PUNCT  punct     6
    """)
    state = make_state(doc, actors={"Ferrand": "ferrand"})
    assert tagged(state, lexicon) == {"Ferrand": "LEG OPP"}


def test_a_bare_state_name_has_no_sector_unless_its_code_carries_one(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Gondor     _        PROPN  nsubj  1
        protested  protest  VERB   ROOT   1
        to         _        ADP    prep   1
        Rohan      _        PROPN  pobj   2
        .          _        PUNCT  punct  1
    """)
    state = make_state(doc, actors={"Gondor": "gondor", "Rohan": "rohan"})
    state.actors["gondor"] = ActorRef("gondor", "Gondor", "state", cameo="GON")
    state.actors["rohan"] = ActorRef("rohan", "Rohan government", "government", cameo="ROHGOV")
    assert tagged(state, lexicon) == {"Gondor": None, "Rohan": "GOV"}


def test_a_named_organisation_is_not_read_for_sector_words(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Free     _      PROPN  compound  1
        Press    _      PROPN  nsubj     2
        closed   close  VERB   ROOT      2
        .        _      PUNCT  punct     2
    """)
    state = make_state(doc, actors={"Free Press": "free-press"})
    state.actors["free-press"] = ActorRef("free-press", "Free Press", "armed_group", cameo="XYZREBFRP")
    assert tagged(state, lexicon) == {"Free Press": "REB"}


def test_a_common_noun_naming_an_organisation_is_read(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Rohirric   _         ADJ    amod   1
        officials  official  NOUN   nsubj  2
        left       leave     VERB   ROOT   2
        .          _         PUNCT  punct  2
    """)
    state = make_state(doc, actors={"Rohirric officials": "riders"})
    state.actors["riders"] = ActorRef("riders", "The Riders", "armed_group", cameo="ROHREBRID")
    assert tagged(state, lexicon) == {"Rohirric officials": "GOV"}


# --- event sides -------------------------------------------------------------------------------


def _event(state: DocState, trigger: str, source: str, target: str | None) -> Event:
    start = state.text.index(trigger)
    return Event("e1", state.document.id, 0, len(state.text), 0, start, start + len(trigger), source, target, "190",
                 "asserted")


def test_each_side_takes_the_mention_the_trigger_governs(lexicon: SectorLexicon) -> None:
    doc = make_doc("""
        Gondor     _        PROPN  compound  1
        police     police   NOUN   nsubj     2
        detained   detain   VERB   ROOT      2
        students   student  NOUN   dobj      2
        from       _        ADP    prep      3
        Rohan      _        PROPN  pobj      4
        near       _        ADP    prep      2
        Gondor     _        PROPN  compound  8
        courts     court    NOUN   pobj      6
        .          _        PUNCT  punct     2
    """)
    state = make_state(doc, actors={"Gondor": "gondor", "Rohan": "rohan"})
    MentionSectors(lexicon, _NoKb())(state)  # type: ignore[arg-type]
    state.events = [_event(state, "detained", "gondor", "rohan")]
    EventSectors()(state)
    [event] = state.events
    assert (event.source_sectors, event.target_sectors) == ("COP", "EDU")


def test_tree_distance_counts_edges_through_the_common_ancestor() -> None:
    doc = make_doc("""
        Gondor     _        PROPN  nsubj  1
        thanked    thank    VERB   ROOT   1
        Rohan      _        PROPN  dobj   1
        .          _        PUNCT  punct  1
    """)
    assert (tree_distance(doc[0], doc[2]), tree_distance(doc[1], doc[1]), tree_distance(doc[0], doc[1])) == (2, 0, 1)


def test_an_event_without_a_mention_of_its_side_keeps_its_sectors() -> None:
    doc = make_doc("""
        Gondor     _        PROPN  nsubj  1
        thanked    thank    VERB   ROOT   1
        .          _        PUNCT  punct  1
    """)
    state = make_state(doc)
    add_mentions(state, "Gondor", "gondor")
    state.mentions = [replace(m, sectors="GOV") for m in state.mentions]
    event = _event(state, "thanked", "gondor", "rohan")
    state.events = [event]
    EventSectors()(state)
    assert (state.events[0].source_sectors, state.events[0].target_sectors) == ("GOV", None)

