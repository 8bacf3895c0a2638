"""Parse the analysed sentences of a document into one spaCy ``Doc``.

Each analysed sentence is parsed on its own (so the model sees exactly the
sentences of :mod:`dyadlens.nlp.sentences`, the ones evidence spans use); the
parses and the text between them (whitespace, furniture, repeated text: only
tokenized, with no parse) are then joined into one ``Doc`` over the whole
text. Its sentences are set to those pieces, so ``token.sent`` of a parsed
token is its analysed sentence, and a token's ``idx`` is a document offset.
Curly apostrophes are replaced by straight ones before parsing: the
replacement keeps every offset (the ``Doc``'s text is the document's with that
replacement), and spaCy's English model mis-tags "n’t" and "’s" otherwise. The
model's attribute ruler and lemmatizer are applied through arrays, with the same result
(:mod:`dyadlens.nlp.attribute_rules`, :mod:`dyadlens.nlp.lemmas`).

The ``Doc`` is kept until the last component has run, so what it holds
matters on a long document. Each sentence's parse is read into arrays as it
comes out of the model and let go, so the parses are never all kept beside the
joined ``Doc``. spaCy leaves on each parsed sentence a tensor (the token
vectors of its ``tok2vec``, a view into its whole batch's array); no later
stage reads vectors, so the joined ``Doc`` takes none: every other annotation
(tags, lemmas, morphology, dependencies, entities) is as the model made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import numpy
from spacy.tokens import Doc

from dyadlens.model import Sentence
from dyadlens.nlp.attribute_rules import array_ruler, pipe
from dyadlens.nlp.lemmas import memo_lemmatizer
from dyadlens.state import DocState

_LENGTH_PRESERVING = str.maketrans({"\u2019": "'", "\u2018": "'"})
#: What the joined ``Doc`` takes from each piece besides its words and spaces: every annotation
#: of the model (sentence starts are set afterwards, one per piece).
_ANNOTATIONS: list[int | str] = [
    "NORM", "LEMMA", "POS", "TAG", "MORPH", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID",
]


def normalise_for_parser(text: str) -> str:
    """Same length as ``text``: offsets into the result are offsets into the input."""
    return text.translate(_LENGTH_PRESERVING)


class SentenceParser:
    name = "parse"
    version = "1"

    def __init__(self, nlp: Any, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.batch_size = batch_size
        ruler, lemmatizer = array_ruler(nlp), memo_lemmatizer(nlp)
        #: The model's components run through arrays instead of spaCy's own, with the same result.
        self.replaced: dict[str, Callable[[Doc], Doc]] = {
            name: found for name, found in (("attribute_ruler", ruler), ("lemmatizer", lemmatizer)) if found is not None
        }

    def __call__(self, state: DocState) -> None:
        text = normalise_for_parser(state.text)
        sentences = list(state.analysed_sentences())
        parsed = pipe(self.nlp, self.replaced, (text[s.start : s.end] for s in sentences), self.batch_size)
        state.doc = join_pieces(self.nlp.vocab, text, _pieces(self.nlp, text, sentences, parsed))


def _pieces(nlp: Any, text: str, sentences: list[Sentence], parsed: Iterable[Doc]) -> Iterator[Doc]:
    """The parsed sentences in text order, each gap between them tokenized only (empty gaps left out)."""
    position = 0
    for sentence, doc in zip(sentences, parsed, strict=True):
        if sentence.start > position:
            yield nlp.tokenizer(text[position : sentence.start])
        yield doc
        position = sentence.end
    if position < len(text):
        yield nlp.tokenizer(text[position:])


def join_pieces(vocab: Any, text: str, pieces: Iterable[Doc]) -> Doc:
    """One ``Doc`` spelling ``text``, made of ``pieces`` (which tile it), each piece one sentence.

    Each piece is read into arrays as it comes and then let go, so the pieces are never all
    kept beside the joined ``Doc``.
    """
    words: list[str] = []
    spaces: list[bool] = []
    arrays = []
    starts: list[int] = []
    for piece in pieces:
        if len(piece):
            starts.append(len(words))
        for token in piece:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        arrays.append(piece.to_array(_ANNOTATIONS))
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise ValueError("the parsed sentences and the text between them do not spell the document")
    if words:
        doc.from_array(_ANNOTATIONS, cast(Any, numpy.concatenate(arrays)))
        sentence_starts = numpy.full((len(words), 1), -1, dtype=numpy.int64)
        sentence_starts[starts] = 1
        doc.from_array(["SENT_START"], cast(Any, sentence_starts.astype(numpy.uint64)))
    return doc
