"""spaCy's lemmatizer applied through the ``Doc``'s arrays, each distinct word form lemmatized once.

The model's rule lemmatizer walks every token of every sentence, making a ``Token`` and reading
its text, part of speech and morphology in Python before it looks in its cache: about a tenth
of the model's time on a sentence. What it gives a token depends on nothing else than its form,
part of speech and morphology (its own cache is keyed by the same three), so
:class:`MemoLemmatizer` reads them as arrays, asks spaCy's lemmatizer once per distinct key
and writes the lemmas back through one array. A token that already has a lemma (the attribute
ruler sets some) keeps it unless the lemmatizer overwrites, as spaCy's does.

The lemmas come from a lemmatizer of the model's own class over the same tables, except that
its word index (``lemma_index``: 57,528 nouns, 20,993 adjectives...) is held as sets: spaCy's
rule lemmatizer tests each candidate form against it with ``in``, a scan of the list, about
0.4 ms a word the first time it meets it, so a fresh process spent most of the lemmatizer's
time there. Membership is the index's only use, so the lemmas are the same; the model's own
lemmatizer is left as it is.
"""

from __future__ import annotations

from typing import Any, cast

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS  # type: ignore[import-not-found]  # no stub
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import Lookups, Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

#: The lemmatizer modes whose lemma is a function of the word's form, part of speech and morphology.
_KEYED_MODES = frozenset({"rule", "lookup"})
#: The base-form tests known to read only the word's part of speech and morphology.
_KEYED_BASE_FORM_TESTS = (Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form)
#: Distinct keys remembered before the memo starts afresh (a bound on a long run's memory).
MEMO_SIZE = 200_000

Key = tuple[int, int, int]


class MemoLemmatizer:
    """Set each token's lemma as ``lemmatizer`` (spaCy's ``Lemmatizer``) would, once per key."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self._memo: dict[Key, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.lemmatizer._validated:
            self.lemmatizer._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        overwrite = bool(self.lemmatizer.overwrite)
        lemmas = [lemma if lemma and not overwrite else self._lemma(doc, i, (orth, pos, morph))
                  for i, (orth, pos, morph, lemma) in enumerate(rows)]
        doc.from_array([LEMMA], cast(Any, numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1)))
        return doc

    def _lemma(self, doc: Doc, i: int, key: Key) -> int:
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = int(self.strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
        return found


def memo_lemmatizer(nlp: Any) -> MemoLemmatizer | None:
    """The model's lemmatizer as a :class:`MemoLemmatizer`, or None (no lemmatizer, or a mode
    whose lemma may depend on more than the key: another mode, or a subclass's own rules)."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    kind = type(lemmatizer)
    keyed = (
        isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode in _KEYED_MODES
        and kind.rule_lemmatize is Lemmatizer.rule_lemmatize and kind.lookup_lemmatize is Lemmatizer.lookup_lemmatize
        and kind.is_base_form in _KEYED_BASE_FORM_TESTS
    )
    return MemoLemmatizer(_with_indexed_words(lemmatizer)) if keyed else None


def _with_indexed_words(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A lemmatizer like ``lemmatizer`` (class, mode, tables) whose word index is held as sets."""
    copy = type(lemmatizer)(lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode=lemmatizer.mode,
                            overwrite=lemmatizer.overwrite)
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            indexed = Table(name=name)
            for key, words in table.items():
                indexed[key] = frozenset(words)
            table = indexed
        lookups.set_table(name, table)
    copy.initialize(lookups=lookups)
    return copy
