"""Real events (clusters of reports, :mod:`dyadlens.identity`) as the views show them: the
consolidated date, code and modality, GDELT's counts, and every report with its sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, select

from dyadlens.analysis.common import AnalysisContext
from dyadlens.identity.store_sync import stored_reports
from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import schema

C, E = schema.clusters, schema.events


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """One report of a real event: where it was told, how, and the sentence."""

    event_id: str
    doc_id: str
    outlet: str | None
    published: str | None
    date: str | None
    code: str
    modality: str
    headline: bool
    sentence: str


@dataclass(frozen=True, slots=True)
class ClusterView:
    id: str
    lead: str
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    code: str
    code_name: str
    date: str | None
    modality: str
    reports: int  # GDELT NumMentions
    documents: int  # NumArticles
    outlets: int  # NumSources
    first_seen: str | None
    last_seen: str | None
    members: tuple[ClusterReport, ...]

    def as_listing(self) -> dict[str, Any]:
        listing = asdict(self)
        listing["members"] = [asdict(member) for member in self.members]
        return listing


def clusters(ctx: AnalysisContext, *, source: str | None = None, target: str | None = None, code: str | None = None,
             since: str | None = None, until: str | None = None, min_reports: int = 1,
             limit: int | None = None) -> list[ClusterView]:
    """The real events matching the filters (actor ids, a code prefix, a period over the
    consolidated date), earliest first, each with its reports."""
    conditions: list[ColumnElement[bool]] = [C.c.reports >= min_reports]
    if source is not None:
        conditions.append(C.c.source == source)
    if target is not None:
        conditions.append(C.c.target == target)
    if code:
        conditions.append(C.c.code.startswith(code))
    if since or until:
        conditions.append(overlaps_sql(C.c.date, parse_bound(since), parse_bound(until)))
    query = select(C).where(*conditions).order_by(C.c.date.is_(None), C.c.date, C.c.id).limit(limit)
    with ctx.store.reader() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
        members = _members(conn, [row["id"] for row in rows])
    return [_view(ctx, row, members.get(row["id"], [])) for row in rows]


def _members(conn: Any, cluster_ids: list[str]) -> dict[str, list[ClusterReport]]:
    found: dict[str, list[ClusterReport]] = {}
    if not cluster_ids:
        return found
    for report, _order in stored_reports(conn, E.c.cluster.in_(cluster_ids)):
        e = report.event
        member = ClusterReport(e.id, e.doc_id, report.outlet, report.published, e.date, e.code, e.modality,
                               report.headline, " ".join(report.sentence.split()))
        found.setdefault(e.cluster or "", []).append(member)
    return found


def _view(ctx: AnalysisContext, row: dict[str, Any], members: list[ClusterReport]) -> ClusterView:
    return ClusterView(
        id=row["id"], lead=row["lead"], source=row["source"], source_name=ctx.actor_name(row["source"]),
        target=row["target"], target_name=ctx.actor_name(row["target"]), code=row["code"],
        code_name=ctx.code_name(row["code"]), date=row["date"], modality=row["modality"], reports=row["reports"],
        documents=row["documents"], outlets=row["outlets"], first_seen=row["first_seen"],
        last_seen=row["last_seen"], members=tuple(members),
    )
