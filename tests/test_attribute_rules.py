"""The attribute ruler through arrays gives every token what spaCy's own ruler gives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.nlp.attribute_rules import ArrayAttributeRuler, UnsupportedPattern, array_ruler, pipe
from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
#: Every token annotation a later stage can read.
COLUMNS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "NORM"]
#: Text written to meet the ruler's rare patterns: two-token lemmas, spaces, "there is", curly forms.
TRICKY = [
    "Y'all ain't gonna believe it, let's go, c'mon, we gotta hurry.",
    "There are   two\n\nspaces and  a tab\there; there's one more.",
    "  Leading spaces.\n",
    "He said: \"It wasn't us.\"",
    "",
    "Ya'll ai n't wanna .",
]


def _corpus_sentences() -> list[str]:
    corpus = sorted((REPO / "examples" / "corpus").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in corpus]
    seeds = REPO.parent / "shared" / "corpus" / "seeds"
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*")) if p.is_file()]
    sentences = [line for text in texts for line in text.splitlines() if line.strip()]
    return TRICKY + sentences


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return Resources().nlp


def test_the_model_ruler_is_taken(nlp) -> None:  # type: ignore[no-untyped-def]
    assert array_ruler(nlp) is not None


def test_same_annotations_as_spacy(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = _corpus_sentences()
    assert len(texts) > 100
    ruler = array_ruler(nlp)
    assert ruler is not None
    ours = list(pipe(nlp, {"attribute_ruler": ruler}, texts, 64))
    theirs = list(nlp.pipe(texts, batch_size=64))
    changed = 0
    for mine, spacy_doc in zip(ours, theirs, strict=True):
        assert [t.text for t in mine] == [t.text for t in spacy_doc]
        assert (mine.to_array(COLUMNS) == spacy_doc.to_array(COLUMNS)).all(), mine.text
        assert [str(t.morph) for t in mine] == [str(t.morph) for t in spacy_doc]
        assert [t.lemma_ for t in mine] == [t.lemma_ for t in spacy_doc]
        changed += sum(t.pos_ != "" for t in mine)
    assert changed > 1000  # the ruler did set parts of speech


def test_an_unread_pattern_keeps_spacys_ruler(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnsupportedPattern):
        ArrayAttributeRuler(nlp.vocab, [([[{"LOWER": "a", "OP": "+"}]], {}, 0)])
    with pytest.raises(UnsupportedPattern):
        ArrayAttributeRuler(nlp.vocab, [([[{"SHAPE": "xx"}]], {}, 0)])
