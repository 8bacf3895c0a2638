"""PETRARCH pattern syntax in the verbs importer and the coder: words before the verb,
paired codes, the ``$``/``+``/``%`` markers and a suite's own codes. The dictionary and
every sentence were invented for these tests (Ruritania, Borduria)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.evaluation.suites import suite_ontology
from dyadlens.kb.ontology import load_ontology
from dyadlens.nlp.petrarch_verbs import declared_codes
from dyadlens.nlp.preverbal import groups_of, has_words_before
from dyadlens.nlp.verb_entry import VerbEntry
from dyadlens.nlp.verbs import load_verb_dictionary
from dyadlens.resources import Resources
from handmade import ModelFreeResources, make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Ruritania": "ruritania", "Borduria": "borduria"}

INVENTED_VERBS = """<!-- invented for these tests -->
&HEDGES
+DID N'T
+WILL NOT

--- SUPPORT  [050]  ---
SUPPORT
- FAILED_TO_*  [111]
- &HEDGES *  [112]
- SAID $ * +  [051]

--- LEAVE  [---]  ---
LEAVE
- * FOR  [032:033]

--- ARRIVE  [032:033]  ---
ARRIVE

--- POSTPONE  [---]  ---
POSTPONE
- % HAVE *  [191]

--- RECEIVE  [---]  ---
RECEIVE
- + * AID FROM $  [070]
- * + IN CUSTODY  [073]
- + * MONEY $  [071]
- $ * ^ FOR +  [072]
- * OF $ FROM +  [012]
- NOTED + *  [115]
- * GIFTS  [909]
"""


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def verbs_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("verbs") / "invented.verbs.txt"
    path.write_text(INVENTED_VERBS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def coding_resources(verbs_file: Path, model_free_resources: Resources) -> Resources:
    """Model-free resources with the invented verbs file given after the packaged one."""
    resources = ModelFreeResources(verb_files=[verbs_file])
    resources.kb = model_free_resources.kb
    return resources


def imported(ontology, path: Path) -> dict[str, VerbEntry]:
    dictionary = load_verb_dictionary(ontology, [path], packaged_entries=False)
    return {e.describe(): e for e in dictionary.entries}


# --- the importer ---


def test_words_before_the_verb_keep_their_adjacency(ontology, verbs_file: Path) -> None:
    entries = imported(ontology, verbs_file)
    assert entries["failed_to_ verb support -> 111"].before == ("failed", "_", "to", "_")
    hedged = {e.before for e in entries.values() if e.code == "112"}
    assert hedged == {("did", "_", "n't"), ("will", "_", "not")}  # one entry per synset member


def test_paired_codes_and_markers_become_routes(ontology, verbs_file: Path) -> None:
    entries = imported(ontology, verbs_file)
    assert entries["verb leave target after for -> 032:033"].paired_code == "033"
    postpone = next(e for e in entries.values() if e.code == "191")
    assert (postpone.symmetric, postpone.paired_code, postpone.before) == (True, "191", ("have",))
    aid = next(e for e in entries.values() if e.code == "070")
    assert (aid.reverse, aid.preps, aid.objects >= {"aid"}) == (True, frozenset({"from"}), True)
    custody = next(e for e in entries.values() if e.code == "073")
    assert (custody.needs, custody.preps) == ((("in", "custody"),), frozenset())
    said = next(e for e in entries.values() if e.code == "051")
    assert (said.before, said.reverse, said.preps) == (("said",), False, frozenset())


def test_unusable_patterns_are_counted_by_reason(ontology, verbs_file: Path) -> None:
    dictionary = load_verb_dictionary(ontology, [verbs_file], packaged_entries=False)
    reasons = dictionary.skip_reasons[str(verbs_file)]
    assert reasons == {
        "marker after a word that is not a preposition": 1,
        "^ (skip a phrase)": 1,
        "source and target both after the verb": 1,
        "target subject with no source": 1,
        "code not in the ontology": 1,
    }
    assert dictionary.skipped[str(verbs_file)] == 5


def test_specificity_counts_the_words_before_the_verb() -> None:
    plain = VerbEntry(id="a", code="050", kind="verb", lemmas=frozenset({"support"}))
    guarded = VerbEntry(id="b", code="111", kind="verb", lemmas=frozenset({"support"}), before=("failed", "_", "to"))
    assert guarded.specificity == plain.specificity + 2


def test_a_suite_ontology_knows_the_codes_of_its_own_verbs_file(ontology, verbs_file: Path) -> None:
    assert "909" in declared_codes(verbs_file)
    extended = suite_ontology(ontology, [verbs_file])
    assert extended.is_valid("909") and not ontology.is_valid("909")
    assert len(extended) == len(ontology) + 1
    dictionary = load_verb_dictionary(extended, [verbs_file], packaged_entries=False)
    assert any(e.code == "909" for e in dictionary.entries)


# --- words before the verb, on hand-built parses ---

FAILED_TO_SUPPORT = """
    Ruritania  _        PROPN  nsubj  1
    failed     fail     VERB   ROOT   1
    to         _        PART   aux    3
    support    _        VERB   xcomp  1
    Borduria   _        PROPN  dobj   3
    .          _        PUNCT  punct  1
"""

DID_NOT_SAY_IT_SUPPORTED = """
    Ruritania  _        PROPN  nsubj  3
    did        do       AUX    aux    3
    not        _        PART   neg    3
    say        _        VERB   ROOT   3
    it         _        PRON   nsubj  5
    supported  support  VERB   ccomp  3
    Borduria   _        PROPN  dobj   5
    .          _        PUNCT  punct  3
"""


def verb(rows: str, word: str):
    doc = make_doc(rows)
    return next(t for t in doc if t.text == word)


def test_groups_of_before_words() -> None:
    assert groups_of(("said", "would", "_", "not", "_")) == ([["said"], ["would", "not"]], True)


def test_adjacent_words_right_before_the_verb() -> None:
    support = verb(FAILED_TO_SUPPORT, "support")
    assert has_words_before(support, ("failed", "_", "to", "_"))
    assert has_words_before(support, ("fail",))  # the lemma counts too
    assert not has_words_before(support, ("failed", "_"))  # "to" stands between


def test_words_of_a_governing_clause_do_not_count() -> None:
    supported = verb(DID_NOT_SAY_IT_SUPPORTED, "supported")
    assert has_words_before(supported, ("say",))
    assert not has_words_before(supported, ("not",))  # negates "say", not "supported"
    assert not has_words_before(supported, ("supported",))


# --- the coder ---

LEFT_FOR = """
    Ruritania  _      PROPN  nsubj  1
    left       leave  VERB   ROOT   1
    for        _      ADP    prep   1
    Borduria   _      PROPN  pobj   2
    .          _      PUNCT  punct  1
"""

ARRIVED_IN = """
    Ruritania  _       PROPN  nsubj  1
    arrived    arrive  VERB   ROOT   1
    in         _       ADP    prep   1
    Borduria   _       PROPN  pobj   2
    .          _       PUNCT  punct  1
"""

HAVE_POSTPONED = """
    Ruritania  _         PROPN  nsubj  4
    and        _         CCONJ  cc     0
    Borduria   _         PROPN  conj   0
    have       _         AUX    aux    4
    postponed  postpone  VERB   ROOT   4
    ceremony   _         NOUN   dobj   4
    .          _         PUNCT  punct  4
"""

RECEIVED_AID_FROM = """
    Borduria   _        PROPN  nsubj  1
    received   receive  VERB   ROOT   1
    aid        _        NOUN   dobj   1
    from       _        ADP    prep   1
    Ruritania  _        PROPN  pobj   3
    .          _        PUNCT  punct  1
"""


def coded(resources: Resources, rows: str) -> set[tuple[str | None, str | None, str]]:
    state = run_stage(make_state(make_doc(rows), actors=ACTORS), resources, "events")
    return {(e.source, e.target, e.code) for e in state.events}


def test_a_pattern_with_words_before_the_verb_decides(coding_resources: Resources) -> None:
    assert coded(coding_resources, FAILED_TO_SUPPORT) == {("ruritania", "borduria", "111")}


def test_a_paired_code_gives_the_event_in_return(coding_resources: Resources) -> None:
    assert coded(coding_resources, LEFT_FOR) == {("ruritania", "borduria", "032"), ("borduria", "ruritania", "033")}


def test_a_compound_subject_is_coded_both_ways(coding_resources: Resources) -> None:
    assert coded(coding_resources, HAVE_POSTPONED) == {
        ("ruritania", "borduria", "191"),
        ("borduria", "ruritania", "191"),
    }


def test_a_target_subject_with_a_source_after_from(coding_resources: Resources) -> None:
    assert coded(coding_resources, RECEIVED_AID_FROM) == {("ruritania", "borduria", "070")}


def test_a_plain_verb_finds_its_target_in_the_verb_phrase(coding_resources: Resources) -> None:
    """PETRARCH looks for the target anywhere in the verb phrase: a block's verb with no
    direct object takes the first actor after a preposition."""
    assert coded(coding_resources, ARRIVED_IN) == {("ruritania", "borduria", "032"), ("borduria", "ruritania", "033")}
