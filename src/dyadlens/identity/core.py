"""Greedy incremental clustering of reports into events.

Reports are taken in document order; each joins the existing cluster it scores
best with, at or above :data:`JOIN_THRESHOLD`, else starts a cluster of its own.
A report scores against a cluster as against its best-matching member (single
link), after the hard tests (dyad, code, date) pass against that member; the
analyst's links override both. The same loop runs in memory over a whole corpus
(:func:`cluster_reports`) and in the store over the clusters one document's
reports may join (:mod:`dyadlens.identity.store_sync`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dyadlens.identity.compatibility import (
    VERY_SIMILAR,
    ActorRelations,
    coarser_precision,
    code_relation,
    content_stems,
    dates_overlap,
    dyad_relation,
    headline_pair,
    is_generic,
    kb_relations,
    weak_date,
    wording_similarity,
)
from dyadlens.identity.reports import EvidenceKey, Links, Report
from dyadlens.model import stable_id

#: The score a report needs with a cluster to join it.
JOIN_THRESHOLD = 0.75
_CODE_SCORE = {"equal": 0.4, "parent": 0.2, "sibling": 0.0}
_GENERIC_EQUAL_SCORE = 0.2
_DATE_SCORE = {"day": 0.6, "month": 0.4, "year": 0.2}
_HEADLINE_BONUS = 0.5
_SAME_DOCUMENT_BONUS = 0.3
_WEAK_DATE_FACTOR = 1 / 3


def cluster_id(report: Report) -> str:
    """A cluster's id: from the evidence key of its earliest report, so a corpus always gives the same ids."""
    e = report.event
    return stable_id("cluster", e.doc_id, e.start, e.end, e.source, e.target, e.code)


@dataclass
class Cluster:
    """The reports of one event so far, earliest first."""

    reports: list[Report] = field(default_factory=list)

    @property
    def id(self) -> str:
        return cluster_id(self.reports[0])


class Clusterer:
    """Assigns reports one at a time to the best compatible cluster."""

    def __init__(self, links: Links | None = None, relations: ActorRelations | None = None) -> None:
        self.links = links or Links()
        self.relations = relations if relations is not None else kb_relations()
        self.clusters: list[Cluster] = []
        self._stems: dict[str, frozenset[str]] = {}
        self._by_root: dict[str, list[int]] = {}  # root -> indexes of the clusters with a member of that root
        self._by_key: dict[EvidenceKey, int] = {}  # a member's evidence key -> its cluster's index

    def add_cluster(self, reports: Sequence[Report]) -> Cluster:
        """A cluster already formed (the store's candidates), kept as it is."""
        cluster = Cluster([])
        self.clusters.append(cluster)
        for report in reports:
            self._add(len(self.clusters) - 1, report)
        return cluster

    def assign(self, report: Report) -> Cluster:
        """Put ``report`` in its best cluster, or a new one; returns the cluster."""
        scored = [(self.cluster_score(report, self.clusters[i]), -i) for i in self._candidates(report)]
        best = max((s for s in scored if s[0] >= JOIN_THRESHOLD), default=None)
        if best is None:
            return self.add_cluster([report])
        self._add(-best[1], report)
        return self.clusters[-best[1]]

    def _add(self, index: int, report: Report) -> None:
        self.clusters[index].reports.append(report)
        roots = self._by_root.setdefault(report.event.root, [])
        if index not in roots:
            roots.append(index)
        self._by_key[report.key] = index

    def _candidates(self, report: Report) -> set[int]:
        """The clusters a report may join: one of its root (every compatible code shares it), or
        one holding a report the analyst linked to it."""
        linked = {self._by_key[key] for key in self.links.partners(report.key) if key in self._by_key}
        return set(self._by_root.get(report.event.root, ())) | linked

    def cluster_score(self, report: Report, cluster: Cluster) -> float:
        """The best pair score with a member; -1 when the analyst split it from a member, above
        every score when the analyst merged it with one."""
        keys = [member.key for member in cluster.reports]
        if not keys:
            return -1.0
        if any(self.links.cannot_link(report.key, key) for key in keys):
            return -1.0
        if any(self.links.must_link(report.key, key) for key in keys):
            return 10.0
        return max(self.pair_score(report, member) for member in cluster.reports)

    def pair_score(self, a: Report, b: Report) -> float:
        """How strongly two reports tell one event; 0 when a hard test fails."""
        if dyad_relation(a, b, self.relations) is None:
            return 0.0
        relation = code_relation(a.event.code, b.event.code)
        wording = wording_similarity(self._stems_of(a), self._stems_of(b))
        if relation is None or (relation == "sibling" and wording < VERY_SIMILAR):
            return 0.0
        date = date_score(a, b, wording)
        if date is None:
            return 0.0
        headline = _HEADLINE_BONUS if headline_pair(a, b) and relation == "equal" else 0.0
        same_document = _SAME_DOCUMENT_BONUS if a.event.doc_id == b.event.doc_id else 0.0
        return code_score(a.event.code, relation) + date + wording + headline + same_document

    def _stems_of(self, report: Report) -> frozenset[str]:
        found = self._stems.get(report.event.id)
        if found is None:
            e = report.event
            found = self._stems[e.id] = content_stems(report.sentence, (e.source, e.target))
        return found


def code_score(code: str, relation: str) -> float:
    """Equal specific codes say more than equal generic ones (many talks share ``040``)."""
    if relation == "equal" and is_generic(code):
        return _GENERIC_EQUAL_SCORE
    return _CODE_SCORE[relation]


def date_score(a: Report, b: Report, wording: float) -> float | None:
    """The dates' support, or None when they rule the pair out: dated reports must overlap at
    their precision; an undated one joins only within its document or on very similar wording.
    A date taken from the document rather than the text counts a third."""
    da, db = a.event.date, b.event.date
    if da is None or db is None:
        same_document = a.event.doc_id == b.event.doc_id
        return 0.0 if same_document or wording >= VERY_SIMILAR else None
    if not dates_overlap(da, db):
        return None
    score = _DATE_SCORE[coarser_precision(da, db)]
    return score * _WEAK_DATE_FACTOR if weak_date(a) or weak_date(b) else score


def cluster_reports(reports: Sequence[Report], links: Links | None = None, *,
                    relations: ActorRelations | None = None) -> dict[str, str]:
    """event id -> cluster id, for every report that is not standing (Event.standing) and not rejected.

    ``reports`` in document order (the order decides which report starts a
    cluster, hence its id); ``relations`` defaults to the shipped KB's.
    """
    clusterer = Clusterer(links, relations)
    for report in reports:
        if report.counted:
            clusterer.assign(report)
    return {member.event.id: cluster.id for cluster in clusterer.clusters for member in cluster.reports}
