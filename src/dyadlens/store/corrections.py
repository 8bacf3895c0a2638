"""The analyst's corrections, kept as data, and the coder weights trained from them.

A correction is a judgement (who, when, what, why) keyed on evidence, never on row ids, so it
survives a re-run of the pipeline (docs/corrections.md):

* of one event, named by its document, its sentence's span and its sides and code: ``reject``
  (the event is wrong), ``recode`` (its code, source, target or modality is not right),
  ``redate`` (its date is not), ``add`` (an event the coders missed);
* of two reports: ``merge`` / ``split`` (they are / are not the same real event; the event
  identity step reads them as must-link / cannot-link, the second report in ``other``);
* of a document: ``outlet`` (who published it);
* of the whole store: ``actor_merge`` (one actor is another) and ``actor_alias`` (a name the
  KB does not know is an actor), applied to every document, and to each one written later.

``dyadlens train`` turns them into labelled pairs (:mod:`dyadlens.learned.tuning`) and keeps
the weights it trains in ``coder_weights`` when they beat the coder in use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, update

from dyadlens.errors import DyadlensError
from dyadlens.identity.store_sync import refresh_clusters
from dyadlens.model import Event, stable_id
from dyadlens.partial_dates import check_date
from dyadlens.store import schema
from dyadlens.store.codec import record_rows

if TYPE_CHECKING:
    from dyadlens.store.store import Store

#: Per event (keyed on its sentence and its sides and code), per pair of reports, per document, per store.
EVENT_ACTIONS = ("reject", "recode", "redate", "add")
REPORT_ACTIONS = ("merge", "split")
DOCUMENT_ACTIONS = ("outlet",)
STORE_ACTIONS = ("actor_merge", "actor_alias")
ACTIONS = (*EVENT_ACTIONS, *REPORT_ACTIONS, *DOCUMENT_ACTIONS, *STORE_ACTIONS)
#: The ``doc_id`` of a correction that holds for every document of the store.
WHOLE_STORE = ""


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


# ---- making corrections -------------------------------------------------------------------------


def event_corrections(
    event: Event, *, reject: bool = False, code: str | None = None, source: str | None = None,
    target: str | None = None, modality: str | None = None, date: str | None = None, note: str | None = None,
) -> list[Correction]:
    """What an analyst's verdict on one event records: a rejection, or a recode (code, sides,
    modality) and a redate, each only when it changes something. CorrectionError when it changes nothing."""
    if reject:
        return [Correction("reject", event.doc_id, event.start, event.end, event.source, event.target, event.code,
                           event.modality, event_id=event.id, note=note)]
    found: list[Correction] = []
    new = (code or event.code, source or event.source, target or event.target, modality or event.modality)
    if new != (event.code, event.source, event.target, event.modality):
        found.append(Correction("recode", event.doc_id, event.start, event.end, new[1], new[2], new[0], new[3],
                                event_id=event.id, was_source=event.source, was_target=event.target,
                                was_code=event.code, note=note))
    if date is not None and date != event.date:
        found.append(Correction("redate", event.doc_id, event.start, event.end, new[1], new[2], new[0], new[3],
                                event_id=event.id, was_source=event.source, was_target=event.target,
                                was_code=event.code, date=check_date(date), was_date=event.date, note=note))
    if not found:
        raise CorrectionError("the correction changes nothing: say what is wrong (reject, code, sides, modality, date)")
    return found


def report_link(action: str, first: Event, second: Event, note: str | None = None) -> Correction:
    """``merge`` (two reports of one real event) or ``split`` (of two events): the first report's
    key in the usual columns, the second's as JSON in ``other``."""
    if action not in REPORT_ACTIONS:
        raise CorrectionError(f"{action!r} links no reports (merge or split)")
    if first.id == second.id:
        raise CorrectionError("a report cannot be merged with or split from itself")
    other = {"doc_id": second.doc_id, "start": second.start, "end": second.end, "source": second.source,
             "target": second.target, "code": second.code}
    return Correction(action, first.doc_id, first.start, first.end, first.source, first.target, first.code,
                      first.modality, event_id=first.id, other=json.dumps(other, sort_keys=True), note=note)


def store_correction(action: str, actor: str, into: str, note: str | None = None) -> Correction:
    """``actor_merge`` (``actor`` is ``into``) or ``actor_alias`` (``actor``, an unresolved id, is ``into``)."""
    if action not in STORE_ACTIONS:
        raise CorrectionError(f"{action!r} is not a correction of the whole store")
    if actor == into:
        raise CorrectionError(f"{actor!r} is already {into!r}")
    return Correction(action, WHOLE_STORE, 0, 0, actor, None, None, value=into, note=note)


def outlet_correction(doc_id: str, outlet: str, note: str | None = None) -> Correction:
    return Correction("outlet", doc_id, 0, 0, None, None, None, value=outlet.strip(), note=note)


# ---- recording them -----------------------------------------------------------------------------


def record_correction(store: Store, correction: Correction) -> Correction:
    """Store one correction and apply it; returns it with its id and time."""
    _check_action(correction)
    created = datetime.now(UTC).isoformat(timespec="microseconds")  # orders corrections made in one second
    fields = {**asdict(correction), "created": created}
    fields["id"] = stable_id(*(fields[k] for k in sorted(fields) if k != "id"))
    saved = Correction(**fields)
    with store.transaction() as conn:
        conn.execute(schema.corrections.insert().values(**fields))
        touched = _documents_touched(conn, [saved])
        for doc_id in touched:
            apply_corrections(conn, doc_id)
        refresh_clusters(conn, touched)
    return saved


def import_corrections(store: Store, found: list[Correction]) -> int:
    """Add corrections exported from another store (a team shares them as a file): those it does
    not hold yet, by id, each applied to its documents; returns how many were new."""
    table = schema.corrections
    added = 0
    with store.transaction() as conn:
        for correction in found:
            _check_action(correction)
            if not correction.id:
                raise CorrectionError(f"correction {correction.id!r}: not a correction of this format")
            if conn.execute(select(table.c.id).where(table.c.id == correction.id)).first() is None:
                conn.execute(table.insert().values(**asdict(correction)))
                added += 1
        touched = _documents_touched(conn, found)
        for doc_id in touched:
            apply_corrections(conn, doc_id)
        refresh_clusters(conn, touched)
    return added


def _check_action(correction: Correction) -> None:
    if correction.action not in ACTIONS:
        raise CorrectionError(f"unknown correction {correction.action!r} (expected one of {', '.join(ACTIONS)})")
    if correction.action in REPORT_ACTIONS:
        _other_document(correction)


def _other_document(correction: Correction) -> str:
    """The document of a merge's or split's second report (CorrectionError if ``other`` does not name one)."""
    try:
        other = json.loads(correction.other or "")
    except ValueError as error:
        raise CorrectionError(f"correction {correction.id!r}: 'other' is not JSON") from error
    if not isinstance(other, dict) or not isinstance(other.get("doc_id"), str):
        raise CorrectionError(f"correction {correction.id!r}: 'other' names no report")
    return str(other["doc_id"])


def _documents_touched(conn: Connection, found: list[Correction]) -> list[str]:
    """The stored documents the corrections apply to: their own, or all for a store-wide one."""
    if any(c.doc_id == WHOLE_STORE for c in found):
        return list(conn.scalars(select(schema.documents.c.id).order_by(schema.documents.c.seq)))
    return sorted({c.doc_id for c in found} | {_other_document(c) for c in found if c.action in REPORT_ACTIONS})


def corrections(store: Store, doc_id: str | None = None) -> list[Correction]:
    query = select(schema.corrections).order_by(schema.corrections.c.created, schema.corrections.c.id)
    if doc_id is not None:
        query = query.where(schema.corrections.c.doc_id == doc_id)
    with store.reader() as conn:
        return [Correction(**row._mapping) for row in conn.execute(query)]


# ---- applying them ------------------------------------------------------------------------------


def apply_corrections(conn: Connection, doc_id: str) -> None:
    """Apply to one document's stored rows its corrections and the store's, oldest first: the
    store calls it after every write of the document, so a correction holds across re-ingests
    and pipeline upgrades. Each action is idempotent, so applying them again changes nothing."""
    table = schema.corrections
    found = conn.execute(select(table).where(table.c.doc_id.in_([doc_id, WHOLE_STORE]))
                         .order_by(table.c.created, table.c.id))
    for row in found.mappings():
        correction = Correction(**row)
        _APPLY[correction.action](conn, correction, doc_id)


def _event_match(c: Correction, source: str | None, target: str | None, code: str | None) -> ColumnElement[bool]:
    e = schema.events
    return and_(e.c.doc_id == c.doc_id, e.c.start == c.start, e.c.end == c.end,
                e.c.source.is_not_distinct_from(source), e.c.target.is_not_distinct_from(target), e.c.code == code)


def _reject(conn: Connection, c: Correction, _doc_id: str) -> None:
    conn.execute(update(schema.events).where(_event_match(c, c.source, c.target, c.code))
                 .values(correction="rejected"))


def _recode(conn: Connection, c: Correction, _doc_id: str) -> None:
    values = {"source": c.source, "target": c.target, "code": c.code, "root": (c.code or "")[:2],
              "modality": c.modality, "correction": "recoded"}
    conn.execute(update(schema.events).where(_event_match(c, c.was_source, c.was_target, c.was_code))
                 .values(**{k: v for k, v in values.items() if v is not None}))


def _redate(conn: Connection, c: Correction, _doc_id: str) -> None:
    """The event's date as the analyst reads it. It finds the event as it is (sides and code) or as
    it was before a recode made with it, whichever is applied first; a recode's mark is kept."""
    e = schema.events
    match = or_(_event_match(c, c.source, c.target, c.code), _event_match(c, c.was_source, c.was_target, c.was_code))
    conn.execute(update(e).where(match).values(date=c.date, correction=func.coalesce(e.c.correction, "redated")))


def _add(conn: Connection, c: Correction, _doc_id: str) -> None:
    """The event the coders missed, as the analyst stated it, in its sentence."""
    e, s = schema.events, schema.sentences
    event_id = stable_id("correction", c.id)
    index = conn.scalar(select(s.c.index).where(s.c.doc_id == c.doc_id, s.c.start == c.start, s.c.end == c.end))
    if index is None or conn.execute(select(e.c.id).where(e.c.id == event_id)).first() is not None:
        return  # the sentence is gone from the re-read document, or the event is there already
    event = Event(id=event_id, doc_id=c.doc_id, start=c.start, end=c.end, sentence_index=int(index),
                  trigger_start=c.start, trigger_end=c.start, source=c.source, target=c.target,
                  code=c.code or "", modality=c.modality or "asserted", entry="correction", confidence=1.0,
                  coder="analyst", correction="added", date=c.date)
    [row] = record_rows(c.doc_id, "events", [event])
    last = conn.scalar(select(func.coalesce(func.max(e.c.seq), -1)).where(e.c.doc_id == c.doc_id))
    row["seq"] = int(last if last is not None else -1) + 1
    conn.execute(e.insert().values(row))


def _link_reports(_conn: Connection, _c: Correction, _doc_id: str) -> None:
    """merge / split change no row: the event identity step reads them as must-link / cannot-link."""


def _set_outlet(conn: Connection, c: Correction, doc_id: str) -> None:
    conn.execute(update(schema.documents).where(schema.documents.c.id == doc_id).values(outlet=c.value))


def _merge_actor(conn: Connection, c: Correction, doc_id: str) -> None:
    """``source`` is the actor ``value`` in this document: every row that names it names ``value``."""
    if c.source and c.value:
        rename_actor(conn, doc_id, c.source, c.value)


def _alias_actor(conn: Connection, c: Correction, doc_id: str) -> None:
    """The unresolved name ``source`` is the actor ``value``: resolved wherever the document names it."""
    if c.source and c.value:
        rename_actor(conn, doc_id, c.source, c.value)


#: The columns of each record table that hold an actor id.
ACTOR_COLUMNS = {"events": ("source", "target", "claimant"), "mentions": ("actor_id",),
                 "quotes": ("speaker_actor",), "designations": ("designator", "designee")}


def rename_actor(conn: Connection, doc_id: str, old: str, new: str) -> None:
    """Make ``old`` ``new`` in one document's records and in its list of actors (where ``new`` takes
    the row stored for it elsewhere, else its name comes from the KB)."""
    for name, columns in ACTOR_COLUMNS.items():
        table = schema.metadata.tables[name]
        for column in columns:
            conn.execute(update(table).where(table.c.doc_id == doc_id, table.c[column] == old)
                         .values({column: new}))
    a = schema.actors
    if conn.execute(select(a.c.id).where(a.c.doc_id == doc_id, a.c.id == old)).first() is None:
        return
    conn.execute(a.delete().where(a.c.doc_id == doc_id, a.c.id == old))
    if conn.execute(select(a.c.id).where(a.c.doc_id == doc_id, a.c.id == new)).first() is not None:
        return
    known = conn.execute(select(a).where(a.c.id == new).limit(1)).mappings().first()
    if known is not None:
        seq = conn.scalar(select(func.coalesce(func.max(a.c.seq), -1)).where(a.c.doc_id == doc_id))
        conn.execute(a.insert().values({**known, "doc_id": doc_id, "seq": int(seq if seq is not None else -1) + 1}))


_APPLY: dict[str, Callable[[Connection, Correction, str], None]] = {
    "reject": _reject, "recode": _recode, "redate": _redate, "add": _add, "merge": _link_reports,
    "split": _link_reports, "outlet": _set_outlet, "actor_merge": _merge_actor, "actor_alias": _alias_actor,
}


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
