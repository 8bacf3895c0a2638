"""Run spaCy over each analysed sentence.

Each sentence is parsed on its own so that parse boundaries equal the
sentence boundaries of :mod:`dyadlens.nlp.sentences` (the ones evidence spans
use). Curly apostrophes are replaced by straight ones before parsing: the
replacement keeps every offset, and spaCy's English model mis-tags "n’t" and
"’s" otherwise.
"""

from __future__ import annotations

from typing import Any

from dyadlens.pipeline import DocState

_LENGTH_PRESERVING = str.maketrans({"\u2019": "'", "\u2018": "'"})


def normalise_for_parser(text: str) -> str:
    """Same length as ``text``: offsets into the result are offsets into the input."""
    return text.translate(_LENGTH_PRESERVING)


class SentenceParser:
    name = "parse"
    version = "1"

    def __init__(self, nlp: Any, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.batch_size = batch_size

    def __call__(self, state: DocState) -> None:
        sentences = list(state.analysed_sentences())
        texts = (normalise_for_parser(state.sentence_text(s)) for s in sentences)
        for sentence, parsed in zip(sentences, self.nlp.pipe(texts, batch_size=self.batch_size)):
            state.parses[sentence.index] = parsed
