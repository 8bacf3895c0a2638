"""Coreference beyond one sentence (issue #16, item 1): the widened antecedent rule of a numbered
set phrase, its reflexivity constraint, plurals of a name two states share ("the two Koreas"),
role nouns for organisations ("the bloc") and "his country". Fast tests on hand-built parses;
the end-to-end ones on invented sentences load spaCy."""

from __future__ import annotations

import pytest

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.nlp.actor_coref import (
    OWN_STATE,
    PLURAL_RULE,
    Anaphor,
    Antecedent,
    SetAnaphor,
    SetMember,
    find_anaphors,
    find_name_plurals,
    find_set_anaphors,
    governing_subjects,
    resolve_anaphor,
    resolve_in_context,
    resolve_own_state,
    states_by_name_word,
)
from dyadlens.nlp.lexicon import load_lexicon
from dyadlens.pipeline import PipelineConfig, build_pipeline
from handmade import make_doc

LEXICON = load_lexicon()
TWO_STATES = SetAnaphor(0, 17, 2, ("state",), False)
NOBODY: frozenset[str] = frozenset()


def state(actor: str, kind: str = "state") -> SetMember:
    return SetMember(0, actor, frozenset({"any", kind}))


def ids(members: tuple[SetMember, ...] | None) -> set[str] | None:
    return None if members is None else {m.actor_id for m in members}


# --- the widened rule: the actors of the sentences before -----------------------------------


@pytest.mark.fast
def test_the_two_states_of_the_sentence_before_are_the_set() -> None:
    windows = [[state("chile"), state("peru"), state("chile")]]
    assert ids(resolve_in_context(TWO_STATES, windows, [], NOBODY)) == {"chile", "peru"}


@pytest.mark.fast
def test_the_window_widens_to_two_sentences_when_one_has_too_few() -> None:
    windows = [[state("chile")], [state("chile"), state("peru")]]
    assert ids(resolve_in_context(TWO_STATES, windows, [], NOBODY)) == {"chile", "peru"}


@pytest.mark.fast
def test_three_competing_states_leave_a_pair_unresolved() -> None:
    windows = [[state("chile"), state("peru"), state("bolivia")]]
    assert resolve_in_context(TWO_STATES, windows, [], NOBODY) is None


@pytest.mark.fast
def test_members_of_another_kind_do_not_count() -> None:
    windows = [[state("chile"), state("mercosur", "igo"), state("peru")]]
    assert ids(resolve_in_context(TWO_STATES, windows, [], NOBODY)) == {"chile", "peru"}


@pytest.mark.fast
def test_the_subjects_of_the_phrase_s_own_verb_never_count() -> None:
    windows = [[state("brazil"), state("chile"), state("peru")]]
    assert ids(resolve_in_context(TWO_STATES, windows, [], frozenset({"brazil"}))) == {"chile", "peru"}


@pytest.mark.fast
def test_the_document_s_pair_fills_a_window_with_too_few() -> None:
    pair = (state("chile"), state("peru"))
    assert ids(resolve_in_context(TWO_STATES, [[state("peru")]], [pair], NOBODY)) == {"chile", "peru"}
    assert ids(resolve_in_context(TWO_STATES, [[]], [pair], NOBODY)) == {"chile", "peru"}


@pytest.mark.fast
def test_the_document_s_pair_must_agree_with_the_window() -> None:
    pair = (state("chile"), state("peru"))
    assert resolve_in_context(TWO_STATES, [[state("bolivia")]], [pair], NOBODY) is None
    three = [[state("chile"), state("peru"), state("bolivia")]]
    assert ids(resolve_in_context(TWO_STATES, three, [pair], NOBODY)) == {"chile", "peru"}
    other_three = [[state("chile"), state("ecuador"), state("bolivia")]]
    assert resolve_in_context(TWO_STATES, other_three, [pair], NOBODY) is None


@pytest.mark.fast
def test_a_plural_pronoun_is_not_widened() -> None:
    they = SetAnaphor(0, 4, None, ("any",), True)
    assert resolve_in_context(they, [[state("chile"), state("peru")]], [], NOBODY) is None


# --- reflexivity: the subjects of the phrase's own verb ------------------------------------

URGED_THE_TWO_NEIGHBOURS = """
    Chile       _         PROPN  nsubj   3
    and         and       CCONJ  cc      0
    Peru        _         PROPN  conj    0
    urged       urge      VERB   ROOT    3
    the         the       DET    det     6
    two         two       NUM    nummod  6
    neighbours  neighbour NOUN   dobj    3   NNS
    to          to        PART   aux     8
    talk        talk      VERB   xcomp   3
    .           _         PUNCT  punct   3
"""

OPENED_AND_CALLED_ON = """
    Brazil      _         PROPN  nsubj   1
    opened      open      VERB   ROOT    1
    talks       talk      NOUN   dobj    1   NNS
    and         and       CCONJ  cc      1
    called      call      VERB   conj    1
    on          on        ADP    prep    4
    the         the       DET    det     8
    two         two       NUM    nummod  8
    sides       side      NOUN   pobj    5   NNS
    .           _         PUNCT  punct   1
"""

THE_TWO_SIDES_MET = """
    The         the       DET    det     2
    two         two       NUM    nummod  2
    sides       side      NOUN   nsubj   3   NNS
    met         meet      VERB   ROOT    3
    .           _         PUNCT  punct   3
"""


@pytest.mark.fast
def test_the_subjects_of_the_verb_a_set_is_the_object_of_are_excluded() -> None:
    doc = make_doc(URGED_THE_TWO_NEIGHBOURS)
    assert {t.text for t in governing_subjects(doc[6])} == {"Chile", "and", "Peru"}


@pytest.mark.fast
def test_a_verb_without_its_own_subject_has_the_subject_of_its_head() -> None:
    doc = make_doc(OPENED_AND_CALLED_ON)
    assert [t.text for t in governing_subjects(doc[8])] == ["Brazil"]


@pytest.mark.fast
def test_a_set_that_is_the_subject_excludes_nobody() -> None:
    assert governing_subjects(make_doc(THE_TWO_SIDES_MET)[2]) == []


NEIGHBOURS_KNOWN_AS = """
    talks       talk      NOUN   ROOT    0   NNS
    between     between   ADP    prep    0
    the         the       DET    det     4
    two         two       NUM    nummod  4
    neighbours  neighbour NOUN   pobj    1   NNS
    ,           _         PUNCT  punct   4
    known       know      VERB   acl     4
    as          as        ADP    prep    6
    Ankara      _         PROPN  pobj    7
"""

NEIGHBOURS_CALLED = """
    talks       talk      NOUN   ROOT    0   NNS
    between     between   ADP    prep    0
    the         the       DET    det     4
    two         two       NUM    nummod  4
    neighbours  neighbour NOUN   pobj    1   NNS
    called      call      VERB   acl     4
    rivals      rival     NOUN   oprd    5   NNS
"""


@pytest.mark.fast
def test_a_modifier_after_a_comma_does_not_set_the_set_apart() -> None:
    doc = make_doc(NEIGHBOURS_KNOWN_AS)
    (anaphor,) = find_set_anaphors(doc, LEXICON)
    assert doc.text[anaphor.start : anaphor.end] == "the two neighbours"
    assert find_set_anaphors(make_doc(NEIGHBOURS_CALLED), LEXICON) == []


# --- "the two Koreas": a name two states share ------------------------------------------------

STATE_NAMES = [("north-korea", "North Korea"), ("south-korea", "South Korea"), ("south-korea", "Korea"),
               ("sudan", "Sudan"), ("south-sudan", "South Sudan"), ("chile", "Chile")]

TWO_KOREAS = """
    Japan       _         PROPN  nsubj   1
    urged       urge      VERB   ROOT    1
    the         the       DET    det     4
    two         two       NUM    nummod  4
    Koreas      Koreas    PROPN  dobj    1   NNPS
    .           _         PUNCT  punct   1
"""

THREE_SUDANS = """
    Japan       _         PROPN  nsubj   1
    urged       urge      VERB   ROOT    1
    the         the       DET    det     4
    three       three     NUM    nummod  4
    Sudans      Sudans    PROPN  dobj    1   NNPS
    .           _         PUNCT  punct   1
"""


@pytest.mark.fast
def test_a_word_indexes_the_states_whose_names_it_ends() -> None:
    index = states_by_name_word(STATE_NAMES)
    assert index["korea"] == {"north-korea", "south-korea"}
    assert index["sudan"] == {"sudan", "south-sudan"}
    assert index["chile"] == {"chile"}


@pytest.mark.fast
def test_the_plural_of_a_shared_name_is_its_states() -> None:
    ((anaphor, states),) = find_name_plurals(make_doc(TWO_KOREAS), LEXICON, states_by_name_word(STATE_NAMES))
    assert states == ("north-korea", "south-korea")
    assert (anaphor.size, anaphor.kinds) == (2, ("state",))


@pytest.mark.fast
def test_a_number_that_does_not_match_the_states_finds_nothing() -> None:
    assert find_name_plurals(make_doc(THREE_SUDANS), LEXICON, states_by_name_word(STATE_NAMES)) == []


# --- "the bloc", "his country" --------------------------------------------------------------

THE_BLOC_REFUSED = """
    the         the       DET    det     1
    bloc        bloc      PROPN  nsubj   2
    refused     refuse    VERB   ROOT    2
    .           _         PUNCT  punct   2
"""

HIS_COUNTRY_WOULD_HELP = """
    Ruiz        _         PROPN  nsubj   1
    said        say       VERB   ROOT    1
    his         his       PRON   poss    3
    country     country   NOUN   nsubj   5
    would       would     AUX    aux     5
    help        help      VERB   ccomp   1
    .           _         PUNCT  punct   1
"""


def antecedent(
    actor: str, actor_type: str, offset: int = 0, sentence: int = 0, person: str | None = None
) -> Antecedent:
    return Antecedent(offset, sentence, actor, actor_type, person, "")


@pytest.mark.fast
def test_the_bloc_is_an_anaphor_even_when_tagged_as_a_proper_noun() -> None:
    (anaphor,) = find_anaphors(make_doc(THE_BLOC_REFUSED), LEXICON)
    assert anaphor.noun == "bloc"


@pytest.mark.fast
def test_the_bloc_takes_the_organisation_named_last_not_a_state() -> None:
    bloc = Anaphor(100, 108, "bloc")
    earlier = [antecedent("african-union", "igo", 10), antecedent("mali", "state", 40)]
    target = resolve_anaphor(bloc, 1, 100, earlier, LEXICON)
    assert target is not None and target.actor_id == "african-union"
    assert resolve_anaphor(bloc, 1, 100, [antecedent("mali", "state", 40)], LEXICON) is None


@pytest.mark.fast
def test_his_country_is_an_own_state_anaphor() -> None:
    (anaphor,) = find_anaphors(make_doc(HIS_COUNTRY_WOULD_HELP), LEXICON)
    assert anaphor.noun == OWN_STATE and (anaphor.start, anaphor.end) == (10, 21)


@pytest.mark.fast
def test_his_country_belongs_to_the_one_person_named_before() -> None:
    okello = antecedent("uganda", "state", 0, 3, "unresolved:okello")
    target = resolve_own_state(3, 50, [antecedent("kenya", "state", 30, 3), okello])
    assert target is okello
    assert resolve_own_state(4, 80, [okello]) is okello  # the sentence before
    rival = antecedent("kenya", "state", 20, 3, "unresolved:wanjiru")
    assert resolve_own_state(3, 50, [okello, rival]) is None


# --- end to end (spaCy) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyse(resources):  # type: ignore[no-untyped-def]
    def run(text: str, set_context: bool = True) -> DocumentRecords:
        config = PipelineConfig.default().with_option("actors", "set_context", set_context)
        pipeline = build_pipeline(resources, config=config, upto="actors")
        return pipeline(RawInput("t", "t.txt", "txt", text.encode("utf-8"), {"published": "2025-05-02"}))

    return run


def resolved(records: DocumentRecords, rule: str = PLURAL_RULE) -> dict[str, set[str | None]]:
    text = records.document.text
    found: dict[str, set[str | None]] = {}
    for m in records.mentions:
        if m.rule == rule:
            found.setdefault(text[m.start : m.end], set()).add(m.actor_id)
    return found


@pytest.mark.slow
def test_the_two_neighbours_are_the_states_of_the_sentence_before(analyse) -> None:  # type: ignore[no-untyped-def]
    text = ("Chile closed a border crossing on Monday, and Peru recalled its ambassador. "
            "Since then, Brazil has hosted talks between the two neighbours.")
    assert resolved(analyse(text)) == {"the two neighbours": {"chile", "peru"}}
    assert resolved(analyse(text, set_context=False)) == {}


@pytest.mark.slow
def test_a_set_never_includes_the_subjects_of_its_own_verb(analyse) -> None:  # type: ignore[no-untyped-def]
    text = ("Argentina accused Uruguay of polluting the river. "
            "Brazil and Chile have both urged the two neighbours to show restraint.")
    assert resolved(analyse(text)) == {"the two neighbours": {"argentina", "uruguay"}}


@pytest.mark.slow
def test_the_two_koreas_are_north_and_south_korea(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse("Japan called on the two Koreas to exercise restraint.")
    assert resolved(records) == {"the two Koreas": {"north-korea", "south-korea"}}
    assert not [m for m in records.mentions if m.rule.startswith("fuzzy")]


@pytest.mark.slow
def test_the_bloc_and_his_country(analyse) -> None:  # type: ignore[no-untyped-def]
    text = ("The African Union suspended Mali in 2021. Since then, the bloc has refused to readmit it. "
            "Kenya's deputy foreign minister Paul Otieno said that his country would send aid to Somalia.")
    records = analyse(text)
    assert resolved(records, "coref:recency") == {"the bloc": {"african-union"}}
    assert resolved(records, "coref:own-state") == {"his country": {"kenya"}}


# --- a pronoun in a quotation never refers to its speaker ---------------------------------------

QUOTED_THEY = (
    "\u201cThey are tired of the war,\u201d said Norway\u2019s Foreign Minister Eva Lund on Monday. "
    "\u201cThey clearly stated that they are ready to meet Sweden.\u201d"
)


@pytest.mark.slow
def test_a_pronoun_in_a_quote_does_not_take_the_speaker_as_antecedent(analyse) -> None:  # type: ignore[no-untyped-def]
    records = analyse(QUOTED_THEY)
    assert resolved(records, "coref:pronoun") == {}  # the speaker's state is the only candidate: none


@pytest.mark.slow
def test_the_event_coder_does_not_give_a_quoted_pronoun_to_the_speaker(resources) -> None:  # type: ignore[no-untyped-def]
    pipeline = build_pipeline(resources)
    records = pipeline(RawInput("t", "t.txt", "txt", QUOTED_THEY.encode("utf-8"), {"published": "2025-05-02"}))
    assert not [e for e in records.events if e.source == "norway" and e.target == "sweden"]


@pytest.mark.slow
def test_outside_a_quote_a_pronoun_still_takes_the_speaker(analyse) -> None:  # type: ignore[no-untyped-def]
    text = "Norway\u2019s foreign minister said the talks had failed. They blamed Sweden for the collapse."
    assert resolved(analyse(text), "coref:pronoun") == {"They": {"norway"}}
