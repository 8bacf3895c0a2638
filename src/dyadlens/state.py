"""What one document looks like while the pipeline works on it.

:class:`DocState` is filled in by the components, stage after stage; each
component declares which of its fields it ``requires`` and which it
``assigns`` (:mod:`dyadlens.registry`), and the pipeline checks the order at
build time. It lives at ground level, beside :mod:`dyadlens.model`, so a
component never imports the pipeline that runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from dyadlens.model import (
    RECORD_KINDS,
    ActorRef,
    Designation,
    Document,
    DocumentRecords,
    Event,
    Mention,
    Person,
    Place,
    Quote,
    Region,
    Sentence,
)

if TYPE_CHECKING:
    from dyadlens.nlp.actor_coref import CorefLink
    from dyadlens.nlp.dates import DocumentTimeline
    from dyadlens.nlp.events import PartialEvent
    from dyadlens.nlp.gatherings import Gathering
    from dyadlens.nlp.quote_marks import QuotedSpan


@dataclass(slots=True)
class DocState:
    """What the components know about one document while it moves through them."""

    document: Document
    regions: list[Region] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    #: One spaCy ``Doc`` over the whole text (:mod:`dyadlens.nlp.parse`): the analysed
    #: sentences parsed, the text between them only tokenized, each piece one of its
    #: sentences. Token ``i`` and ``idx`` count from the start of the document.
    doc: Any = None
    actors: dict[str, ActorRef] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    #: The anaphors the actor stage resolved, each linked to its antecedent mention, in text order.
    coref: list[CorefLink] = field(default_factory=list)
    #: The text's quotation marks, paired once for every reader (stage ``quote_marks``).
    quote_spans: list[QuotedSpan] = field(default_factory=list)
    #: The resolved temporal expressions and the event-date convention, built once
    #: for every coder that dates what it finds (stage ``timeline``).
    timeline: DocumentTimeline | None = None
    events: list[Event] = field(default_factory=list)
    #: Events the rule coder found with a side that stands for the context ("the participants",
    #: "welcomed the decision", an agentless passive), for the discourse stages to complete or
    #: drop (stages ``gatherings``, ``event_context``). Never stored.
    partial_events: list[PartialEvent] = field(default_factory=list)
    #: The multi-party meetings, summits and talks of the text, their host and participants, in
    #: text order (stage ``gatherings``). Never stored.
    gatherings: list[Gathering] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    #: Places named in the text, found in the gazetteer (stage ``places``).
    places: list[Place] = field(default_factory=list)
    #: Persons the KB does not know whose office says whom they act for (stage ``actors``).
    persons: list[Person] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def sentence_text(self, sentence: Sentence) -> str:
        return self.document.text[sentence.start : sentence.end]

    def analysed_sentences(self) -> Iterator[Sentence]:
        """Sentences later layers should read (no furniture, no repeated text)."""
        return (s for s in self.sentences if s.analysed)

    def sentence_span(self, index: int) -> Any:
        """The parse of an analysed sentence (a ``Span`` of :attr:`doc`), or ``None``."""
        sentence = self.sentences[index]
        if self.doc is None or not sentence.analysed:
            return None
        from dyadlens.nlp.offsets import sentence_span  # spaCy only once a parse exists

        return sentence_span(self.doc, sentence.start, sentence.end)

    def mentions_in(self, sentence: Sentence) -> list[Mention]:
        return [m for m in self.mentions if sentence.start <= m.start < sentence.end]

    def add_actor(self, actor: ActorRef) -> None:
        self.actors.setdefault(actor.id, actor)

    def records(self) -> DocumentRecords:
        """The document and a copy of each record list (actors in id order)."""
        lists = {kind.name: list(getattr(self, kind.name)) for kind in RECORD_KINDS if kind.name != "actors"}
        actors = sorted(self.actors.values(), key=lambda a: a.id)
        return DocumentRecords(document=self.document, actors=actors, **lists)


class Component(Protocol):
    """A pipeline stage: adds what it ``assigns`` to the state (see :mod:`dyadlens.registry`)."""

    name: str
    version: str

    def __call__(self, state: DocState) -> None: ...


class InSentence(Protocol):
    @property
    def sentence_index(self) -> int: ...


R = TypeVar("R", bound=InSentence)
T = TypeVar("T")


def by_sentence(records: Iterable[R]) -> dict[int, list[R]]:
    """Records (mentions, events, places...) grouped by the sentence they lie in, in their order.

    A stage that reads a sentence's records through this index does work that grows with the
    document's length; one that filters the whole list for each sentence grows with its square."""
    return grouped(records, lambda record: record.sentence_index)


def grouped(items: Iterable[T], key: Callable[[T], int]) -> dict[int, list[T]]:
    """``items`` grouped by ``key``, each group in the items' order."""
    groups: dict[int, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


#: The fields of :class:`DocState` a component can require or assign.
STATE_FIELDS = frozenset(f.name for f in fields(DocState))
