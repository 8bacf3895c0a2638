"""Event identity: the reports of one real event, across sentences and documents, as one cluster.

The pure core (:func:`cluster_reports`, :func:`consolidate`) needs no store, so the
evaluation can score it; :mod:`dyadlens.identity.store_sync` keeps the store's
``events.cluster`` and ``clusters`` up to date on every write. docs/event-identity.md.
"""

from dyadlens.identity.compatibility import ActorRelations
from dyadlens.identity.consolidate import Consolidated, consolidate
from dyadlens.identity.core import cluster_id, cluster_reports
from dyadlens.identity.reports import EvidenceKey, Links, Report, evidence_key

__all__ = [
    "ActorRelations",
    "Consolidated",
    "EvidenceKey",
    "Links",
    "Report",
    "cluster_id",
    "cluster_reports",
    "consolidate",
    "evidence_key",
]
