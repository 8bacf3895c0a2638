"""The store's tables, written with SQLAlchemy Core so that another backend
(PostgreSQL) can reuse them unchanged.

Record tables carry the fields of their dataclass in :mod:`dyadlens.model`
under the same names, plus ``seq`` (the record's position in its document's
list, so a load returns the lists in the order they were written). Only
``documents`` holds text; every other table points into it with offsets.

``actors`` holds the :class:`~dyadlens.model.ActorRef` snapshot each document
was written with (keyed by document and actor id), so that re-writing one
document never changes what another document loads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from dyadlens.model import RECORD_KINDS

metadata = MetaData()


def event_columns_since_0004() -> list[Column[Any]]:
    """The event columns added after the first release (migration 0004): each side's sectors
    and where the event happened (GDELT's ActionGeo)."""
    return [
        Column("source_sectors", String),
        Column("target_sectors", String),
        Column("place_name", String),
        Column("place_country", String),
        Column("place_admin1", String),
        Column("place_lat", Float),
        Column("place_lon", Float),
        Column("place_precision", String),
        Column("place_start", Integer),
        Column("place_end", Integer),
        Column("place_rule", String),
    ]


def event_columns_since_0005() -> list[Column[Any]]:
    """Which coder made the event, and what the analyst's corrections did to it (migration 0005)."""
    return [Column("coder", String, nullable=False, server_default="rules", index=True),
            Column("correction", String, index=True)]


def event_columns_since_0006() -> list[Column[Any]]:
    """Whether the event is a standing fact, and the real event (cluster) it reports (migration 0006)."""
    return [Column("standing", Boolean, nullable=False, server_default="0", index=True),
            Column("cluster", String, index=True)]


def _doc_id_column() -> Column[str]:
    return Column("doc_id", String, ForeignKey("documents.id"), nullable=False, index=True)


def _span_record_columns(*, in_sentence: bool) -> list[Column[Any]]:
    """The leading columns of a record with an id and document offsets.

    ``in_sentence`` adds ``sentence_index`` for records that lie inside one
    sentence (mentions, events, quotes).
    """
    columns: list[Column[Any]] = [
        Column("id", String, primary_key=True),
        _doc_id_column(),
        Column("seq", Integer, nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    ]
    if in_sentence:
        columns.append(Column("sentence_index", Integer, nullable=False))
    return columns


documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # first-ingest order, kept on re-write
    Column("path", String, nullable=False),
    Column("format", String, nullable=False),
    Column("text", Text, nullable=False),
    Column("title", String),
    Column("author", String),
    Column("outlet", String, index=True),
    Column("url", String),
    Column("published", String, index=True),
    Column("published_source", String),
    Column("kind", String),
    Column("raw", Text),
    Column("content_hash", String, nullable=False),
    Column("fingerprint", String, nullable=False, index=True),
    Column("duplicate_of", String, index=True),
    Column("meta", Text, nullable=False),  # JSON object
    Column("pipeline", String, nullable=False),  # signature of the pipeline that produced the rows
    Column("ingested_at", String, nullable=False),  # ISO 8601 UTC
    # since 0011: the columns a listing shows, so that SQLite reads them off the index, not the rows'
    # overflow pages (stored after the article text)
    Index("ix_documents_head", "published", "id", "outlet", "title", "url", "duplicate_of", "kind"),
    # since 0012: a join from events, quotes or designations to their document reads this, not the row
    Index("ix_documents_id_head", "id", "duplicate_of", "published", "outlet", "seq", "title"),
)

regions = Table(
    "regions",
    metadata,
    *_span_record_columns(in_sentence=False),
    Column("kind", String, nullable=False),
    Column("label", String, nullable=False),
    Column("excluded", Boolean, nullable=False),
)

sentences = Table(
    "sentences",
    metadata,
    # A stable integer key: the full-text index refers to sentences by it.
    Column("row", Integer, primary_key=True, autoincrement=True),
    Column("id", String, nullable=False, unique=True),
    _doc_id_column(),
    Column("seq", Integer, nullable=False),
    Column("index", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("paragraph", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("analysed", Boolean, nullable=False),
    Index("ix_sentences_doc_index", "doc_id", "index"),
)

actors = Table(
    "actors",
    metadata,
    Column("doc_id", String, ForeignKey("documents.id"), primary_key=True),
    Column("id", String, primary_key=True, index=True),
    Column("seq", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("type", String, nullable=False),
    Column("resolved", Boolean, nullable=False),
    Column("cameo", String),
    Column("iso3", String),
    Column("qid", String),
    Index("ix_actors_id_name", "id", "name"),  # since 0011: an actor's first name by one seek
)

mentions = Table(
    "mentions",
    metadata,
    *_span_record_columns(in_sentence=True),
    Column("actor_id", String, index=True),
    Column("label", String, nullable=False),
    Column("rule", String, nullable=False),
    Column("person", String, index=True),
    Column("sectors", String),
    Index("ix_mentions_actor_sentence", "actor_id", "doc_id", "sentence_index"),  # since 0008
)

events = Table(
    "events",
    metadata,
    *_span_record_columns(in_sentence=True),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("source", String, index=True),
    Column("target", String, index=True),
    Column("code", String, nullable=False, index=True),
    Column("root", String, nullable=False, index=True),  # derived: code[:2]
    Column("modality", String, nullable=False, index=True),
    Column("date", String, index=True),
    Column("date_start", Integer),
    Column("date_end", Integer),
    Column("date_rule", String),
    Column("claimant", String),
    # provenance (model.Provenance): dictionary entry, routes to the arguments, modality cue
    Column("entry", String, nullable=False),
    Column("route", String, nullable=False),
    Column("source_route", String, nullable=False),
    Column("target_route", String, nullable=False),
    Column("cue", String),
    Column("confidence", Float, nullable=False),
    *event_columns_since_0004(),
    *event_columns_since_0005(),
    *event_columns_since_0006(),
    Index("ix_events_source_target", "source", "target"),
    Index("ix_events_source_target_date", "source", "target", "date"),  # since 0008
    # since 0014 (0011 had its first three columns): the status reads, and a claim's reports (sources side by
    # side) or the explorer's unclustered events read from the index alone
    Index("ix_events_claims", "code", "source", "target", "modality", "date", "cluster", "doc_id", "start", "id",
          "correction"),
    # since 0012: the map's located events, and a dyad's standing facts (2% of reports) counted alone
    Index("ix_events_place_country", "place_country"),
    Index("ix_events_place_lat", "place_lat"),
    Index("ix_events_standing_sides", "source", "target", sqlite_where=text("standing IS 1"),
          postgresql_where=text("standing IS TRUE")),
)

quotes = Table(
    "quotes",
    metadata,
    *_span_record_columns(in_sentence=True),
    Column("kind", String, nullable=False),
    Column("speaker", String, index=True),
    Column("speaker_actor", String),
    Column("speaker_role", String),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", String),
    Column("words_key", BigInteger),  # since 0015: the quotation's words hashed (store/quote_words.py)
    # since 0015 (it replaces the index of speaker_actor alone): a side's quotes by sentence with what the
    # brief ranks them by, so a dyad's quotes and their repetitions are read from the index alone
    Index("ix_quotes_speaker_words", "speaker_actor", "doc_id", "sentence_index", "words_key", "start", "id",
          "speaker_role"),
)

designations = Table(
    "designations",
    metadata,
    *_span_record_columns(in_sentence=False),
    Column("designator", String, nullable=False, index=True),
    Column("designee", String, nullable=False, index=True),
    Column("status", String, nullable=False, index=True),
    Column("date", String, index=True),
    Column("event_id", String),
    Column("claimant", String),
    Column("rule", String, nullable=False),
    Column("standing", Boolean, nullable=False, server_default="0"),  # since 0006
)

places = Table(
    "places",
    metadata,
    *_span_record_columns(in_sentence=True),
    Column("name", String, nullable=False, index=True),
    Column("precision", String, nullable=False),
    Column("country", String, index=True),
    Column("admin1", String),
    Column("lat", Float),
    Column("lon", Float),
    Column("geonameid", Integer),
    Column("rule", String, nullable=False),
)

persons = Table(
    "persons",
    metadata,
    *_span_record_columns(in_sentence=True),
    Column("name", String, nullable=False, index=True),
    Column("affiliation", String, index=True),
    Column("office", String),
    Column("sectors", String),
    Column("date", String),
    Column("rule", String, nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", String, nullable=False, index=True),
    Column("doc_id", String, index=True),
    Column("stage", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("time", String, nullable=False),  # ISO 8601 UTC
)

#: The analyst's corrections of coded events (docs/learned-coder.md, "Corrections"). Not a
#: record kind: they are the analyst's, not the pipeline's, so re-ingesting a document never
#: touches them (no foreign key to ``documents``, keyed by the sentence's span).
corrections = Table(
    "corrections",
    metadata,
    Column("id", String, primary_key=True),
    Column("created", String, nullable=False),
    Column("action", String, nullable=False),  # reject | recode | add
    Column("doc_id", String, nullable=False, index=True),
    Column("start", Integer, nullable=False),  # the sentence
    Column("end", Integer, nullable=False),
    Column("event_id", String),  # the event corrected (reject, recode)
    Column("source", String),  # the event as it should be (reject: as it was)
    Column("target", String),
    Column("code", String),
    Column("modality", String),
    Column("was_source", String),  # recode: the event as it was
    Column("was_target", String),
    Column("was_code", String),
    Column("note", Text),
    Column("analyst", String),  # who made it
    # since 0006: the corrections beyond an event's code and sides (docs/corrections.md)
    Column("date", String),  # redate: the event's date as it should be
    Column("was_date", String),
    Column("value", String),  # what the action sets: an outlet, an alias, the actor merged into
    Column("other", Text),  # merge | split: the other report, as a JSON evidence key
)

#: The real events: each a cluster of reports (events rows with ``cluster`` = its id) across
#: sentences and documents, kept up to date on every write by dyadlens.identity. ``lead`` is the
#: report that stands for the cluster (the earliest, most precisely dated); ``date``, ``code``,
#: ``modality`` are consolidated from the reports; the counts are GDELT's NumMentions
#: (reports), NumArticles (documents) and NumSources (outlets).
clusters = Table(
    "clusters",
    metadata,
    Column("id", String, primary_key=True),
    Column("lead", String, nullable=False, index=True),
    Column("source", String, index=True),
    Column("target", String, index=True),
    Column("code", String, nullable=False, index=True),
    Column("root", String, nullable=False, index=True),
    Column("modality", String, nullable=False),
    Column("date", String, index=True),
    Column("reports", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("first_seen", String),  # the earliest publication date of a report
    Column("last_seen", String),
    Index("ix_clusters_source_target", "source", "target"),
    Index("ix_clusters_source_target_date", "source", "target", "date"),  # since 0008
    # since 0014 (0011 had its first three columns): the status reads, the explorer's keyed read by date
    Index("ix_clusters_keys_date", "code", "source", "target", "date", "lead"),
    # since 0014: the brief's top events, a dyad's most-reported clusters first
    Index("ix_clusters_sides_reports", "source", "target", "reports", "lead"),
)

def _summary_table(name: str, *, by_month: bool) -> Table:
    """A summary of the events (:mod:`dyadlens.store.summaries`, migration 0010): how many rows each count
    mode counts per key. A missing side or period is stored as ``''`` (key columns cannot be NULL)."""
    # the first 7 characters of the placed date (2024-07, 2024), '' when there is none
    period = [Column("period", String, primary_key=True)] if by_month else []
    by_period = [Index(f"ix_{name}_period", "mode", "period")] if by_month else []
    # since 0012: the network of a period off one covering index; the events list's total by code prefix
    covering = ([Index(f"ix_{name}_period_edges", "mode", "period", "modality", "source", "target", "code", "n")]
                if by_month else [Index(f"ix_{name}_code", "mode", "code", "n")])
    return Table(
        name,
        metadata,
        Column("mode", String, primary_key=True),  # the count mode: events | reports
        Column("source", String, primary_key=True),
        Column("target", String, primary_key=True),
        *period,
        Column("code", String, primary_key=True),
        Column("root", String, primary_key=True),
        Column("modality", String, primary_key=True),
        Column("n", Integer, nullable=False),
        *_by_side(name, by_month=by_month),
        *by_period,
        *covering,
    )


def _by_side(name: str, *, by_month: bool) -> list[Index]:
    """The summary's rows by its target; for the totals (since 0014) both sides' rows read from the index alone,
    whole or by root (an actor's partners and counts by root)."""
    if by_month:
        return [Index(f"ix_{name}_target", "mode", "target", "source")]
    keys = ("code", "root", "modality", "n")
    return [Index(f"ix_{name}_source_cover", "mode", "source", "target", *keys),
            Index(f"ix_{name}_target_cover", "mode", "target", "source", *keys),
            Index(f"ix_{name}_source_root", "mode", "source", "root", "modality", "n"),
            Index(f"ix_{name}_target_root", "mode", "target", "root", "modality", "n")]


#: Events per month of their placed date, dyad, code and modality, per count mode (the series, the network).
summary_months = _summary_table("summary_months", by_month=True)
#: The same without the period (the overview, an actor's totals).
summary_totals = _summary_table("summary_totals", by_month=False)

def _edge_table(name: str, *, by_year: bool) -> Table:
    """Acts between two different actors (migration 0013, :mod:`dyadlens.store.edge_summaries`), per count mode,
    modality, directed pair and quad class of the code's root (0: a root outside 01-20), kept from the rows of
    ``summary_months`` (per year of the period: ``2024``, ``''`` undated) or ``summary_totals`` (all time)."""
    year = [Column("year", String, primary_key=True)] if by_year else []
    return Table(
        name,
        metadata,
        Column("mode", String, primary_key=True),
        *year,
        Column("modality", String, primary_key=True),
        Column("source", String, primary_key=True),
        Column("target", String, primary_key=True),
        Column("quad", Integer, primary_key=True),
        Column("n", Integer, nullable=False),
    )


#: The network of whole years: its edges per year, a few per pair of actors where the months hold hundreds.
summary_edge_years = _edge_table("summary_edge_years", by_year=True)
#: The network of the whole store.
summary_edges = _edge_table("summary_edges", by_year=False)

#: Per actor id (or person id), what the overview and ``/actors`` count of it (:mod:`dyadlens.store.actor_summaries`,
#: migration 0011), kept by triggers: rows of ``actors`` naming it (documents), mentions with it as
#: ``actor_id`` in original documents, mentions naming it as actor or person (duplicates included), event
#: reports with it as source plus those with it as target, quotes by a speaker acting for it; and per count mode
#: the acts it takes part in on either side, once when on both (``events_involved``, ``reports_involved``: what
#: ``summary_totals`` counts, kept from its rows).
summary_actors = Table(
    "summary_actors",
    metadata,
    Column("actor", String, primary_key=True),
    *(Column(name, Integer, nullable=False, server_default="0")
      for name in ("documents", "mentions", "named", "reports", "quotes", "events_involved", "reports_involved")),
)

#: Per count mode and dyad (either direction: ``a`` < ``b``), the acts between two actors and the asserted ones
#: among them (migration 0011), kept from the rows of ``summary_totals``: the overview's top dyads.
summary_dyads = Table(
    "summary_dyads",
    metadata,
    Column("mode", String, primary_key=True),
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("events", Integer, nullable=False, server_default="0"),
    Column("asserted", Integer, nullable=False, server_default="0"),
    Index("ix_summary_dyads_events", "mode", "events"),
)

#: Learned-coder weights trained for this store by ``dyadlens train`` (an adapter file, its
#: scores against the coder it replaced); the active row is the coder the store's ingests use.
coder_weights = Table(
    "coder_weights",
    metadata,
    Column("id", String, primary_key=True),  # sha256 of data
    Column("created", String, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("report", Text, nullable=False),  # JSON
    Column("active", Boolean, nullable=False),
)

#: Web feeds read by ``dyadlens feeds``: the validators of the feed's last full answer, sent back
#: as a conditional GET (If-None-Match / If-Modified-Since) on the next run.
feeds = Table(
    "feeds",
    metadata,
    Column("url", String, primary_key=True),
    Column("etag", String),
    Column("last_modified", String),
    Column("checked", String, nullable=False),  # when the feed was last read in full
)

#: The items of each feed already ingested, by GUID (else link), so a rerun fetches only new ones.
feed_items = Table(
    "feed_items",
    metadata,
    Column("feed", String, primary_key=True),
    Column("item", String, primary_key=True),
    Column("url", String, nullable=False),
    Column("seen", String, nullable=False),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String, primary_key=True),
    Column("position", Integer, nullable=False, unique=True),
    Column("applied_at", String, nullable=False),
)

#: Tables that hold one document's derived records, in write order: one per record kind.
RECORD_TABLES = tuple(metadata.tables[kind.name] for kind in RECORD_KINDS)

#: Every table ``Store.rows`` can export, by name.
EXPORTABLE: Mapping[str, Table] = MappingProxyType({t.name: t for t in (documents, *RECORD_TABLES, failures)})
