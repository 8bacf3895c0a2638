"""One event from its reports: the lead report, the date, code and modality the reports
support together, and GDELT's counts (NumMentions, NumArticles, NumSources)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dyadlens.identity.compatibility import code_family, dates_overlap
from dyadlens.identity.core import cluster_id
from dyadlens.identity.reports import Report
from dyadlens.model import MODALITIES


@dataclass(frozen=True, slots=True)
class Consolidated:
    """A cluster's row (the ``clusters`` table)."""

    id: str
    lead: str  # the event id that stands for the cluster
    source: str | None
    target: str | None
    code: str
    modality: str
    date: str | None
    reports: int
    documents: int
    outlets: int
    first_seen: str | None
    last_seen: str | None

    def row(self) -> dict[str, object]:
        return {"id": self.id, "lead": self.lead, "source": self.source, "target": self.target,
                "code": self.code, "root": self.code[:2], "modality": self.modality, "date": self.date,
                "reports": self.reports, "documents": self.documents, "outlets": self.outlets,
                "first_seen": self.first_seen, "last_seen": self.last_seen}


def consolidate(reports: Sequence[Report]) -> Consolidated:
    """The cluster of ``reports`` (earliest first, as the clusterer keeps them)."""
    lead = lead_report(reports)
    published = sorted(r.published for r in reports if r.published)
    return Consolidated(
        id=cluster_id(reports[0]), lead=lead.event.id, source=lead.event.source, target=lead.event.target,
        code=consolidated_code([r.event.code for r in reports]),
        modality=consolidated_modality([r.event.modality for r in reports]),
        date=consolidated_date([r.event.date for r in reports]),
        reports=len(reports), documents=len({r.event.doc_id for r in reports}),
        outlets=len({r.outlet or r.event.doc_id for r in reports}),
        first_seen=published[0] if published else None, last_seen=published[-1] if published else None,
    )


def lead_report(reports: Sequence[Report]) -> Report:
    """The most precisely dated report, the earliest date among those, then the earliest told."""
    order = {id(r): i for i, r in enumerate(reports)}
    return min(reports, key=lambda r: (-len(r.event.date or ""), r.event.date or "", order[id(r)]))


def consolidated_date(dates: Sequence[str | None]) -> str | None:
    """The most precise date consistent with the most reports (ties: the most often given, then the earliest)."""
    dated = [d for d in dates if d]
    if not dated:
        return None
    counts = Counter(dated)
    support = {d: sum(n for other, n in counts.items() if dates_overlap(d, other)) for d in counts}
    return min(counts, key=lambda d: (-support[d], -len(d), -counts[d], d))


def consolidated_code(codes: Sequence[str]) -> str:
    """The most specific code most reports agree on: a code is supported by every report whose
    code is the same, an ancestor or a descendant of it."""
    counts = Counter(codes)

    def agrees(a: str, b: str) -> bool:
        fa, fb = code_family(a), code_family(b)
        return fa.startswith(fb) or fb.startswith(fa)

    support = {c: sum(n for other, n in counts.items() if agrees(c, other)) for c in counts}
    return min(counts, key=lambda c: (-support[c], -len(code_family(c)), -counts[c], c))


def consolidated_modality(modalities: Sequence[str]) -> str:
    """``asserted`` when any report asserts it; else the most frequent (ties in MODALITIES order)."""
    if "asserted" in modalities:
        return "asserted"
    counts = Counter(modalities)
    rank = {m: i for i, m in enumerate(MODALITIES)}
    return min(counts, key=lambda m: (-counts[m], rank.get(m, len(rank))))
