"""Designation status for the views, built on :func:`dyadlens.analysis.status.status_history`.

Each step of a (designator, designee) history becomes a :class:`StatusEntry`
with actor names and the evidence sentence (document id and offsets); the
last step of each pair is flagged ``current``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, Evidence
from dyadlens.analysis.status import StatusStep, status_history


@dataclass(frozen=True, slots=True)
class StatusEntry:
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
