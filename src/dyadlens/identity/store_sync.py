"""Event identity in the store: ``events.cluster`` and the ``clusters`` table kept up to date
on every write, one document at a time, without loading the store.

:meth:`Store.write` calls :func:`clusters_of_documents` before it deletes a
document's rows and :func:`refresh_clusters` once the new rows, the corrections
and the duplicate marks are in. A refresh takes the documents' reports out of
their clusters, assigns them again (in document order) against the clusters
their dyad and root can join (found by indexed queries), and rewrites only the
clusters it touched: a cluster's id follows its earliest report, an emptied
cluster's row goes. ``dyadlens clusters --rebuild`` (:func:`rebuild_clusters`)
replays every document in order, which is what ingesting them one by one does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    true,
    update,
)

from dyadlens.identity.compatibility import ActorRelations, kb_relations, parsed_date, undirected
from dyadlens.identity.consolidate import consolidate
from dyadlens.identity.core import Cluster, Clusterer
from dyadlens.identity.reports import EvidenceKey, Links, Report, key_from_json
from dyadlens.model import Event
from dyadlens.store import schema
from dyadlens.store.codec import record_from_row

E, D, C = schema.events, schema.documents, schema.clusters
#: Sorts after every digit and "-": ``date`` to ``date + "~"`` holds every day the date covers.
_AFTER_EVERY_DAY = "~"
#: The correction actions that link two reports (``Correction.other`` names the second).
MERGE, SPLIT = "merge", "split"


def _listed(name: str) -> BindParameter[Any]:
    """A parameter that takes a list, for ``IN``: the SQL sent is ``IN (?, ?, ...)`` as for a
    literal list, and the statement stays one object whatever the list's length."""
    return bindparam(name, expanding=True)


# Every write runs these, one document at a time: built and compiled once a process, not once a write.
_CLUSTERS_OF = select(E.c.cluster).where(E.c.doc_id.in_(_listed("docs")), E.c.cluster.is_not(None))
_UNASSIGN = update(E).where(E.c.doc_id.in_(_listed("docs")), E.c.cluster.is_not(None)).values(cluster=None)
_SAME_FINGERPRINT = select(D.c.id).where(
    D.c.fingerprint.in_(select(D.c.fingerprint).where(D.c.id.in_(_listed("docs"))).scalar_subquery()))
_IN_DOCUMENT_ORDER = (select(D.c.id).where(D.c.id.in_(_listed("docs")), D.c.duplicate_of.is_(None))
                      .order_by(D.c.seq))
_LINKS = select(schema.corrections).where(schema.corrections.c.action.in_((MERGE, SPLIT)),
                                          schema.corrections.c.other.is_not(None))
_DELETE_CLUSTERS = C.delete().where(C.c.id.in_(_listed("ids")))
_ASSIGN = update(E).where(E.c.id == bindparam("member")).values(cluster=bindparam("cluster_id"))
_REPORTS = (
    select(E, func.substr(D.c.text, E.c.start + 1, E.c.end - E.c.start).label("sentence_text"),
           schema.sentences.c.kind.label("sentence_kind"), D.c.published, D.c.outlet, D.c.seq.label("doc_seq"))
    .join(D, D.c.id == E.c.doc_id)
    .outerjoin(schema.sentences, and_(schema.sentences.c.doc_id == E.c.doc_id,
                                      schema.sentences.c.index == E.c.sentence_index))
    .order_by(D.c.seq, E.c.seq)
)
_REPORTS_OF_DOCUMENT = _REPORTS.where(E.c.doc_id == bindparam("doc"))
_REPORTS_OF_CLUSTERS = _REPORTS.where(E.c.cluster.in_(_listed("clusters")))


@dataclass
class _Sync:
    """One refresh: the clusterer, and which clusters it loaded or changed."""

    conn: Connection
    clusterer: Clusterer
    order: dict[str, tuple[int, int]] = field(default_factory=dict)  # event id -> (document seq, event seq)
    loaded: dict[str, Cluster] = field(default_factory=dict)  # stored id -> cluster
    changed: list[Cluster] = field(default_factory=list)
    stored_ids: dict[int, str] = field(default_factory=dict)  # id(cluster) -> its stored id


def clusters_of_documents(conn: Connection, doc_ids: Iterable[str]) -> set[str]:
    """The clusters the documents' reports belong to now (call before deleting their rows)."""
    return set(conn.scalars(_CLUSTERS_OF, {"docs": list(doc_ids)}))


def refresh_clusters(conn: Connection, doc_ids: Iterable[str], stale: Iterable[str] = (),
                     relations: ActorRelations | None = None) -> None:
    """Re-assign the reports of ``doc_ids`` (and of the documents sharing their fingerprint, whose
    duplicate marks may have changed) and rewrite the clusters that changed; ``stale`` names the
    clusters the documents' earlier rows belonged to."""
    docs = _with_same_fingerprint(conn, doc_ids)
    stale_ids = set(stale) | clusters_of_documents(conn, docs)
    conn.execute(_UNASSIGN, {"docs": docs})
    sync = _Sync(conn, Clusterer(_links(conn), relations if relations is not None else kb_relations()))
    for cluster in _load(sync, stale_ids):
        sync.changed.append(cluster)
    for doc_id in _in_document_order(conn, docs):
        _assign_document(sync, doc_id)
    _write(sync)


def rebuild_clusters(conn: Connection, relations: ActorRelations | None = None) -> int:
    """Recompute every cluster, documents in ingest order; returns how many clusters there are."""
    conn.execute(update(E).values(cluster=None))
    conn.execute(C.delete())
    for doc_id in conn.scalars(select(D.c.id).order_by(D.c.seq)):
        refresh_clusters(conn, [doc_id], relations=relations)
    return int(conn.scalar(select(func.count()).select_from(C)) or 0)


# --- reading -----------------------------------------------------------------


def _with_same_fingerprint(conn: Connection, doc_ids: Iterable[str]) -> list[str]:
    listed = list(doc_ids)
    return sorted(set(conn.scalars(_SAME_FINGERPRINT, {"docs": listed})) | set(listed))


def _in_document_order(conn: Connection, doc_ids: Sequence[str]) -> list[str]:
    """The documents that are not duplicates, in ingest order."""
    return list(conn.scalars(_IN_DOCUMENT_ORDER, {"docs": list(doc_ids)}))


def _links(conn: Connection) -> Links:
    """The analyst's merge and split corrections, as must-link and cannot-link pairs."""
    rows = conn.execute(_LINKS)
    must: list[tuple[EvidenceKey, EvidenceKey]] = []
    cannot: list[tuple[EvidenceKey, EvidenceKey]] = []
    for row in rows.mappings():
        first: EvidenceKey = (row["doc_id"], row["start"], row["end"], row["source"], row["target"], row["code"])
        (must if row["action"] == MERGE else cannot).append((first, key_from_json(row["other"])))
    return Links.of(must, cannot)


def stored_reports(conn: Connection, *where: ColumnElement[bool]) -> list[tuple[Report, tuple[int, int]]]:
    """Reports with their order key, read with their sentence (a heading is the headline) and
    their document's date and outlet."""
    return _reports(conn, _REPORTS.where(*where))


def _reports(conn: Connection, query: Select[Any], params: dict[str, Any] | None = None
             ) -> list[tuple[Report, tuple[int, int]]]:
    """The reports ``query`` (:data:`_REPORTS` with a condition) reads, as :func:`stored_reports`."""
    return [
        (Report(record_from_row(Event, row), row["published"], row["outlet"], row["sentence_text"] or "",
                headline=row["sentence_kind"] == "heading"), (int(row["doc_seq"]), int(row["seq"])))
        for row in conn.execute(query, params).mappings()
    ]


def _load(sync: _Sync, cluster_ids: Iterable[str]) -> list[Cluster]:
    """The stored clusters not loaded yet, added to the clusterer as they are."""
    wanted = sorted(set(cluster_ids) - set(sync.loaded))
    if not wanted:
        return []
    members: dict[str, list[Report]] = {cid: [] for cid in wanted}
    for report, order in _reports(sync.conn, _REPORTS_OF_CLUSTERS, {"clusters": wanted}):
        sync.order[report.event.id] = order
        members[report.event.cluster or ""].append(report)
    loaded = []
    for cid in wanted:
        cluster = sync.clusterer.add_cluster(members[cid])
        sync.loaded[cid] = cluster
        sync.stored_ids[id(cluster)] = cid
        loaded.append(cluster)
    return loaded


def _candidates(sync: _Sync, reports: Sequence[Report]) -> set[str]:
    """The stored clusters the reports may join: a member with a dyad the KB relates (reversed
    for symmetric codes), the same root and a date one of the reports' can meet (:func:`_dates_met`),
    or a member the analyst linked to one of them. Every other stored cluster scores 0 with each
    report, so leaving it unloaded changes no assignment; the date bound is what keeps the search
    from growing with the store (the ``(source, target, date)`` index serves every date term)."""
    relations = sync.clusterer.relations
    wanted: dict[tuple[frozenset[str | None], frozenset[str | None]], tuple[set[str], set[str | None]]] = {}
    for r in reports:
        e = r.event
        sources, targets = frozenset(relations.alike(e.source)), frozenset(relations.alike(e.target))
        for side in [(sources, targets), (targets, sources)] if undirected(e.code) else [(sources, targets)]:
            roots, dates = wanted.setdefault(side, (set(), set()))
            roots.add(e.root)
            dates.add(e.date)
    conditions = [and_(_among(E.c.root, sorted(roots)), _side(E.c.source, sources), _side(E.c.target, targets),
                       _dates_met(dates))
                  for (sources, targets), (roots, dates) in wanted.items()]
    for key in {k for r in reports for k in sync.clusterer.links.partners(r.key)}:
        doc_id, start, end, source, target, code = key
        conditions.append(and_(E.c.doc_id == doc_id, E.c.start == start, E.c.end == end,
                               E.c.source.is_not_distinct_from(source), E.c.target.is_not_distinct_from(target),
                               E.c.code == code))
    if not conditions:
        return set()
    return set(sync.conn.scalars(select(E.c.cluster).distinct().where(E.c.cluster.is_not(None), or_(*conditions))))


def _dates_met(dates: set[str | None]) -> ColumnElement[bool]:
    """The member dates at least one of ``dates`` can meet (:func:`identity.core.date_score`): an
    undated report meets any member; a dated one an undated member, or one whose date overlaps its
    own, which for the stored ISO prefixes ("2025-07-03", canonical: the pipeline and ``check_date``
    write them) is one of its prefixes or a date it is a prefix of; an unreadable date meets no dated
    member. Each term seeks the date in the index."""
    if None in dates:
        return true()
    days = sorted({str(parsed) for parsed in map(parsed_date, dates) if parsed is not None})
    prefixes = sorted({day[:length] for day in days for length in (4, 7) if length < len(day)})
    terms = [E.c.date.is_(None), *(E.c.date.between(day, day + _AFTER_EVERY_DAY) for day in days)]
    return or_(*terms, _among(E.c.date, prefixes)) if prefixes else or_(*terms)


def _side(column: ColumnElement[str], actors: Iterable[str | None]) -> ColumnElement[bool]:
    named = sorted(a for a in actors if a is not None)
    return column.is_(None) if not named else _among(column, named)


def _among(column: ColumnElement[str], values: Iterable[str]) -> ColumnElement[bool]:
    """``column IN (values)``, the values bound as one expanding parameter: SQLAlchemy neither
    coerces them one by one nor puts them in the statement's cache key, so a write's statements
    of the same shape are compiled once (the SQL sent is the same ``IN (?, ?, ...)``)."""
    return column.in_(bindparam(None, list(values), expanding=True, type_=column.type))


def _assign_document(sync: _Sync, doc_id: str) -> None:
    rows = [(r, o) for r, o in _reports(sync.conn, _REPORTS_OF_DOCUMENT, {"doc": doc_id}) if r.counted]
    reports = [r for r, _ in rows]
    _load(sync, _candidates(sync, reports))
    for report, order in rows:
        sync.order[report.event.id] = order
        cluster = sync.clusterer.assign(report)
        if all(cluster is not c for c in sync.changed):
            sync.changed.append(cluster)


# --- writing -----------------------------------------------------------------


def _write(sync: _Sync) -> None:
    """Rewrite the changed clusters: members sorted, id from the earliest, row consolidated
    (three statements, whatever the number of clusters). A member is updated only when its cluster
    changes (its report holds the stored value): each update of ``events.cluster`` runs the summary
    triggers, and a cluster that gains a report keeps its id and every earlier member."""
    old_ids = [sync.stored_ids[id(c)] for c in sync.changed if id(c) in sync.stored_ids]
    rows: list[dict[str, object]] = []
    members: list[dict[str, str]] = []
    for cluster in sync.changed:
        if not cluster.reports:
            continue
        cluster.reports.sort(key=lambda r: sync.order[r.event.id])
        row = consolidate(cluster.reports)
        rows.append(row.row())
        members.extend({"member": r.event.id, "cluster_id": row.id} for r in cluster.reports
                       if r.event.cluster != row.id)
    sync.conn.execute(_DELETE_CLUSTERS, {"ids": old_ids + [str(row["id"]) for row in rows]})
    if rows:
        sync.conn.execute(C.insert(), rows)
    if members:
        sync.conn.execute(_ASSIGN, members)
