"""The analyst's corrected sentences as sources of the learned coder's training corpus.

Each document with corrections of its events becomes one `.dyad` source (docs/training-corpus.md):
the corrected sentences, their actor mentions marked ``[[surface|Canonical Name]]`` from the
store's mentions, and under each sentence its events as the corrections left them (a rejected
event is gone, so its pair becomes a "no event" example). ``python -m dyadlens.learned.corpus
check`` validates the files, and they can join ``training/sources/`` to train the next model.
A sentence that the format cannot hold (an event whose side is not marked in it, a ``[[`` or
``|`` in its text) is left out and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dyadlens.learned.corpus import MODALITIES
from dyadlens.model import Event, Mention
from dyadlens.partial_dates import PartialDate
from dyadlens.store.corrections import EVENT_ACTIONS, REPORT_ACTIONS, corrections
from dyadlens.store.queries import EventQuery
from dyadlens.store.store import Store

ActorName = Callable[[str], str]
_UNSAFE_TEXT = re.compile(r"\[\[|\]\]|\|")
_UNSAFE_NAME = re.compile(r"[\[\]|>]")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class TrainingExport:
    sources: dict[str, str] = field(default_factory=dict)  # file name -> `.dyad` text
    sentences: int = 0
    skipped: int = 0


def training_sources(store: Store, actor_name: ActorName, register: str = "wire") -> TrainingExport:
    """One `.dyad` source per document whose events the analyst corrected."""
    spans: dict[str, set[tuple[int, int]]] = {}
    for c in corrections(store):
        if c.action in EVENT_ACTIONS + REPORT_ACTIONS:
            spans.setdefault(c.doc_id, set()).add((c.start, c.end))
    export = TrainingExport()
    for doc_id, found in sorted(spans.items()):
        lines = _document_lines(store, doc_id, sorted(found), actor_name, export)
        if lines:
            head = _header(store, doc_id, register)
            export.sources[f"{_slug(doc_id)}.dyad"] = "\n".join([*head, *lines]) + "\n"
    return export


def _header(store: Store, doc_id: str, register: str) -> list[str]:
    document = store.document(doc_id)
    published = PartialDate.parse_or_none(document.published if document is not None else None)
    day = published.first_day.isoformat() if published is not None else "1970-01-01"
    return [f"# the analyst's corrections of {doc_id} (dyadlens corrections --training)",
            f"@doc {_slug(doc_id)}", f"@published {day}", f"@register {register}", ""]


def _document_lines(store: Store, doc_id: str, spans: list[tuple[int, int]], actor_name: ActorName,
                    export: TrainingExport) -> list[str]:
    document = store.document(doc_id)
    if document is None:
        return []
    events = store.events(EventQuery(doc_id=doc_id))
    mentions = store.mentions(doc_id=doc_id)
    lines: list[str] = []
    for start, end in spans:
        sentence = _sentence(document.text[start:end], start,
                             [m for m in mentions if start <= m.start and m.end <= end],
                             [e for e in events if (e.start, e.end) == (start, end)], actor_name)
        if sentence is None:
            export.skipped += 1
            continue
        export.sentences += 1
        lines.extend([*sentence, ""])
    return lines


def _sentence(text: str, offset: int, mentions: list[Mention], events: list[Event],
              actor_name: ActorName) -> list[str] | None:
    """The marked sentence and its event lines, or None when the format cannot hold them."""
    if _UNSAFE_TEXT.search(text):
        return None
    marked, names = _marked(text, offset, mentions, actor_name)
    event_lines = []
    for event in events:
        if event.source is None or event.target is None or event.source == event.target:
            continue
        source, target = actor_name(event.source), actor_name(event.target)
        if source not in names or target not in names or event.modality not in MODALITIES:
            return None
        date = event.date if event.date and _DATE.match(event.date) else "-"
        event_lines.append(f"  {source} > {target} {event.code} {event.modality} {date}")
    line = " ".join(marked.split())
    if not line or line[0] in "#@=":
        return None
    return [line, *event_lines]


def _marked(text: str, offset: int, mentions: list[Mention], actor_name: ActorName) -> tuple[str, set[str]]:
    """``text`` with each actor mention marked; the canonical names marked."""
    pieces: list[str] = []
    names: set[str] = set()
    cursor = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        start, end = mention.start - offset, mention.end - offset
        name = actor_name(mention.actor_id) if mention.actor_id else ""
        surface = " ".join(text[start:end].split())
        if start < cursor or not name or not surface or _UNSAFE_NAME.search(name):
            continue
        pieces.extend([text[cursor:start], f"[[{surface}]]" if surface == name else f"[[{surface}|{name}]]"])
        names.add(name)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), names


def _slug(doc_id: str) -> str:
    """A document id as the source format takes it: lower case letters, digits and ``-``."""
    slug = re.sub(r"[^a-z0-9]+", "-", doc_id.lower()).strip("-")
    return slug or "document"
