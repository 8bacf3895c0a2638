"""The analyst's corrections of coded events, and the coder weights trained from them.

A correction names the sentence it is about by its document and span, not only by the event's
id, so it survives a re-run of the pipeline: ``reject`` (the event is wrong), ``recode`` (the
event is right but its code, source, target or modality is not) and ``add`` (an event the
coders missed). ``dyadlens train`` turns them into labelled pairs (:mod:`dyadlens.learned.tuning`)
and keeps the weights it trains in ``coder_weights`` when they beat the coder in use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, select, update

from dyadlens.errors import DyadlensError
from dyadlens.model import Event, stable_id
from dyadlens.store import schema
from dyadlens.store.codec import record_rows

if TYPE_CHECKING:
    from dyadlens.store.store import Store

ACTIONS = ("reject", "recode", "add")


@dataclass(frozen=True)
class Correction:
    action: str
    doc_id: str
    start: int  # the sentence's span
    end: int
    source: str | None
    target: str | None
    code: str | None
    modality: str | None = None
    event_id: str | None = None
    was_source: str | None = None
    was_target: str | None = None
    was_code: str | None = None
    note: str | None = None
    analyst: str | None = None
    created: str = ""
    id: str = ""
    date: str | None = None
    was_date: str | None = None
    value: str | None = None
    other: str | None = None


class CorrectionError(DyadlensError):
    """A correction that cannot be recorded (unknown event, bad action)."""


def record_correction(store: Store, correction: Correction) -> Correction:
    """Store one correction; returns it with its id and time."""
    if correction.action not in ACTIONS:
        raise CorrectionError(f"unknown correction {correction.action!r} (expected one of {', '.join(ACTIONS)})")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    fields = {**asdict(correction), "created": created}
    fields["id"] = stable_id(*(fields[k] for k in sorted(fields) if k != "id"))
    with store.transaction() as conn:
        conn.execute(schema.corrections.insert().values(**fields))
        apply_corrections(conn, correction.doc_id)
    return Correction(**fields)


def import_corrections(store: Store, found: list[Correction]) -> int:
    """Add corrections exported from another store (a team shares them as a file): those it does
    not hold yet, by id, each applied to its document; returns how many were new."""
    table = schema.corrections
    added = 0
    with store.transaction() as conn:
        for correction in found:
            if correction.action not in ACTIONS or not correction.id:
                raise CorrectionError(f"correction {correction.id!r}: not a correction of this format")
            if conn.execute(select(table.c.id).where(table.c.id == correction.id)).first() is None:
                conn.execute(table.insert().values(**asdict(correction)))
                added += 1
        for doc_id in sorted({c.doc_id for c in found}):
            apply_corrections(conn, doc_id)
    return added


def corrections(store: Store, doc_id: str | None = None) -> list[Correction]:
    query = select(schema.corrections).order_by(schema.corrections.c.created, schema.corrections.c.id)
    if doc_id is not None:
        query = query.where(schema.corrections.c.doc_id == doc_id)
    with store.reader() as conn:
        return [Correction(**row._mapping) for row in conn.execute(query)]


def apply_corrections(conn: Connection, doc_id: str) -> None:
    """Apply a document's corrections, oldest first, to its stored events: the store calls it
    after every write of the document, so a correction holds across re-ingests and pipeline
    upgrades (it finds its event by the sentence's span and the event's sides and code)."""
    table = schema.corrections
    found = conn.execute(select(table).where(table.c.doc_id == doc_id).order_by(table.c.created, table.c.id))
    for row in found.mappings():
        correction = Correction(**row)
        if correction.action == "add":
            _add(conn, correction)
        else:
            _change(conn, correction)


def _change(conn: Connection, c: Correction) -> None:
    e = schema.events
    source, target, code = (c.source, c.target, c.code) if c.action == "reject" else (
        c.was_source, c.was_target, c.was_code)
    match = and_(e.c.doc_id == c.doc_id, e.c.start == c.start, e.c.end == c.end, e.c.source.is_(source),
                 e.c.target.is_(target), e.c.code == code)
    if c.action == "reject":
        conn.execute(update(e).where(match).values(correction="rejected"))
        return
    values = {"source": c.source, "target": c.target, "code": c.code, "root": (c.code or "")[:2],
              "modality": c.modality, "correction": "recoded"}
    conn.execute(update(e).where(match).values(**{k: v for k, v in values.items() if v is not None}))


def _add(conn: Connection, c: Correction) -> None:
    """The event the coders missed, as the analyst stated it, in its sentence."""
    e, s = schema.events, schema.sentences
    event_id = stable_id("correction", c.id)
    index = conn.scalar(select(s.c.index).where(s.c.doc_id == c.doc_id, s.c.start == c.start, s.c.end == c.end))
    if index is None or conn.execute(select(e.c.id).where(e.c.id == event_id)).first() is not None:
        return  # the sentence is gone from the re-read document, or the event is there already
    event = Event(id=event_id, doc_id=c.doc_id, start=c.start, end=c.end, sentence_index=int(index),
                  trigger_start=c.start, trigger_end=c.start, source=c.source, target=c.target,
                  code=c.code or "", modality=c.modality or "asserted", entry="correction", confidence=1.0,
                  coder="analyst", correction="added")
    [row] = record_rows(c.doc_id, "events", [event])
    last = conn.scalar(select(func.coalesce(func.max(e.c.seq), -1)).where(e.c.doc_id == c.doc_id))
    row["seq"] = int(last if last is not None else -1) + 1
    conn.execute(e.insert().values(row))


@dataclass(frozen=True)
class StoredWeights:
    id: str
    created: str
    data: bytes
    report: dict[str, Any]
    active: bool


def active_weights(store: Store) -> StoredWeights | None:
    table = schema.coder_weights
    with store.reader() as conn:
        row = conn.execute(select(table).where(table.c.active.is_(True))).first()
    if row is None:
        return None
    return StoredWeights(row.id, row.created, bytes(row.data), json.loads(row.report), bool(row.active))


def install_weights(store: Store, weights_id: str, data: bytes, report: dict[str, Any]) -> None:
    """Keep trained weights and make them the store's coder (the earlier ones stay, inactive)."""
    table = schema.coder_weights
    created = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        conn.execute(update(table).values(active=False))
        conn.execute(table.delete().where(table.c.id == weights_id))
        conn.execute(table.insert().values(id=weights_id, created=created, data=data,
                                           report=json.dumps(report, sort_keys=True), active=True))
