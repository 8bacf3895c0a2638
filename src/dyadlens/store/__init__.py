"""The embedded store (SQLite through SQLAlchemy Core): documents, their
records, failures and a full-text index over sentences."""

from dyadlens.store.backend import HIGHLIGHT_END, HIGHLIGHT_START
from dyadlens.store.queries import COUNT_MODES, ClusterCounts, EventQuery, PlacedEvent, check_count
from dyadlens.store.schema import EXPORTABLE
from dyadlens.store.store import (
    DocumentInfo,
    SearchHit,
    Store,
    StoredFailure,
    StoredInput,
    StoreStats,
    WriteResult,
    open_store,
)

#: Names of the tables ``Store.rows`` (and ``dyadlens export``) can read.
TABLES = tuple(EXPORTABLE)

__all__ = [
    "COUNT_MODES",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "TABLES",
    "ClusterCounts",
    "DocumentInfo",
    "EventQuery",
    "PlacedEvent",
    "SearchHit",
    "Store",
    "StoreStats",
    "StoredFailure",
    "StoredInput",
    "WriteResult",
    "check_count",
    "open_store",
]
