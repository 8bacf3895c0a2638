"""Designation status over time for one (designator, designee) pair.

Every stored designation row is a step: a status, the date the text gives
for it (``date``: when it changed; None for "still banned"-type statements),
and the date of the document that reports it (``observed``). Steps are ordered
by their effective date: ``date``, else ``observed``. ``status_as_of`` is the
last step whose effective date has begun by the date asked for, so a
proposal or a promise shows as such and never as a delisting.

``dyadlens status`` prints the steps (:func:`pair_status`); the views (the
dyad page, the actor profile, the report) show them as :class:`StatusEntry`
rows, with names and the evidence sentence (:func:`status_entries`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from dyadlens.analysis.common import AnalysisContext, Evidence
from dyadlens.model import Designation, Document
from dyadlens.partial_dates import PartialDate

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase

#: Order of statuses reported with the same date: the standing status first, then changes.
_STATUS_ORDER: Mapping[str, int] = MappingProxyType({
    "listed": 0,
    "recognition_withheld": 1,
    "delisting_proposed": 2,
    "delisting_promised": 3,
    "ban_suspended": 4,
    "delisted": 5,
    "recognized": 6,
    "ambassador_accredited": 7,
})


@dataclass(frozen=True, slots=True)
class StatusStep:
    designator: str
    designee: str
    status: str
    date: str | None  # when the status changed, as the text dates it
    observed: str | None  # publication date of the reporting document
    doc_id: str
    outlet: str | None
    title: str | None
    claimant: str | None  # None: the author; else who asserts it
    sentence: str  # the evidence sentence
    start: int
    end: int
    designation_id: str
    event_id: str | None
    rule: str

    @property
    def effective(self) -> str | None:
        """The date the step counts from: its own date, else its document's."""
        return self.date or self.observed

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["effective"] = self.effective
        return payload


def status_history(store: Any, designator: str, designee: str) -> list[StatusStep]:
    """Every status step the store holds for the pair, oldest first (undated last)."""
    rows: list[Designation] = store.designations(designee=designee, designator=designator)
    documents: dict[str, Document | None] = {}
    steps = [_step(row, _document(store, documents, row.doc_id)) for row in rows]
    return sorted(steps, key=_order)


def status_as_of(store: Any, designator: str, designee: str, as_of: str) -> StatusStep | None:
    """The latest step that had begun by ``as_of`` (an ISO prefix date), or None."""
    last_day = PartialDate.parse(as_of).last_day
    begun = [s for s in status_history(store, designator, designee) if s.effective and _begins(s.effective) <= last_day]
    return begun[-1] if begun else None


@dataclass(frozen=True, slots=True)
class PairStatus:
    """The status of one pair: its whole history, or the step in force on ``as_of``."""

    designator: str
    designator_name: str
    designee: str
    designee_name: str
    as_of: str | None
    steps: list[StatusStep]

    def as_dict(self) -> dict[str, Any]:
        return {
            "designator": self.designator,
            "designator_name": self.designator_name,
            "designee": self.designee,
            "designee_name": self.designee_name,
            "as_of": self.as_of,
            "steps": [step.as_dict() for step in self.steps],
        }


def pair_status(store: Any, kb: KnowledgeBase, designator: str, designee: str, as_of: str | None = None) -> PairStatus:
    """The steps of ``status_history`` (or the one of ``status_as_of``), with the KB names of the pair."""
    if as_of is None:
        steps = status_history(store, designator, designee)
    else:
        found = status_as_of(store, designator, designee, as_of)
        steps = [found] if found else []
    names = [kb.ref(a).name if kb.get(a) else a for a in (designator, designee)]
    return PairStatus(designator, names[0], designee, names[1], as_of, steps)


def latest_statuses(
    store: Any, designee: str | None = None, designator: str | None = None, as_of: str | None = None
) -> list[StatusStep]:
    """The latest step of every (designator, designee) pair matching the filters (for profiles)."""
    rows: list[Designation] = store.designations(designee=designee, designator=designator)
    latest = (_latest(store, a, b, as_of) for a, b in sorted({(r.designator, r.designee) for r in rows}))
    return [step for step in latest if step is not None]


def _latest(store: Any, designator: str, designee: str, as_of: str | None) -> StatusStep | None:
    if as_of is not None:
        return status_as_of(store, designator, designee, as_of)
    history = status_history(store, designator, designee)
    return history[-1] if history else None


def _document(store: Any, cache: dict[str, Document | None], doc_id: str) -> Document | None:
    if doc_id not in cache:
        cache[doc_id] = store.document(doc_id)
    return cache[doc_id]


def _step(row: Designation, document: Document | None) -> StatusStep:
    text = document.text if document is not None else ""
    return StatusStep(
        designator=row.designator,
        designee=row.designee,
        status=row.status,
        date=row.date,
        observed=document.published if document is not None else None,
        doc_id=row.doc_id,
        outlet=document.outlet if document is not None else None,
        title=document.title if document is not None else None,
        claimant=row.claimant,
        sentence=" ".join(text[row.start : row.end].split()),
        start=row.start,
        end=row.end,
        designation_id=row.id,
        event_id=row.event_id,
        rule=row.rule,
    )


def _order(step: StatusStep) -> tuple[bool, datetime.date, int, str]:
    effective = step.effective
    return (
        effective is None,
        _begins(effective) if effective else datetime.date.min,
        _STATUS_ORDER.get(step.status, 99),
        step.doc_id,
    )


def _begins(date: str) -> datetime.date:
    """The first day of a partial date: "2024" -> 2024-01-01."""
    return PartialDate.parse(date).first_day


# --- the view rows ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One step of a pair's history as the views show it: names, evidence, and whether it is the latest."""

    designator: str
    designator_name: str | None
    designee: str
    designee_name: str | None
    status: str
    date: str | None  # when the status changed, as the text dates it
    observed: str | None  # publication date of the reporting document
    since: str | None  # the date the step counts from: ``date``, else ``observed``
    current: bool  # the latest step of this pair
    claimant: str | None
    outlet: str | None
    doc_id: str
    evidence: Evidence
    claimant_name: str | None = None


def status_entries(ctx: AnalysisContext, designator: str, designee: str) -> list[StatusEntry]:
    """The status history of one pair, oldest first (undated last)."""
    steps = status_history(ctx.store, designator, designee)
    return [_entry(ctx, step, index == len(steps) - 1) for index, step in enumerate(steps)]


def designation_status(ctx: AnalysisContext, designee: str) -> list[StatusEntry]:
    """The status histories of ``designee`` by every designator that has one."""
    designators = sorted({d.designator for d in ctx.store.designations(designee=designee)})
    return [entry for designator in designators for entry in status_entries(ctx, designator, designee)]


def _entry(ctx: AnalysisContext, step: StatusStep, current: bool) -> StatusEntry:
    return StatusEntry(
        designator=step.designator,
        designator_name=ctx.actor_name(step.designator),
        designee=step.designee,
        designee_name=ctx.actor_name(step.designee),
        status=step.status,
        date=step.date,
        observed=step.observed,
        since=step.effective,
        current=current,
        claimant=step.claimant,
        outlet=step.outlet,
        doc_id=step.doc_id,
        evidence=ctx.sentence_evidence(step.doc_id, step.start, step.end, None),
        claimant_name=ctx.actor_name(step.claimant),
    )
