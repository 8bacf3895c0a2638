"""Run spaCy over each analysed sentence.

Each sentence is parsed on its own so that parse boundaries equal the
sentence boundaries of :mod:`dyadlens.nlp.sentences` (the ones evidence spans
use). Curly apostrophes are replaced by straight ones before parsing: the
replacement keeps every offset, and spaCy's English model mis-tags "n’t" and
"’s" otherwise.

Every parse is kept until the last component has run, so what each one holds
matters on a long document. spaCy leaves on each parsed sentence a tensor (the
token vectors of its ``tok2vec``) that is a view into the array of its whole
batch, so one sentence kept alive pins 64 sentences' vectors. No later stage
reads vectors, so the parser drops them: the kept parse is then about 40% of
its size, with every annotation (tags, lemmas, dependencies, entities) as it was.
"""

from __future__ import annotations

from typing import Any

from dyadlens.state import DocState

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
        for sentence, parsed in zip(sentences, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True):
            parsed.tensor = parsed.tensor[:0].copy()  # empty and its own: a bare slice would still pin the batch
            state.parses[sentence.index] = parsed
