"""Named, ordered schema migrations, applied when a store is opened.

Each applied step is recorded in ``schema_migrations`` (name, position,
time), so a store always knows which schema it has. To change the schema,
append a step; never edit or reorder one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, bindparam, column, func, inspect, select, table, update

from dyadlens.errors import StoreError
from dyadlens.store import actor_summaries, edge_summaries, schema, summaries
from dyadlens.store.backend import Backend
from dyadlens.store.quote_words import words_key


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: Callable[[Connection, Backend], None]


def _create_tables(conn: Connection, _backend: Backend) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables)


def _create_search_index(conn: Connection, backend: Backend) -> None:
    backend.create_search_index(conn)


#: ``events`` as written before 0003: the provenance packed into ``rule``.
_PACKED_EVENTS = table("events", column("id"), column("rule"))


def _event_provenance_columns(conn: Connection, _backend: Backend) -> None:
    """``events.rule`` (``entry|route:source-route>target-route|cue``) becomes the columns
    ``entry``, ``route``, ``source_route``, ``target_route`` and ``cue``. A store created
    since has them from 0001, which creates the tables of today's schema."""
    if "rule" not in {c["name"] for c in inspect(conn).get_columns("events")}:
        return
    for name in ("entry", "route", "source_route", "target_route"):
        conn.exec_driver_sql(f"ALTER TABLE events ADD COLUMN {name} VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE events ADD COLUMN cue VARCHAR")
    rows = [{"event_id": event_id, **unpack_rule(rule)} for event_id, rule in conn.execute(select(_PACKED_EVENTS))]
    if rows:  # each row's keys name the columns it sets
        conn.execute(schema.events.update().where(schema.events.c.id == bindparam("event_id")), rows)
    conn.exec_driver_sql("ALTER TABLE events DROP COLUMN rule")


def unpack_rule(rule: str) -> dict[str, str | None]:
    """The provenance fields packed in a rule string of before 0003; a rule without ``|``
    (another coder's) is all entry."""
    entry, _, rest = rule.partition("|")
    routes, _, cue = rest.partition("|")
    route, _, sides = routes.partition(":")
    source_route, _, target_route = sides.partition(">")
    return {"entry": entry, "route": route, "source_route": source_route, "target_route": target_route,
            "cue": None if cue in ("", "-") else cue}


def _sectors_places_persons(conn: Connection, _backend: Backend) -> None:
    """Sector codes on mentions and on each event side, each event's place (its ActionGeo),
    and the ``places`` and ``persons`` tables. A store created since has them from 0001."""
    _add_missing_columns(conn, schema.mentions, ("sectors",))
    _add_missing_columns(conn, schema.events, tuple(c.name for c in schema.event_columns_since_0004()))
    schema.metadata.create_all(conn, tables=[schema.places, schema.persons], checkfirst=True)


def _coder_and_corrections(conn: Connection, _backend: Backend) -> None:
    """``events.coder`` (which coder made each event; those stored before are the rules'),
    ``events.correction``, the analyst's ``corrections`` and the store's own ``coder_weights``.
    A store created since has them from 0001."""
    present = {c["name"] for c in inspect(conn).get_columns("events")}
    if "coder" not in present:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN coder VARCHAR NOT NULL DEFAULT 'rules'")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_coder ON events (coder)")
    if "correction" not in present:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN correction VARCHAR")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_correction ON events (correction)")
    schema.metadata.create_all(conn, tables=[schema.corrections, schema.coder_weights], checkfirst=True)


def _standing_and_clusters(conn: Connection, _backend: Backend) -> None:
    """``events.standing`` and ``designations.standing`` (standing facts), ``events.cluster`` and
    the ``clusters`` table (event identity across reports), and the corrections' columns beyond
    an event's code and sides. A store created since has them from 0001; the clusters of a
    migrated store are built by ``dyadlens clusters --rebuild``."""
    present = {c["name"] for c in inspect(conn).get_columns("events")}
    if "standing" not in present:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN standing BOOLEAN NOT NULL DEFAULT FALSE")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_standing ON events (standing)")
    if "cluster" not in present:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN cluster VARCHAR")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_cluster ON events (cluster)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_source_target ON events (source, target)")
    if "standing" not in {c["name"] for c in inspect(conn).get_columns("designations")}:
        conn.exec_driver_sql("ALTER TABLE designations ADD COLUMN standing BOOLEAN NOT NULL DEFAULT FALSE")
    _add_missing_columns(conn, schema.corrections, ("date", "was_date", "value", "other"))
    schema.metadata.create_all(conn, tables=[schema.clusters], checkfirst=True)


def _add_missing_columns(conn: Connection, table: Table, names: tuple[str, ...]) -> None:
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name not in present:
            kind = table.c[name].type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}")


def _feed_state(conn: Connection, _backend: Backend) -> None:
    """The ``feeds`` and ``feed_items`` tables of ``dyadlens feeds`` (what each web feed last
    answered, which items were ingested). A store created since has them from 0001."""
    schema.metadata.create_all(conn, tables=[schema.feeds, schema.feed_items], checkfirst=True)


#: The composite indexes the views' queries use (0008): a dyad's events by date, a cluster's
#: sides by date, an actor's mentions by sentence (quotes about it).
VIEW_INDEXES = (
    ("ix_events_source_target_date", "events", "source, target, date"),
    ("ix_clusters_source_target_date", "clusters", "source, target, date"),
    ("ix_mentions_actor_sentence", "mentions", "actor_id, doc_id, sentence_index"),
)


def _view_indexes(conn: Connection, _backend: Backend) -> None:
    """The indexes of :data:`VIEW_INDEXES`. A store created since has them from 0001."""
    for name, table_name, columns in VIEW_INDEXES:
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table_name} ({columns})")


def _stemmed_search_index(conn: Connection, backend: Backend) -> None:
    """SQLite's FTS5 index rebuilt with the Porter stemmer over the analysed sentences it held
    ("sanction" finds "sanctions"; PostgreSQL's index stems since 0002), and on both the index of
    each sentence's mentions that the search's actor facet and filter read."""
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_mentions_doc_sentence ON mentions (doc_id, sentence_index, actor_id)"
    )
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("DROP TABLE IF EXISTS sentence_search")
    backend.create_search_index(conn)
    conn.exec_driver_sql(
        "INSERT INTO sentence_search(rowid, text, doc_id) "
        "SELECT s.row, substr(d.text, s.start + 1, s.\"end\" - s.start), s.doc_id "
        "FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE s.analysed"
    )


def _summaries(conn: Connection, _backend: Backend) -> None:
    """The summary tables (:mod:`dyadlens.store.summaries`), the triggers that keep them on every write,
    and their rows computed from the events already stored. A store created since has the tables from 0001."""
    # the triggers keep all six (the edges since 0013: a store migrated to 0010 since has them)
    tables = [schema.summary_months, schema.summary_totals, schema.summary_actors, schema.summary_dyads,
              schema.summary_edge_years, schema.summary_edges]
    schema.metadata.create_all(conn, tables=tables, checkfirst=True)
    # counted first, then kept: with the triggers in place, every summary row the backfill inserts would fire
    # the per-actor triggers (22 min and unfinished on PostgreSQL at 200k documents; 260 s this way round)
    summaries.rebuild(conn)
    summaries.create_triggers(conn)


#: The indexes of migration 0011 (a store created since has them from 0001).
#: (Its two indexes by code and sides, ``ix_events_code_source_target`` and ``ix_clusters_code_source_target``,
#: are the first columns of two of 0014, which replaces them.)
ACTOR_SUMMARY_INDEXES = ((schema.actors, "ix_actors_id_name"), (schema.documents, "ix_documents_head"))


def _actor_summaries(conn: Connection, _backend: Backend) -> None:
    """The per-actor totals (:mod:`dyadlens.store.actor_summaries`) with their triggers and their rows
    counted from the records; the indexes that let listings and status reads skip the rows themselves."""
    for kept in (schema.summary_actors, schema.summary_dyads):  # a store migrated to 0010 since has them
        kept.create(conn, checkfirst=True)
    for indexed, name in ACTOR_SUMMARY_INDEXES:
        next(index for index in indexed.indexes if index.name == name).create(conn, checkfirst=True)
    actor_summaries.create_triggers(conn)
    actor_summaries.rebuild(conn)


#: The indexes of migration 0012 (a store created since has them from 0001), by table.
SCALE_INDEXES = ((schema.documents, "ix_documents_id_head"), (schema.events, "ix_events_place_country"),
                 (schema.events, "ix_events_place_lat"), (schema.events, "ix_events_standing_sides"),
                 (schema.summary_months, "ix_summary_months_period_edges"),
                 (schema.summary_totals, "ix_summary_totals_code"))


def _scale_indexes(conn: Connection, _backend: Backend) -> None:
    """Indexes measured necessary at 10M events (benchmarks/README.md): covering reads of the document
    heads and the summaries, the map's located events, a dyad's standing facts."""
    for indexed, name in SCALE_INDEXES:
        next(index for index in indexed.indexes if index.name == name).create(conn, checkfirst=True)


def _edge_summaries(conn: Connection, _backend: Backend) -> None:
    """The network's edges per year and over all time (:mod:`dyadlens.store.edge_summaries`), counted from the
    event summaries, then kept by their triggers."""
    for kept in (schema.summary_edge_years, schema.summary_edges):
        kept.create(conn, checkfirst=True)
    edge_summaries.rebuild(conn)
    edge_summaries.create_triggers(conn)


#: The indexes of migration 0014 (a store created since has them from 0001), by table.
PAGE_INDEXES = ((schema.events, "ix_events_claims"), (schema.clusters, "ix_clusters_keys_date"),
                (schema.clusters, "ix_clusters_sides_reports"),
                (schema.summary_totals, "ix_summary_totals_source_cover"),
                (schema.summary_totals, "ix_summary_totals_target_cover"),
                (schema.summary_totals, "ix_summary_totals_source_root"),
                (schema.summary_totals, "ix_summary_totals_target_root"))
#: What 0014's indexes replace: each is the first columns of one of them.
REPLACED_INDEXES = ("ix_events_code_source_target", "ix_clusters_code_source_target", "ix_summary_totals_target")


def _page_indexes(conn: Connection, _backend: Backend) -> None:
    """Indexes measured necessary for the pages at 10M events (benchmarks/README.md, "2026-12-07 night"): a
    claim's reports and the explorer's keyed reads from the index alone, a dyad's most-reported clusters, an
    actor's partners and counts by root off the totals; the narrower indexes they extend are dropped."""
    for indexed, name in PAGE_INDEXES:
        next(index for index in indexed.indexes if index.name == name).create(conn, checkfirst=True)
    for name in REPLACED_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


#: Quotes keyed per page of the backfill of 0015.
BACKFILL_PAGE = 10_000


def _quote_words_key(conn: Connection, _backend: Backend) -> None:
    """``quotes.words_key`` (:mod:`dyadlens.store.quote_words`), filled for the quotes already stored, and the
    index of a side's quotes by sentence with their keys, which replaces the index of ``speaker_actor`` alone."""
    _add_missing_columns(conn, schema.quotes, ("words_key",))
    _backfill_words_keys(conn)
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_quotes_speaker_actor")
    next(index for index in schema.quotes.indexes if index.name == "ix_quotes_speaker_words").create(
        conn, checkfirst=True)


def _backfill_words_keys(conn: Connection) -> None:
    """Every quote's key from its quotation (the document's text between its offsets), a page of quotes at a
    time in id order, so memory stays bounded whatever the store holds."""
    q, d = schema.quotes, schema.documents
    quotation = func.substr(d.c.text, q.c.start + 1, q.c.end - q.c.start)
    page = select(q.c.id, quotation).join_from(q, d, d.c.id == q.c.doc_id).order_by(q.c.id).limit(BACKFILL_PAGE)
    keyed = update(q).where(q.c.id == bindparam("quote_id")).values(words_key=bindparam("key"))
    after: str | None = None
    while True:
        found = conn.execute(page if after is None else page.where(q.c.id > after)).all()
        if not found:
            return
        conn.execute(keyed, [{"quote_id": row[0], "key": words_key(row[1] or "")} for row in found])
        after = found[-1][0]


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_record_tables", _create_tables),
    Migration("0002_sentence_search_index", _create_search_index),
    Migration("0003_event_provenance_columns", _event_provenance_columns),
    Migration("0004_sectors_places_persons", _sectors_places_persons),
    Migration("0005_coder_and_corrections", _coder_and_corrections),
    Migration("0006_standing_facts_and_clusters", _standing_and_clusters),
    Migration("0007_feed_state", _feed_state),
    Migration("0008_view_indexes", _view_indexes),
    Migration("0009_stemmed_search_index", _stemmed_search_index),
    Migration("0010_event_summaries", _summaries),
    Migration("0011_actor_summaries", _actor_summaries),
    Migration("0012_scale_indexes", _scale_indexes),
    Migration("0013_edge_summaries", _edge_summaries),
    Migration("0014_page_indexes", _page_indexes),
    Migration("0015_quote_words_key", _quote_words_key),
)


def applied_migrations(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(schema.schema_migrations.name):
        return []
    table = schema.schema_migrations
    return list(conn.scalars(select(table.c.name).order_by(table.c.position)))


def pending_migrations(conn: Connection) -> list[Migration]:
    applied = applied_migrations(conn)
    known = [m.name for m in MIGRATIONS]
    if applied != known[: len(applied)]:
        raise StoreError(
            f"store schema {applied} does not match this dyadlens ({known}); "
            "it was written by another version"
        )
    return list(MIGRATIONS[len(applied) :])


def migrate(backend: Backend) -> list[str]:
    """Apply every pending step in one transaction (DDL is transactional on SQLite and PostgreSQL);
    returns their names."""
    with backend.engine.connect() as conn:
        if not pending_migrations(conn):
            return []
    done: list[str] = []
    with backend.engine.connect().execution_options(write=True) as conn, conn.begin():
        # Re-read under the write lock: another process may have migrated meanwhile.
        schema.schema_migrations.create(conn, checkfirst=True)
        pending = pending_migrations(conn)
        position = len(MIGRATIONS) - len(pending)
        for offset, migration in enumerate(pending):
            migration.apply(conn, backend)
            conn.execute(
                schema.schema_migrations.insert().values(
                    name=migration.name,
                    position=position + offset + 1,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
            done.append(migration.name)
    return done
