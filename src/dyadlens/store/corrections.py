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

from sqlalchemy import select, update

from dyadlens.errors import DyadlensError
from dyadlens.model import stable_id
from dyadlens.store import schema

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
    created: str = ""
    id: str = ""


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
    return Correction(**fields)


def corrections(store: Store, doc_id: str | None = None) -> list[Correction]:
    query = select(schema.corrections).order_by(schema.corrections.c.created, schema.corrections.c.id)
    if doc_id is not None:
        query = query.where(schema.corrections.c.doc_id == doc_id)
    with store.reader() as conn:
        return [Correction(**row._mapping) for row in conn.execute(query)]


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
