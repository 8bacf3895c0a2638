"""The gold format of ``GUIDELINES.md``, as written by the system and read by the scorer.

System output uses the same shape as the gold (one JSON object per
document), with each item's evidence ``start``/``end`` offsets added, so the
scorer can tie items to gold sentences by span rather than by string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from dyadlens.errors import InputError
from dyadlens.model import ActorRef, Designation, DocumentRecords, Event, Quote


class RecordSource(Protocol):
    def iter_records(self) -> Iterator[DocumentRecords]: ...


#: The store's designation statuses as the gold format of GUIDELINES.md
#: knows them: it has six; a suspended ban takes effect as a delisting, and an
#: accredited ambassador is no listing status at all (left out).
GOLD_STATUS = MappingProxyType(
    {
        "listed": "listed",
        "delisting_proposed": "delisting_proposed",
        "delisting_promised": "delisting_promised",
        "delisted": "delisted",
        "ban_suspended": "delisted",
        "recognized": "recognized",
        "recognition_withheld": "recognition_withheld",
    }
)


def records_to_gold(records: DocumentRecords) -> dict[str, Any]:
    """One gold-format line for one document's records."""
    names = {actor.id: actor.name for actor in records.actors}
    text = records.document.text
    return {
        "doc": records.document.id,
        "published": records.document.published,
        "actors": _mentioned_actor_names(records),
        "events": [_event_line(e, text, names) for e in records.events],
        "quotes": [_quote_line(q, text, names) for q in records.quotes],
        "designations": [
            _designation_line(d, text, names) for d in records.designations if d.status in GOLD_STATUS
        ],
    }


def export_gold_lines(store: RecordSource) -> Iterator[dict[str, Any]]:
    """Gold-format lines for every document in the store."""
    for records in store.iter_records():
        yield records_to_gold(records)


def read_gold_lines(path: Path) -> list[dict[str, Any]]:
    """Read a gold-format JSON Lines file; a malformed line raises ``InputError``."""
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    return [_parse_line(path, number, line) for number, line in enumerate(raw_lines, 1) if line.strip()]


def write_gold_lines(lines: Iterable[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _parse_line(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        parsed = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(parsed, dict) or not isinstance(parsed.get("doc"), str):
        raise InputError(str(path), f"line {number}: expected an object with a 'doc' string")
    for layer in ("actors", "events", "quotes", "designations"):
        if not isinstance(parsed.get(layer, []), list):
            raise InputError(str(path), f"line {number}: '{layer}' must be a list")
    return parsed


def _mentioned_actor_names(records: DocumentRecords) -> list[str]:
    """Canonical names of resolved actors with at least one mention, in first-mention order."""
    resolved: dict[str, ActorRef] = {a.id: a for a in records.actors if a.resolved}
    names: list[str] = []
    for mention in sorted(records.mentions, key=lambda m: m.start):
        actor = resolved.get(mention.actor_id or "")
        if actor is not None and actor.name not in names:
            names.append(actor.name)
    return names


def _name(actor_id: str | None, names: dict[str, str]) -> str | None:
    if actor_id is None:
        return None
    return names.get(actor_id, actor_id)


def _event_line(event: Event, text: str, names: dict[str, str]) -> dict[str, Any]:
    return {
        "sentence": text[event.start : event.end],
        "source": _name(event.source, names),
        "target": _name(event.target, names),
        "cameo": event.root,
        "code": event.code,
        "modality": event.modality,
        "date": event.date,
        "start": event.start,
        "end": event.end,
    }


def _quote_line(quote: Quote, text: str, names: dict[str, str]) -> dict[str, Any]:
    return {
        "speaker": quote.speaker,
        "speaker_actor": _name(quote.speaker_actor, names),
        "kind": quote.kind,
        "text": text[quote.start : quote.end],
        "start": quote.start,
        "end": quote.end,
    }


def _designation_line(designation: Designation, text: str, names: dict[str, str]) -> dict[str, Any]:
    return {
        "designator": _name(designation.designator, names),
        "designee": _name(designation.designee, names),
        "status": GOLD_STATUS[designation.status],
        "date": designation.date,
        "sentence": text[designation.start : designation.end],
        "start": designation.start,
        "end": designation.end,
    }
