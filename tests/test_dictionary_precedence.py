"""Given dictionaries decide over the packaged ones: verb files by file order, KB files by layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.nlp.actors import choose_entry
from dyadlens.nlp.verbs import load_verb_dictionary

pytestmark = pytest.mark.fast

#: an invented PETRARCH-format verbs dictionary: a plain verb and a pattern naming an object
MINI_VERBS = """--- REKINDLE  [064]  ---
REKINDLE
- * FRIENDLY TIES  [064]

--- MEET  [036]  ---
MEET
"""


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_given_verb_file_beats_a_more_specific_packaged_pattern(ontology, tmp_path: Path) -> None:
    packaged = load_verb_dictionary(ontology)
    assert any(e.specificity > 0 for e in packaged.candidates("meet", "verb"))
    dictionary = load_verb_dictionary(ontology, [write(tmp_path, "mini.verbs.txt", MINI_VERBS)])
    first = dictionary.candidates("meet", "verb")[0]
    assert (first.code, first.order) == ("036", 1)


def test_verbs_the_given_file_does_not_define_keep_packaged_entries(ontology, tmp_path: Path) -> None:
    dictionary = load_verb_dictionary(ontology, [write(tmp_path, "mini.verbs.txt", MINI_VERBS)])
    assert dictionary.candidates("accuse", "verb")
    assert all(e.order == 0 for e in dictionary.candidates("accuse", "verb"))


def test_within_a_file_the_more_specific_pattern_comes_first(ontology, tmp_path: Path) -> None:
    dictionary = load_verb_dictionary(ontology, [write(tmp_path, "mini.verbs.txt", MINI_VERBS)])
    found = dictionary.candidates("rekindle", "verb")
    assert found[0].objects and not found[-1].objects


def test_packaged_entries_can_be_left_out(ontology, tmp_path: Path) -> None:
    dictionary = load_verb_dictionary(
        ontology, [write(tmp_path, "mini.verbs.txt", MINI_VERBS)], packaged_entries=False
    )
    assert not dictionary.has_lemma("accuse", "verb")
    assert dictionary.has_lemma("meet", "verb")
    assert dictionary.helper_verbs, "the packaged word lists stay"


def test_object_pattern_without_preposition_takes_its_target_from_a_phrase(ontology, tmp_path: Path) -> None:
    dictionary = load_verb_dictionary(ontology, [write(tmp_path, "mini.verbs.txt", MINI_VERBS)])
    pattern = next(e for e in dictionary.candidates("rekindle", "verb") if e.objects)
    plain = next(e for e in dictionary.candidates("rekindle", "verb") if not e.objects)
    assert {"with", "to"} <= pattern.preps and "of" not in pattern.preps
    assert not plain.preps, "a plain verb keeps its direct object as the target"


#: an invented actor claiming an alias the shipped KB gives to a real state
LATER_ACTOR = """- id: test-georgia-county
  name: Georgia County
  type: organization
  aliases: [Georgia]
"""


def test_later_kb_file_wins_a_shared_alias(tmp_path: Path) -> None:
    kb = load_kb([write(tmp_path, "later.yaml", LATER_ACTOR)])
    entries = kb.alias_entries("Georgia")
    assert {e.entity_id for e in entries} >= {"georgia", "test-georgia-county"}
    chosen = choose_entry(kb, entries, "2020-01-01")
    assert chosen is not None and chosen.entity_id == "test-georgia-county"


def test_the_latest_of_two_given_files_wins(tmp_path: Path) -> None:
    second = LATER_ACTOR.replace("test-georgia-county", "test-georgia-other").replace("County", "Other")
    kb = load_kb([write(tmp_path, "one.yaml", LATER_ACTOR), write(tmp_path, "two.yaml", second)])
    chosen = choose_entry(kb, kb.alias_entries("Georgia"), None)
    assert chosen is not None and chosen.entity_id == "test-georgia-other"


def test_shipped_aliases_keep_layer_zero() -> None:
    kb = load_kb()
    assert all(e.layer == 0 for e in kb.alias_entries("Georgia"))
