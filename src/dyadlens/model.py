"""The records dyadlens produces, as stand-off annotations.

Every record that points into a document does so with character offsets
(``start``, ``end``) into the immutable ``Document.text``; no record copies
text out of the document. The text of a sentence is ``document.text[s.start:s.end]``.

Ids are deterministic: a hash of the document id, the span and the version of
the extractor that produced the record (see :func:`stable_id`), so running the
same input through the same pipeline twice yields the same ids and an upsert
is idempotent.

Dates are ISO prefix strings that keep their precision: ``"2024"``,
``"2024-10"`` or ``"2024-10-05"``; never an invented day.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, TypeGuard

MODALITIES = ("asserted", "negated", "possible", "planned", "recommended", "alleged")
Modality = Literal["asserted", "negated", "possible", "planned", "recommended", "alleged"]

DESIGNATION_STATUSES = (
    "listed",
    "delisting_proposed",
    "delisting_promised",
    "delisted",
    "ban_suspended",
    "recognized",
    "recognition_withheld",
    "ambassador_accredited",
)

#: Kinds of marked text regions. ``furniture`` and ``repeat`` regions are
#: excluded from analysis; ``footnote`` regions are analysed but flagged.
REGION_KINDS = ("furniture", "footnote", "repeat", "heading")


#: An actor's id as records and the store hold it: a KB entity id (``taliban``) or, for a
#: name the KB does not know, :data:`UNRESOLVED_PREFIX` and the name's slug. Ask
#: :func:`is_resolved`, never the string.
ActorId: TypeAlias = str

#: What starts the id of an actor the KB does not know: ``unresolved:velmora-foundation``.
UNRESOLVED_PREFIX = "unresolved:"


def stable_id(*parts: object) -> str:
    """A short deterministic id from its parts (document id, span, version...)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]


def slug(name: str) -> str:
    """A name in lower-case letters and digits, a hyphen for anything between: ``velmora-foundation``."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def unresolved_id(name: str) -> ActorId:
    """The id of a name the KB does not know."""
    return UNRESOLVED_PREFIX + slug(name)


def is_unresolved(actor_id: ActorId | None) -> bool:
    """Whether ``actor_id`` is the id of a name the KB does not know."""
    return actor_id is not None and actor_id.startswith(UNRESOLVED_PREFIX)


def is_resolved(actor_id: ActorId | None) -> TypeGuard[ActorId]:
    """Whether ``actor_id`` names an actor the KB knows: neither missing nor unresolved."""
    return bool(actor_id) and not is_unresolved(actor_id)


def shown_id(actor_id: ActorId) -> str:
    """An id as readers know it when there is no name for it: an unresolved id without its prefix."""
    return actor_id.removeprefix(UNRESOLVED_PREFIX)


@dataclass(frozen=True, slots=True)
class RawInput:
    """One input as found on disk or stdin, before any parsing.

    ``meta`` carries metadata known before reading the content: a sidecar
    ``meta.jsonl`` row or the fields of a JSON record.
    """

    doc_id: str
    path: str
    format: str  # txt | md | html | pdf | json
    data: bytes
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    id: str
    path: str
    format: str
    text: str  # the text as read (after decoding/extraction); offsets point here
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO prefix date
    published_source: str | None = None  # sidecar | json | html-meta | byline | header
    kind: str | None = None
    raw: str | None = None  # original markup for HTML input, else None
    content_hash: str = ""  # sha1 of the input bytes: re-ingest detection
    fingerprint: str = ""  # hash of the normalised analysed text: duplicate detection
    duplicate_of: str | None = None  # set by the store when an earlier doc has the same fingerprint
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Region:
    """A marked span of the document text (site furniture, footnote, repeat)."""

    id: str
    doc_id: str
    start: int
    end: int
    kind: str  # one of REGION_KINDS
    label: str  # why: "share prompt", "copyright notice", "repeat of 1234-1890"...
    excluded: bool  # True: later layers do not analyse this span


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    doc_id: str
    index: int
    start: int
    end: int
    paragraph: int
    kind: str = "body"  # body | heading | footnote | furniture | repeat
    analysed: bool = True  # False for furniture and repeated text


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as stored with the records: a KB entity or an unresolved name.

    Unresolved actors have ids made by :func:`unresolved_id` and ``resolved=False``.
    """

    id: ActorId
    name: str
    # state | government | igo | armed_group | party | media | think_tank | person | region_group | unknown ...
    type: str
    resolved: bool = True
    cameo: str | None = None
    iso3: str | None = None
    qid: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    id: str
    doc_id: str
    start: int
    end: int
    sentence_index: int
    actor_id: ActorId | None  # None when the span names nobody we keep
    label: str  # spaCy label (GPE, ORG, NORP, PERSON) or ALIAS / COREF / ROLE
    rule: str  # how it was resolved: alias, metonym, demonym, fuzzy, coref, role@date...
    person: str | None = None  # KB person id when the mention names a person acting for the actor
    #: CAMEO agent (sector) codes of the mention, space-separated: ``GOV``, ``MIL``, ``OPP LEG``;
    #: from the office, title or noun that names the actor ("the defence ministry" -> MIL)
    sectors: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """How an event was coded, as :class:`Event` stores it in the fields of the same names.

    A side's route is its own route and then each inference step that carried it further
    to an actor, joined by ``~``: ``subject~agent~pronoun`` is the subject, an agent noun
    ("its leaders") whose owner is a pronoun.
    """

    #: the verb-dictionary entry id (``verbs:58``), or the construction that coded the event
    #: (``gathering``, ``ellipsis``, ``reported-demand``, ``reported-accusation``)
    entry: str
    #: how the trigger's arguments were found: ``subject``, ``passive``, ``possessor``, ``governing``...
    route: str = ""
    source_route: str = ""  # how the source was found: ``subject``, ``subject~pronoun``...
    target_route: str = ""  # how the target was found: ``object``, ``prep-object~agent``...
    cue: str | None = None  # the word that set the modality ("not", "promised"); None: asserted by default

    def via(self, step: str) -> bool:
        """Whether a side was carried to its actor through ``step`` (``collective``, ``pronoun``...)."""
        return any(step in side.split("~")[1:] for side in (self.source_route, self.target_route))

    def along(self, route: str) -> bool:
        """Whether the trigger's route or a side's own route is ``route`` or a variant of it
        (``governing`` covers ``governing-subject``)."""
        own = (self.route, self.source_route.split("~")[0], self.target_route.split("~")[0])
        return any(r == route or r.startswith(f"{route}-") for r in own)


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    doc_id: str
    start: int  # evidence: the sentence span
    end: int
    sentence_index: int
    trigger_start: int
    trigger_end: int
    source: ActorId | None
    target: ActorId | None
    code: str  # full CAMEO code, e.g. "081"
    modality: str  # one of MODALITIES
    date: str | None = None  # ISO prefix, when the event happened
    date_start: int | None = None  # span of the date expression it came from
    date_end: int | None = None
    date_rule: str | None = None  # explicit | relative | anchored | published | ...
    claimant: str | None = None  # who asserts it: None = the author; else an actor id or a speaker name
    # how it was coded: the fields of :class:`Provenance`
    entry: str = ""
    route: str = ""
    source_route: str = ""
    target_route: str = ""
    cue: str | None = None
    confidence: float = 0.5
    #: CAMEO agent (sector) codes of each side, space-separated (``GOV``, ``MIL LEG``): see :class:`Mention`
    source_sectors: str | None = None
    target_sectors: str | None = None
    #: Where it happened (GDELT's ActionGeo): the gazetteer's name, country (ISO 3166 alpha-3),
    #: admin-1 region (its name), coordinates and precision (``country`` | ``admin1`` | ``city``),
    #: with the span of the place name it was read from and how (:class:`Place`'s ``rule``)
    place_name: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_precision: str | None = None
    place_start: int | None = None
    place_end: int | None = None
    place_rule: str | None = None
    #: which coder made it: ``rules`` (the rule coders) or ``model`` (the learned coder, its
    #: score in ``confidence``); see docs/learned-coder.md
    coder: str = "rules"
    #: what the analyst's corrections did to it (dyadlens.store.corrections): ``recoded``,
    #: ``added`` (``coder`` is then ``analyst``) or ``rejected`` (kept, but no view shows it)
    correction: str | None = None
    #: a *standing fact*: the sentence says a relation or status holds ("still lists", "remains
    #: banned", "(outlawed in X)"), observed on the event's date, not a new act; the views
    #: never count it as one (dyadlens.nlp.standing)
    standing: bool = False
    #: the real event this report belongs to, across sentences and documents: set by the
    #: store's event identity step (dyadlens.identity), never by the pipeline; None for a
    #: standing fact, a rejected report or one in a duplicate document
    cluster: str | None = None

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.entry, self.route, self.source_route, self.target_route, self.cue)


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    doc_id: str
    start: int  # the quoted words, without quote marks
    end: int
    sentence_index: int
    kind: str  # direct | indirect
    speaker: str | None  # speaker name as written (or the KB person's name)
    speaker_actor: ActorId | None  # the actor the speaker acts for, on the document date
    speaker_role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # said, according to, interview answer...


@dataclass(frozen=True, slots=True)
class Designation:
    id: str
    doc_id: str
    start: int  # evidence sentence
    end: int
    designator: ActorId
    designee: ActorId
    status: str  # one of DESIGNATION_STATUSES
    date: str | None = None
    event_id: str | None = None
    claimant: str | None = None
    rule: str = ""  # the pattern (``pattern:on-list``) or the event (``event:081:planned``) it was read from
    #: an observation that the status holds on the document's date ("still banned by Moscow"),
    #: not a change of status (dyadlens.nlp.standing)
    standing: bool = False


#: How precisely a place is known, coarsest first: a world region or continent, a country, a
#: first-level region, a city, a site (a venue or district the gazetteer does not know).
PLACE_PRECISIONS = ("region", "country", "admin1", "city", "site")


@dataclass(frozen=True, slots=True)
class Place:
    """A place named in the text, found in the gazetteer.

    ``name`` is the gazetteer's name (the text says it at ``start``..``end``);
    ``country`` is ISO 3166 alpha-3; ``admin1`` the first-level region's name.
    """

    id: str
    doc_id: str
    start: int
    end: int
    sentence_index: int
    name: str
    precision: str  # one of PLACE_PRECISIONS
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    rule: str = ""  # how it was found: ``gazetteer``, ``capital``, ``dateline``...


@dataclass(frozen=True, slots=True)
class Person:
    """A person the KB does not know, whose title, apposition or "of/for X" phrase says whom
    they act for: kept so that later documents can reuse the affiliation.

    ``name`` is the name as written; ``affiliation`` the actor of the office on ``date``.
    """

    id: str
    doc_id: str
    start: int  # the name
    end: int
    sentence_index: int
    name: str
    affiliation: ActorId | None
    office: str | None = None  # the office as the text names it: "deputy foreign minister"
    sectors: str | None = None  # CAMEO agent codes of the office: ``GOV``
    date: str | None = None  # when the text says they held it (ISO prefix)
    rule: str = ""  # ``title``, ``apposition``, ``of-phrase``...


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    reason: str
    stage: str = "read"
    doc_id: str | None = None


@dataclass(slots=True)
class DocumentRecords:
    """Everything the pipeline derives from one input."""

    document: Document
    regions: list[Region] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record a document yields: the list of that name on
    :class:`DocumentRecords` and on the document state, and the store's table
    of that name. The document state, the schema, the codec, the counts of
    ``ingest`` and of ``docs`` and the store's statistics are all read off
    :data:`RECORD_KINDS`; adding a kind starts here.
    """

    name: str
    record: type
    counted: bool = True  # in the ingest report
    per_document: bool = False  # a column of ``dyadlens docs``


#: Every record kind, in write order.
RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("regions", Region, counted=False),
    RecordKind("sentences", Sentence, per_document=True),
    RecordKind("actors", ActorRef),
    RecordKind("mentions", Mention),
    RecordKind("events", Event, per_document=True),
    RecordKind("quotes", Quote, per_document=True),
    RecordKind("designations", Designation, per_document=True),
    RecordKind("places", Place),
    RecordKind("persons", Person),
)

