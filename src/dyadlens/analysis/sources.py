"""Sources side by side: who reports a dyad's events (or one event code), and how.

Reports are grouped into *claims*: the same source, target and CAMEO base code
(the first three digits). Within a claim every report is listed with its
document, outlet, modality and wording. A claim is *disputed* when one report
asserts it and another negates it or calls it alleged (or only possible).
All modalities are included here: the disagreement is the point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, EventRow, sort_rows
from dyadlens.errors import DyadlensError
from dyadlens.store import EventQuery

#: Modalities that contradict an assertion of the same claim.
DOUBTING = ("negated", "alleged", "possible")


@dataclass(frozen=True, slots=True)
class Claim:
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    base_code: str
    code_name: str
    modalities: list[str]
    documents: list[str]
    outlets: list[str]
    disputed: bool
    disagreement: str | None  # e.g. "asserted by The Daily Ledger; negated by Frontier Review"
    reports: list[EventRow]


@dataclass(frozen=True, slots=True)
class SourcesView:
    a: str | None
    b: str | None
    code: str | None
    claims: list[Claim]


def sources_side_by_side(
    ctx: AnalysisContext,
    a: str | None = None,
    b: str | None = None,
    code: str | None = None,
) -> SourcesView:
    """Claims about the dyad ``a``–``b`` and/or the events coded ``code`` (a prefix)."""
    if (a is None) != (b is None):
        raise DyadlensError("give both actors of the dyad, or none and an event code")
    if a is None and code is None:
        raise DyadlensError("give a dyad or an event code")
    events = ctx.store.events(EventQuery(between=(a, b) if a is not None and b is not None else None, code=code))
    grouped: dict[tuple[str | None, str | None, str], list[EventRow]] = defaultdict(list)
    for row in ctx.event_rows(events):
        grouped[(row.source, row.target, row.code[:3])].append(row)
    claims = [_claim(ctx, key, rows) for key, rows in grouped.items()]
    claims.sort(key=lambda c: (not c.disputed, -len(c.documents), c.reports[0].sort_date or "9999", c.base_code))
    return SourcesView(a=a, b=b, code=code, claims=claims)


def _claim(ctx: AnalysisContext, key: tuple[str | None, str | None, str], rows: list[EventRow]) -> Claim:
    source, target, base = key
    rows = sort_rows(rows)
    modalities = sorted({r.modality for r in rows})
    disputed = "asserted" in modalities and any(m in DOUBTING for m in modalities)
    return Claim(
        source=source,
        source_name=ctx.actor_name(source),
        target=target,
        target_name=ctx.actor_name(target),
        base_code=base,
        code_name=ctx.code_name(base),
        modalities=modalities,
        documents=sorted({r.doc_id for r in rows}),
        outlets=sorted({_outlet(r) for r in rows}),
        disputed=disputed,
        disagreement=_describe(rows) if disputed else None,
        reports=rows,
    )


def _outlet(row: EventRow) -> str:
    """The name a report goes by everywhere: its outlet, else its document id."""
    return row.outlet or row.doc_id


def _describe(rows: list[EventRow]) -> str:
    by_modality: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        name = _outlet(row)
        if name not in by_modality[row.modality]:
            by_modality[row.modality].append(name)
    return "; ".join(f"{modality} by {', '.join(names)}" for modality, names in sorted(by_modality.items()))
