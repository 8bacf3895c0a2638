"""The pipeline: a pure function from one raw input to its records.

``Pipeline(raw) -> DocumentRecords`` reads the input, then runs its
components in order over a :class:`DocState`. Components never touch the
store, the terminal or the network; everything they need (the KB, the
ontology, the spaCy model, the verb dictionary) is handed to them through
:class:`~dyadlens.resources.Resources` when they are built. That is what lets
a distributed runner map the same pipeline over millions of documents.

A component is any object with ``name``, ``version`` and
``__call__(state) -> None`` that adds records to the state. Its ``version``
goes into the ids of the records it makes, so changing an extractor changes
the ids of what it produces and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from dyadlens.ingest.readers import read_document
from dyadlens.model import (
    ActorRef,
    Designation,
    Document,
    DocumentRecords,
    Event,
    Mention,
    Quote,
    RawInput,
    Region,
    Sentence,
)

if TYPE_CHECKING:
    from dyadlens.resources import Resources


@dataclass(slots=True)
class DocState:
    """What the components know about one document while it moves through them."""

    document: Document
    regions: list[Region] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    #: spaCy parse of each analysed sentence, by sentence index. Token
    #: ``idx`` values are relative to the sentence: add ``sentence.start``.
    parses: dict[int, Any] = field(default_factory=dict)
    actors: dict[str, ActorRef] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def sentence_text(self, sentence: Sentence) -> str:
        return self.document.text[sentence.start : sentence.end]

    def analysed_sentences(self) -> Iterator[Sentence]:
        """Sentences later layers should read (no furniture, no repeated text)."""
        return (s for s in self.sentences if s.analysed)

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def mentions_in(self, sentence: Sentence) -> list[Mention]:
        return [m for m in self.mentions if sentence.start <= m.start < sentence.end]

    def add_actor(self, actor: ActorRef) -> None:
        self.actors.setdefault(actor.id, actor)

    def records(self) -> DocumentRecords:
        return DocumentRecords(
            document=self.document,
            regions=list(self.regions),
            sentences=list(self.sentences),
            actors=sorted(self.actors.values(), key=lambda a: a.id),
            mentions=list(self.mentions),
            events=list(self.events),
            quotes=list(self.quotes),
            designations=list(self.designations),
        )


class Component(Protocol):
    name: str
    version: str

    def __call__(self, state: DocState) -> None: ...


class Pipeline:
    """Read one raw input and run the components over it."""

    def __init__(self, components: Sequence[Component]) -> None:
        self.components = tuple(components)

    def __call__(self, raw: RawInput) -> DocumentRecords:
        state = DocState(document=read_document(raw))
        for component in self.components:
            component(state)
        return state.records()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)


#: Stages in pipeline order. ``build_pipeline(resources, upto="sentences")``
#: stops after that stage (ingest without NLP is fast and needs no model).
STAGES = ("clean", "sentences", "parse", "actors", "events", "quotes", "designations")


def build_pipeline(resources: Resources, upto: str = STAGES[-1]) -> Pipeline:
    """The default pipeline, built from the loaded resources.

    Components are imported only for the stages asked for, so a pipeline that
    stops at ``sentences`` loads neither spaCy nor the KB.
    """
    if upto not in STAGES:
        raise ValueError(f"unknown stage {upto!r}; stages are {', '.join(STAGES)}")
    wanted = STAGES[: STAGES.index(upto) + 1]
    return Pipeline([_make_component(name, resources) for name in wanted])


def _make_component(name: str, resources: Resources) -> Component:
    if name == "clean":
        from dyadlens.ingest.clean import Cleaner

        return Cleaner()
    if name == "sentences":
        from dyadlens.nlp.sentences import SentenceSplitter

        return SentenceSplitter()
    if name == "parse":
        from dyadlens.nlp.parse import SentenceParser

        return SentenceParser(resources.nlp)
    if name == "actors":
        from dyadlens.nlp.actors import ActorResolver

        return ActorResolver(resources)
    if name == "events":
        from dyadlens.nlp.events import EventCoder

        return EventCoder(resources)
    if name == "quotes":
        from dyadlens.nlp.quotes import QuoteExtractor

        return QuoteExtractor(resources)
    from dyadlens.nlp.designations import DesignationExtractor

    return DesignationExtractor(resources)
