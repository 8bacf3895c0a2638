"""The verb and phrase dictionary: coverage, validation, and analysts' extension files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.kb.ontology import load_ontology
from dyadlens.nlp.verbs import load_verb_dictionary


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def packaged(ontology):
    return load_verb_dictionary(ontology)


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_dictionary_covers_every_root(ontology, packaged) -> None:
    dictionary = packaged
    roots = {entry.code[:2] for entry in dictionary.entries}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
    assert all(ontology.is_valid(entry.code) for entry in dictionary.entries)


@pytest.mark.parametrize(
    ("lemma", "kind", "root"),
    [("host", "verb", "04"), ("accuse", "verb", "11"), ("delisting", "noun", "08"), ("sanction", "noun", "16"),
     ("designate", "verb", "17"), ("threaten", "verb", "13"), ("attack", "noun", "18"), ("mediate", "verb", "04")],
)
def test_common_news_triggers_are_known(packaged, lemma: str, kind: str, root: str) -> None:
    candidates = packaged.candidates(lemma, kind)
    assert candidates and root in {c.code[:2] for c in candidates}


def test_more_specific_patterns_come_first(packaged) -> None:
    candidates = packaged.candidates("host", "verb")
    assert candidates[0].objects and not candidates[-1].objects


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("entries:\n  - {code: '999', verb: parley}\n", "unknown CAMEO code '999'"),
        ("entries:\n  - {code: '040', verb: parley, noun: parley}\n", "exactly one of"),
        ("entries:\n  - {code: '040', verb: parley, prepz: [with]}\n", "unknown keys prepz"),
        ("entries:\n  - {code: '040', verb: parley, preps: [on]}\n", "quote on/off"),
        ("entries:\n  - {code: '040', verb: parley, owner: nobody}\n", "owner must be"),
        ("entries:\n  - {code: '040', verb: parley, needs: [with]}\n", "'preposition noun'"),
        ("entries: [\n", "not valid YAML"),
    ],
)
def test_bad_entries_are_rejected_with_the_file_named(ontology, tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        load_verb_dictionary(ontology, extra_files=[path])
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_user_file_adds_entries_that_win_ties(ontology, tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n  - {code: '0214', verb: [snoop], preps: ['on']}\n"
                           "  - {code: '042', verb: host, note: 'house rule'}\n")
    dictionary = load_verb_dictionary(ontology, extra_files=[path])
    assert dictionary.candidates("snoop", "verb")[0].code == "0214"
    plain_host = [c for c in dictionary.candidates("host", "verb") if not c.objects]
    assert plain_host[0].code == "042" and plain_host[0].id == "extra:2"


PETRARCH_SAMPLE = """<!-- a tiny verbs dictionary in PETRARCH format, written for this test -->
&TIEKINDS
+MILITARY
+TRADE

--- SCOLD  [111]  ---
SCOLD   # comment
BERATE
- * WITH  [040]
- * &TIEKINDS TIES [062]
- SAID *  [010]
- $ * +  [112]
- * WARMLY [013:013]

--- NOCODE  [---] ---
NOCODE
- * ZZZ [999]
"""


def test_petrarch_verbs_dictionary_is_imported_and_skips_are_counted(ontology, tmp_path: Path) -> None:
    path = write(tmp_path, PETRARCH_SAMPLE, name="house.verbs.txt")
    dictionary = load_verb_dictionary(ontology, extra_files=[path])
    imported = {e.describe() for e in dictionary.entries if e.id.startswith("house.verbs")}
    assert "verb berate|scold -> 111" in imported
    assert "verb berate|scold target after with -> 040" in imported
    ties = next(e for e in dictionary.entries if e.code == "062" and e.id.startswith("house.verbs"))
    assert ties.describe().startswith("verb berate|scold mod military|trade obj tie|ties target after ")
    assert "with" in ties.preps  # an object pattern finds its target in a prepositional phrase
    assert "said verb berate|scold -> 010" in imported  # a word before the verb
    assert "verb berate|scold -> 112" in imported  # $ * +: source subject, target object
    assert any(e.paired_code == "013" for e in dictionary.entries)  # [013:013]: each way
    assert dictionary.skip_reasons[str(path)] == {"code not in the ontology": 1}  # [999]
    assert dictionary.skipped[str(path)] == 1


def test_file_without_petrarch_blocks_is_rejected(ontology, tmp_path: Path) -> None:
    path = write(tmp_path, "just some words\n", name="empty.verbs.txt")
    with pytest.raises(DataFileError, match="not a PETRARCH verbs dictionary"):
        load_verb_dictionary(ontology, extra_files=[path])


def test_petrarch_import_codes_a_sentence(resources, tmp_path: Path) -> None:
    from dyadlens.model import RawInput
    from dyadlens.pipeline import build_pipeline
    from dyadlens.resources import Resources

    path = write(tmp_path, PETRARCH_SAMPLE, name="house.verbs.txt")
    text = "Peru berated Chile."
    raw = RawInput(doc_id="p", path="p.txt", format="txt", data=text.encode(), meta={"published": "2024-01-02"})
    extended = Resources(verb_files=[path])
    extended.__dict__.update(nlp=resources.nlp, kb=resources.kb)  # share the loaded model and KB
    records = build_pipeline(extended, upto="event_context")(raw)
    assert [(e.source, e.target, e.code) for e in records.events] == [("peru", "chile", "111")]
