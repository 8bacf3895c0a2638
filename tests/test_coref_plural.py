"""Plural anaphors as sets ("the two countries" -> {A, B}): the rule of the actor stage
(``coref:plural`` mentions, one per member) and how the event coder reads such a set.
Fast tests on hand-built parses; the end-to-end ones on invented sentences load spaCy."""

from __future__ import annotations

import pytest

from dyadlens.model import DocumentRecords, Mention, RawInput, stable_id
from dyadlens.nlp.actor_coref import (
    PLURAL_RULE,
    ActorGroup,
    SetAnaphor,
    SetMember,
    actor_groups,
    find_set_anaphors,
    resolve_set,
)
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.pipeline import PipelineConfig, build_pipeline
from dyadlens.resources import Resources
from handmade import make_doc, make_state, run_stage

LEXICON = load_lexicon()

TWO_COUNTRIES = """
    The        the        DET    det     2
    two        two        NUM    nummod  2
    countries  country    NOUN   nsubj   3   NNS
    signed     sign       VERB   ROOT    3
    a          a          DET    det     5
    deal       deal       NOUN   dobj    3
    .          _          PUNCT  punct   3
"""

OTHER_TWO = """
    The        the        DET    det     3
    other      other      ADJ    amod    3
    two        two        NUM    nummod  3
    countries  country    NOUN   nsubj   4   NNS
    left       leave      VERB   ROOT    4
    .          _          PUNCT  punct   4
"""

ACCUSED_EACH_OTHER = """
    Peru       _          PROPN  nsubj   3
    and        and        CCONJ  cc      0
    Chile      _          PROPN  conj    0
    accused    accuse     VERB   ROOT    3
    each       each       DET    det     5
    other      other      ADJ    dobj    3
    .          _          PUNCT  punct   3
"""

PERU_AND_CHILE_MET = """
    Peru       _          PROPN  nsubj   3
    and        and        CCONJ  cc      0
    Chile      _          PROPN  conj    0
    met        meet       VERB   ROOT    3
    .          _          PUNCT  punct   3
"""

COUNTRIES_CRITICISED = """
    The        the        DET    det     2
    two        two        NUM    nummod  2
    countries  country    NOUN   nsubj   3   NNS
    criticised criticize  VERB   ROOT    3
    Bolivia    _          PROPN  dobj    3
    .          _          PUNCT  punct   3
"""


def state_member(actor: str, offset: int = 0, *kinds: str) -> SetMember:
    return SetMember(offset, actor, frozenset({"any", *(kinds or ("state",))}))


def group(
    *actors: str, last_i: int = 5, coordinated: bool = True, kinds: tuple[str, ...] = ("state",), subject: bool = False
) -> ActorGroup:
    return ActorGroup(tuple(state_member(a, 0, *kinds) for a in actors), last_i, coordinated, subject)


TWO_STATES = SetAnaphor(0, 17, 2, ("state",), False)
THEY = SetAnaphor(0, 4, None, ("any",), True)


# --- finding plural anaphors ----------------------------------------------------------------


@pytest.mark.fast
def test_a_numbered_definite_phrase_is_a_set_anaphor_of_its_size_and_kind() -> None:
    (anaphor,) = find_set_anaphors(make_doc(TWO_COUNTRIES), LEXICON)
    assert (anaphor.start, anaphor.end, anaphor.size, anaphor.kinds) == (0, 17, 2, ("state",))
    assert not anaphor.pronoun


@pytest.mark.fast
def test_a_modifier_that_sets_the_referent_apart_is_no_set_anaphor() -> None:
    assert find_set_anaphors(make_doc(OTHER_TWO), LEXICON) == []


@pytest.mark.fast
def test_each_other_is_a_reciprocal_of_any_two_or_more_actors() -> None:
    (anaphor,) = find_set_anaphors(make_doc(ACCUSED_EACH_OTHER), LEXICON)
    assert (anaphor.size, anaphor.kinds, anaphor.pronoun, anaphor.reciprocal) == (None, ("any",), True, True)


# --- choosing the set -----------------------------------------------------------------------


@pytest.mark.fast
def test_the_group_of_the_right_size_in_the_sentence_before_is_the_set() -> None:
    members = resolve_set(TWO_STATES, [], [group("peru", "chile")])
    assert members is not None and [m.actor_id for m in members] == ["peru", "chile"]


@pytest.mark.fast
def test_a_group_in_the_same_sentence_comes_before_the_sentence_before() -> None:
    members = resolve_set(TWO_STATES, [group("peru", "chile")], [group("bolivia", "ecuador")])
    assert members is not None and {m.actor_id for m in members} == {"peru", "chile"}


@pytest.mark.fast
def test_more_actors_than_the_number_says_stay_unresolved() -> None:
    assert resolve_set(TWO_STATES, [], [group("peru", "chile", "bolivia")]) is None


@pytest.mark.fast
def test_members_must_agree_with_the_noun() -> None:
    groups = [group("peru", "hamas", kinds=("armed_group",))]
    assert resolve_set(TWO_STATES, [], groups) is None


@pytest.mark.fast
def test_coordination_decides_between_competing_sets() -> None:
    sides = group("peru", "bolivia", last_i=2, coordinated=False)
    members = resolve_set(TWO_STATES, [], [sides, group("peru", "chile", last_i=8)])
    assert members is not None and {m.actor_id for m in members} == {"peru", "chile"}


@pytest.mark.fast
def test_two_coordinated_sets_compete_and_stay_unresolved() -> None:
    assert resolve_set(TWO_STATES, [], [group("peru", "chile", last_i=2), group("bolivia", "ecuador")]) is None


@pytest.mark.fast
def test_a_plural_pronoun_takes_only_a_coordinated_main_subject() -> None:
    assert resolve_set(THEY, [], [group("peru", "chile", coordinated=False)]) is None
    assert resolve_set(THEY, [], [group("peru", "chile")]) is None  # "talks between Peru and Chile"
    members = resolve_set(THEY, [], [group("peru", "chile", "bolivia", subject=True)])
    assert members is not None and len(members) == 3


@pytest.mark.fast
def test_coordinated_actors_make_one_group() -> None:
    doc = make_doc(PERU_AND_CHILE_MET)
    member_at = {0: state_member("peru"), 2: state_member("chile", 9)}
    (found,) = actor_groups(doc, member_at)
    assert [m.actor_id for m in found.members] == ["peru", "chile"]
    assert found.coordinated and found.main_subject


# --- the event coder reads every member --------------------------------------------------


def add_set(state, text: str, *actors: str) -> None:  # type: ignore[no-untyped-def]
    sentence = state.sentences[-1]
    start = sentence.start + state.sentence_text(sentence).index(text)
    for actor in actors:
        state.mentions.append(
            Mention(stable_id("handmade", start, actor), "handmade", start, start + len(text), sentence.index,
                    actor, "COREF", PLURAL_RULE)
        )
    state.mentions.sort(key=lambda m: m.start)


@pytest.mark.fast
def test_a_set_subject_is_one_source_per_member(model_free_resources: Resources) -> None:
    state = make_state(make_doc(PERU_AND_CHILE_MET), make_doc(COUNTRIES_CRITICISED),
                       actors={"Peru": "peru", "Chile": "chile", "Bolivia": "bolivia"})
    add_set(state, "The two countries", "peru", "chile")
    run_stage(state, model_free_resources, "events")
    criticisms = {(e.source, e.target) for e in state.events if e.sentence_index == 1}
    assert criticisms == {("peru", "bolivia"), ("chile", "bolivia")}


# --- end to end (spaCy) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyse(resources):  # type: ignore[no-untyped-def]
    def run(text: str, plural_sets: bool = True) -> DocumentRecords:
        config = PipelineConfig.default().with_option("actors", "plural_sets", plural_sets)
        pipeline = build_pipeline(resources, config=config)
        return pipeline(RawInput("t", "t.txt", "txt", text.encode("utf-8"), {"published": "2024-03-01"}))

    return run


def set_mentions(records: DocumentRecords) -> list[tuple[str, str | None]]:
    text = records.document.text
    return [(text[m.start : m.end], m.actor_id) for m in records.mentions if m.rule == PLURAL_RULE]


@pytest.mark.slow
def test_the_two_countries_after_a_coordination_are_both_and_act_both(analyse) -> None:  # type: ignore[no-untyped-def]
    text = "Russia and China held talks on Monday. The two countries criticised the United States."
    records = analyse(text)
    assert set_mentions(records) == [("The two countries", "russia"), ("The two countries", "china")]
    assert len({m.id for m in records.mentions}) == len(records.mentions)
    criticisms = {(e.source, e.target) for e in records.events if e.code.startswith("11")}
    assert {("russia", "united-states"), ("china", "united-states")} <= criticisms


@pytest.mark.slow
def test_each_other_is_coded_both_ways(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Iran and Saudi Arabia accused each other of meddling.")
    assert {(e.source, e.target) for e in records.events if e.code == "112"} == {
        ("iran", "saudi-arabia"), ("saudi-arabia", "iran")
    }


@pytest.mark.slow
def test_three_candidates_for_two_stay_unresolved(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Russia, China and Iran held naval drills. The two countries praised the exercise.")
    assert set_mentions(records) == []


@pytest.mark.slow
def test_the_switch_turns_sets_off(analyse) -> None:  # type: ignore[no-untyped-def]
    text = "Russia and China held talks on Monday. The two countries criticised the United States."
    assert set_mentions(analyse(text, plural_sets=False)) == []


# --- "each ... the other" ------------------------------------------------------------------

EACH_SIDE_BLAMED_THE_OTHER = """
    Each    each   DET    det    1
    side    side   NOUN   nsubj  2
    blamed  blame  VERB   ROOT   2
    the     the    DET    det    4
    other   other  ADJ    dobj   2
    .       _      PUNCT  punct  2
"""

EACH_OF_THEM_CRITICISED_THE_OTHER_SIDE = """
    Each        each       PRON   nsubj  3
    of          of         ADP    prep   0
    them        they       PRON   pobj   1
    criticised  criticize  VERB   ROOT   3
    the         the        DET    det    6
    other       other      ADJ    amod   6
    side        side       NOUN   dobj   3
    .           _          PUNCT  punct  3
"""

PAIR_EACH_ACCUSED_THE_OTHER = """
    Peru     _       PROPN  nsubj  4
    and      and     CCONJ  cc     0
    Chile    _       PROPN  conj   0
    each     each    PRON   appos  0
    accused  accuse  VERB   ROOT   4
    the      the     DET    det    6
    other    other   ADJ    dobj   4
    .        _       PUNCT  punct  4
"""

EACH_SAID_THE_OTHER_CHEATED = """
    Each     each   DET    det    1
    side     side   NOUN   nsubj  2
    said     say    VERB   ROOT   2
    the      the    DET    det    4
    other    other  ADJ    nsubj  6
    had      have   AUX    aux    6
    cheated  cheat  VERB   ccomp  2
    .        _      PUNCT  punct  2
"""

EACH_PRAISED_THE_OTHER_COUNTRIES = """
    Each       each     DET    det    1
    side       side     NOUN   nsubj  2
    praised    praise   VERB   ROOT   2
    the        the      DET    det    5
    other      other    ADJ    amod   5
    countries  country  NOUN   dobj   2   NNS
    .          _        PUNCT  punct  2
"""


def spans(text_doc, anaphors: list[SetAnaphor]) -> list[str]:  # type: ignore[no-untyped-def]
    return [text_doc.text[a.start : a.end] for a in anaphors]


@pytest.mark.fast
def test_each_and_the_other_of_one_clause_are_a_pair() -> None:
    doc = make_doc(EACH_SIDE_BLAMED_THE_OTHER)
    anaphors = find_set_anaphors(doc, LEXICON)
    assert spans(doc, anaphors) == ["Each side", "the other"]
    assert all((a.size, a.pronoun, a.reciprocal) == (2, True, True) for a in anaphors)


@pytest.mark.fast
def test_each_of_them_and_the_other_side_are_a_pair() -> None:
    doc = make_doc(EACH_OF_THEM_CRITICISED_THE_OTHER_SIDE)
    assert spans(doc, find_set_anaphors(doc, LEXICON)) == ["Each", "them", "the other side"]


@pytest.mark.fast
def test_a_floating_each_makes_only_the_other_an_anaphor() -> None:
    doc = make_doc(PAIR_EACH_ACCUSED_THE_OTHER)
    assert spans(doc, find_set_anaphors(doc, LEXICON)) == ["the other"]


@pytest.mark.fast
def test_the_other_in_another_clause_is_no_pair() -> None:
    assert find_set_anaphors(make_doc(EACH_SAID_THE_OTHER_CHEATED), LEXICON) == []


@pytest.mark.fast
def test_the_other_of_a_plural_noun_is_no_pair() -> None:
    assert find_set_anaphors(make_doc(EACH_PRAISED_THE_OTHER_COUNTRIES), LEXICON) == []


@pytest.mark.fast
def test_a_pair_takes_only_a_set_of_two() -> None:
    (each, _) = find_set_anaphors(make_doc(EACH_SIDE_BLAMED_THE_OTHER), LEXICON)
    assert resolve_set(each, [], [group("peru", "chile", "bolivia")]) is None
    members = resolve_set(each, [], [group("peru", "chile")])
    assert members is not None and {m.actor_id for m in members} == {"peru", "chile"}


@pytest.mark.fast
def test_each_blamed_the_other_is_coded_both_ways(model_free_resources: Resources) -> None:
    state = make_state(make_doc(PERU_AND_CHILE_MET), make_doc(EACH_SIDE_BLAMED_THE_OTHER),
                       actors={"Peru": "peru", "Chile": "chile"})
    add_set(state, "Each side", "peru", "chile")
    add_set(state, "the other", "peru", "chile")
    run_stage(state, model_free_resources, "events")
    blames = {(e.source, e.target) for e in state.events if e.sentence_index == 1 and e.code == "112"}
    assert blames == {("peru", "chile"), ("chile", "peru")}


@pytest.mark.slow
def test_each_side_blamed_the_other_after_a_coordination(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Iran and Saudi Arabia traded accusations. Each side blamed the other for the collapse.")
    assert {(e.source, e.target) for e in records.events if e.code == "112"} == {
        ("iran", "saudi-arabia"), ("saudi-arabia", "iran")
    }


@pytest.mark.slow
def test_each_of_the_two_governments_accused_the_other(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Talks between Armenia and Azerbaijan stalled. Each of the two governments accused the other.")
    assert {(e.source, e.target) for e in records.events if e.code == "112"} == {
        ("armenia", "azerbaijan"), ("azerbaijan", "armenia")
    }


@pytest.mark.slow
def test_each_the_other_with_three_candidates_codes_nothing(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Russia, China and Iran held drills. Each side accused the other of provocations.")
    assert not [e for e in records.events if e.code == "112"]
