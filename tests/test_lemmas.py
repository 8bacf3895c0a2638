"""The lemmatizer through arrays gives every token the lemma spaCy's own lemmatizer gives it."""

from __future__ import annotations

import pytest

from dyadlens.nlp import lemmas
from dyadlens.nlp.attribute_rules import array_ruler, pipe
from dyadlens.nlp.lemmas import memo_lemmatizer
from dyadlens.resources import Resources
from test_attribute_rules import COLUMNS, _corpus_sentences


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return Resources().nlp


def _replaced(nlp):  # type: ignore[no-untyped-def]
    ruler, lemmatizer = array_ruler(nlp), memo_lemmatizer(nlp)
    assert ruler is not None and lemmatizer is not None
    return {"attribute_ruler": ruler, "lemmatizer": lemmatizer}


def _assert_same_as_spacy(nlp, replaced, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    ours = list(pipe(nlp, replaced, texts, 64))
    theirs = list(nlp.pipe(texts, batch_size=64))
    for mine, spacy_doc in zip(ours, theirs, strict=True):
        assert (mine.to_array(COLUMNS) == spacy_doc.to_array(COLUMNS)).all(), mine.text
        assert [t.lemma_ for t in mine] == [t.lemma_ for t in spacy_doc], mine.text


def test_same_lemmas_as_spacy_cold_and_warm(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = _corpus_sentences()
    replaced = _replaced(nlp)
    _assert_same_as_spacy(nlp, replaced, texts)  # every key met for the first time, then again
    _assert_same_as_spacy(nlp, replaced, texts)
    assert len(replaced["lemmatizer"]._memo) > 1000


def test_a_full_memo_starts_afresh(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(lemmas, "MEMO_SIZE", 5)
    replaced = _replaced(nlp)
    _assert_same_as_spacy(nlp, replaced, _corpus_sentences()[:40])
    assert len(replaced["lemmatizer"]._memo) <= 5


def test_a_lemmatizer_of_its_own_keeps_spacys(nlp) -> None:  # type: ignore[no-untyped-def]
    class Contextual(type(nlp.get_pipe("lemmatizer"))):  # type: ignore[misc]
        def is_base_form(self, token):  # type: ignore[no-untyped-def]
            return token.dep_ == "ROOT"

    class Fake:
        pipe_names = ("lemmatizer",)

        @staticmethod
        def get_pipe(_name: str) -> object:
            return Contextual(nlp.vocab, None, mode="rule")

    assert memo_lemmatizer(Fake()) is None
