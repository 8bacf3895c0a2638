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

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select, true, update

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
    found = conn.scalars(select(E.c.cluster).where(E.c.doc_id.in_(list(doc_ids)), E.c.cluster.is_not(None)))
    return set(found)


def refresh_clusters(conn: Connection, doc_ids: Iterable[str], stale: Iterable[str] = (),
                     relations: ActorRelations | None = None) -> None:
    """Re-assign the reports of ``doc_ids`` (and of the documents sharing their fingerprint, whose
    duplicate marks may have changed) and rewrite the clusters that changed; ``stale`` names the
    clusters the documents' earlier rows belonged to."""
    docs = _with_same_fingerprint(conn, doc_ids)
    stale_ids = set(stale) | clusters_of_documents(conn, docs)
    conn.execute(update(E).where(E.c.doc_id.in_(docs), E.c.cluster.is_not(None)).values(cluster=None))
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
    prints = select(D.c.fingerprint).where(D.c.id.in_(list(doc_ids))).scalar_subquery()
    found = set(conn.scalars(select(D.c.id).where(D.c.fingerprint.in_(prints))))
    return sorted(found | set(doc_ids))


def _in_document_order(conn: Connection, doc_ids: Sequence[str]) -> list[str]:
    """The documents that are not duplicates, in ingest order."""
    query = select(D.c.id).where(D.c.id.in_(doc_ids), D.c.duplicate_of.is_(None)).order_by(D.c.seq)
    return list(conn.scalars(query))


def _links(conn: Connection) -> Links:
    """The analyst's merge and split corrections, as must-link and cannot-link pairs."""
    t = schema.corrections
    rows = conn.execute(select(t).where(t.c.action.in_((MERGE, SPLIT)), t.c.other.is_not(None)))
    must: list[tuple[EvidenceKey, EvidenceKey]] = []
    cannot: list[tuple[EvidenceKey, EvidenceKey]] = []
    for row in rows.mappings():
        first: EvidenceKey = (row["doc_id"], row["start"], row["end"], row["source"], row["target"], row["code"])
        (must if row["action"] == MERGE else cannot).append((first, key_from_json(row["other"])))
    return Links.of(must, cannot)


def stored_reports(conn: Connection, *where: ColumnElement[bool]) -> list[tuple[Report, tuple[int, int]]]:
    """Reports with their order key, read with their sentence (a heading is the headline) and
    their document's date and outlet."""
    s = schema.sentences
    text = func.substr(D.c.text, E.c.start + 1, E.c.end - E.c.start).label("sentence_text")
    query = (select(E, text, s.c.kind.label("sentence_kind"), D.c.published, D.c.outlet, D.c.seq.label("doc_seq"))
             .join(D, D.c.id == E.c.doc_id)
             .outerjoin(s, and_(s.c.doc_id == E.c.doc_id, s.c.index == E.c.sentence_index))
             .where(*where).order_by(D.c.seq, E.c.seq))
    return [
        (Report(record_from_row(Event, row), row["published"], row["outlet"], row["sentence_text"] or "",
                headline=row["sentence_kind"] == "heading"), (int(row["doc_seq"]), int(row["seq"])))
        for row in conn.execute(query).mappings()
    ]


def _load(sync: _Sync, cluster_ids: Iterable[str]) -> list[Cluster]:
    """The stored clusters not loaded yet, added to the clusterer as they are."""
    wanted = sorted(set(cluster_ids) - set(sync.loaded))
    if not wanted:
        return []
    members: dict[str, list[Report]] = {cid: [] for cid in wanted}
    for report, order in stored_reports(sync.conn, E.c.cluster.in_(wanted)):
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
    conditions = [and_(E.c.root.in_(sorted(roots)), _side(E.c.source, set(sources)), _side(E.c.target, set(targets)),
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
    return or_(*terms, E.c.date.in_(prefixes)) if prefixes else or_(*terms)


def _side(column: ColumnElement[str], actors: set[str | None]) -> ColumnElement[bool]:
    named = [a for a in actors if a is not None]
    return column.is_(None) if not named else column.in_(named)


def _assign_document(sync: _Sync, doc_id: str) -> None:
    rows = [(r, o) for r, o in stored_reports(sync.conn, E.c.doc_id == doc_id) if r.counted]
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
    (three statements, whatever the number of clusters)."""
    old_ids = [sync.stored_ids[id(c)] for c in sync.changed if id(c) in sync.stored_ids]
    rows: list[dict[str, object]] = []
    members: list[dict[str, str]] = []
    for cluster in sync.changed:
        if not cluster.reports:
            continue
        cluster.reports.sort(key=lambda r: sync.order[r.event.id])
        row = consolidate(cluster.reports)
        rows.append(row.row())
        members.extend({"member": r.event.id, "cluster_id": row.id} for r in cluster.reports)
    sync.conn.execute(C.delete().where(C.c.id.in_(old_ids + [str(row["id"]) for row in rows])))
    if rows:
        sync.conn.execute(C.insert(), rows)
        assign = update(E).where(E.c.id == bindparam("member")).values(cluster=bindparam("cluster_id"))
        sync.conn.execute(assign, members)
