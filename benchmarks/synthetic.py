"""A deterministic synthetic store, large enough to time the views (benchmarks/views.py).

``python benchmarks/synthetic.py OUT.db --documents 200000`` writes N documents
and what the pipeline would have stored for them straight into the store's
schema (``dyadlens.store.schema``), with no pipeline run:

- documents of 14-26 short synthetic sentences (about 300 words, 2 kB), published
  on days spread over 25 years (2000-2024) in ingest order, from 12 outlets;
- ``sentences`` (all analysed) and their full-text index (through the backend);
- events, about 14 per document: source and target drawn from an actor list
  whose use is skewed (Zipf, exponent 1.1: the first actors are in most documents):
  the shipped KB's states, organisations and armed groups (the usual names of the
  news first), then names the KB does not know (unresolved actors),
  CAMEO codes from the ontology (skewed too), mostly asserted, dated from the
  document (day, month, year or undated); each act in a cluster of its own or, for
  about a third, in the cluster of the same dyad and code reported in the last
  few hundred documents (so real events have 1-5 reports across outlets); 2% are
  standing facts (no cluster);
- the clusters with their consolidated fields (the lead's) and counts, computed
  in SQL from the events once they are all in (so memory stays bounded); one
  ``actors`` row per document and actor, one mention per side of each event,
  quotes (about 1.5 per document, each a whole sentence, with its words key)
  and designations (one per 20 documents).

The secondary indexes of the large tables and the triggers that keep the event
summaries (``dyadlens.store.summaries``) are dropped while the rows go in; the
indexes are built at the end, the summaries computed from the events (the
rebuild, the same ``INSERT ... SELECT`` as migration 0010) and the triggers
restored, then ``ANALYZE`` gathers the planner's statistics.

The same seed gives the same store. Rows go in one transaction per chunk of
documents: on SQLite through ``INSERT``s executed with many rows at once
(executemany), on PostgreSQL (a ``postgresql://`` target) by ``COPY`` (psycopg's
``cursor.copy``; ``--executemany`` for the ``INSERT``s instead, to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, distinct, func, select, text

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.model import is_unresolved, unresolved_id
from dyadlens.store import open_store, schema, summaries
from dyadlens.store.backend import IndexedSentence
from dyadlens.store.postgres import copy_rows
from dyadlens.store.quote_words import words_key

#: The first actors of the list (KB names): those the news, and the views, are most about.
NAMED_ACTORS = (
    "Russia", "United States", "China", "Taliban", "Ukraine", "Iran", "Israel", "Pakistan", "India", "Turkey",
    "Germany", "France", "United Kingdom", "Saudi Arabia", "Syria", "Afghanistan", "Kazakhstan", "Qatar",
    "Egypt", "Japan", "North Korea", "South Korea", "Hamas", "Hezbollah", "European Union", "NATO",
    "United Nations", "Iraq", "Belarus", "Poland",
)
OUTLETS = tuple(f"Outlet {n}" for n in range(1, 13))
FIRST_DAY, DAYS = date(2000, 1, 1), 25 * 365
WORDS = ("officials", "talks", "border", "ministry", "statement", "week", "agreement", "security", "region",
         "government", "forces", "delegation", "capital", "report", "spokesman", "meeting", "trade", "aid")
VERBS = {"01": "commented on", "02": "appealed to", "03": "pledged support for", "04": "met with",
         "05": "praised", "06": "cooperated with", "07": "sent aid to", "08": "yielded to", "09": "investigated",
         "10": "demanded concessions from", "11": "criticised", "12": "rejected", "13": "threatened",
         "14": "protested against", "15": "mobilised against", "16": "cut ties with", "17": "sanctioned",
         "18": "attacked", "19": "fought", "20": "bombarded"}
MODALITY_WEIGHTS = {"asserted": 80, "negated": 6, "planned": 6, "possible": 4, "alleged": 2, "recommended": 2}


@dataclass
class Sizes:
    """How many rows of each kind the generator wrote, and how long it took."""

    documents: int = 0
    sentences: int = 0
    events: int = 0
    clusters: int = 0
    mentions: int = 0
    quotes: int = 0
    designations: int = 0
    summary_rows: int = 0
    seconds: float = 0.0


#: How many documents back an act may join the open cluster of its dyad and code.
CLUSTER_WINDOW = 300


class Generator:
    """Draws every document's rows from one seeded random generator."""

    def __init__(self, seed: int, actors: int) -> None:
        self.random = random.Random(seed)
        self.actors, self.types = actor_list(actors)
        self.actor_weights = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(actors)))
        self.codes = [c.code for c in load_ontology() if c.code[:2] in VERBS]
        self.code_weights = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.codes))))
        self.modality_weights = list(accumulate(MODALITY_WEIGHTS.values()))
        self.fillers = [" ".join(self.random.choice(WORDS) for _ in range(self.random.randint(10, 20)))
                        for _ in range(997)]
        #: dyad and code -> (the document that opened the cluster, its id, the documents in it); only
        #: clusters opened in the last CLUSTER_WINDOW documents are kept, so memory stays bounded.
        self.open_clusters: dict[tuple[str, str, str], tuple[int, str, set[str]]] = {}

    def document(self, seq: int, total: int) -> dict[str, list[dict[str, Any]]]:
        """Every row of document ``seq`` (of ``total``), by table name."""
        rnd = self.random
        doc_id = f"syn-{seq:08d}"
        day = FIRST_DAY + timedelta(days=min(DAYS - 1, int(seq * DAYS / total) + rnd.randint(0, 3)))
        outlet = rnd.choice(OUTLETS)
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (
            "documents", "sentences", "actors", "mentions", "events", "quotes", "designations")}
        pieces: list[str] = []
        offset = 0
        named: dict[str, str] = {}
        for index in range(rnd.randint(14, 26)):
            text, spans = self._sentence(rnd, named)
            start = offset
            pieces.append(text)
            offset += len(text) + 1
            rows["sentences"].append({"id": f"{doc_id}:s{index}", "doc_id": doc_id, "seq": index, "index": index,
                                      "start": start, "end": start + len(text), "paragraph": index // 3,
                                      "kind": "body", "analysed": True, "text": text})
            if spans is not None:
                self._event_rows(rows, doc_id, index, start, len(text), spans, day, seq)
        text = " ".join(pieces)
        rows["documents"].append(self._document_row(doc_id, seq, text, day, outlet))
        rows["actors"] = [{"doc_id": doc_id, "id": actor_id, "seq": n, "name": name, "type": self.types[actor_id],
                           "resolved": not is_unresolved(actor_id)}
                          for n, (actor_id, name) in enumerate(sorted(named.items()))]
        self._quotes_and_designations(rows, doc_id, day)
        return rows

    def _sentence(self, rnd: random.Random, named: dict[str, str]) -> tuple[str, tuple[Any, ...] | None]:
        """A filler sentence (None) or an event sentence with its actors, code and trigger span."""
        filler = self.fillers[rnd.randrange(len(self.fillers))]
        if rnd.random() < 0.35:
            return f"The {filler}.", None
        (source, source_name), (target, target_name) = rnd.choices(self.actors, cum_weights=self.actor_weights, k=2)
        code = rnd.choices(self.codes, cum_weights=self.code_weights)[0]
        verb = VERBS[code[:2]]
        head = f"{source_name} {verb} {target_name}"
        named[source], named[target] = source_name, target_name
        verb_start = len(source_name) + 1
        spans = (source, target, code, verb_start, verb_start + len(verb), len(head) - len(target_name))
        return f"{head} on {filler}.", spans

    def _event_rows(self, rows: dict[str, list[dict[str, Any]]], doc_id: str, index: int, start: int, length: int,
                    spans: tuple[Any, ...], day: date, seq: int) -> None:
        source, target, code, verb_start, verb_end, target_start = spans
        rnd = self.random
        event_id = f"{doc_id}:e{index}"
        standing = rnd.random() < 0.02
        event = {
            "id": event_id, "doc_id": doc_id, "seq": len(rows["events"]), "start": start, "end": start + length,
            "sentence_index": index, "trigger_start": start + verb_start, "trigger_end": start + verb_end,
            "source": source, "target": target, "code": code, "root": code[:2],
            "modality": rnd.choices(list(MODALITY_WEIGHTS), cum_weights=self.modality_weights)[0],
            "date": self._event_date(rnd, day), "date_rule": "published", "entry": f"synthetic.{code}",
            "route": "svo", "source_route": "nsubj", "target_route": "dobj", "confidence": 0.5,
            "coder": "rules", "standing": standing, "cluster": None,
        }
        if not standing:
            self._cluster(event, doc_id, seq)
        rows["events"].append(event)
        for n, (actor, at) in enumerate(((source, 0), (target, target_start))):
            rows["mentions"].append({"id": f"{event_id}:m{n}", "doc_id": doc_id, "seq": len(rows["mentions"]),
                                     "start": start + at, "end": start + at + 3, "sentence_index": index,
                                     "actor_id": actor, "label": "GPE", "rule": "kb"})

    @staticmethod
    def _event_date(rnd: random.Random, day: date) -> str | None:
        precision = rnd.random()
        if precision < 0.6:
            return day.isoformat()
        if precision < 0.75:
            return day.isoformat()[:7]
        return day.isoformat()[:4] if precision < 0.8 else None

    def _cluster(self, event: dict[str, Any], doc_id: str, seq: int) -> None:
        """Put the act in the open cluster of its dyad and code (a third of the time, when one was opened
        in the last 300 documents), else in a new cluster."""
        key = (event["source"], event["target"], event["code"])
        opened = self.open_clusters.get(key)
        if opened is not None and seq - opened[0] < CLUSTER_WINDOW and doc_id not in opened[2] \
                and self.random.random() < 0.35:
            event["cluster"] = opened[1]
            opened[2].add(doc_id)
        else:
            event["cluster"] = event["id"]
            self.open_clusters[key] = (seq, event["id"], {doc_id})

    def forget_closed_clusters(self, seq: int) -> None:
        """Drop the clusters no later act can join any more."""
        self.open_clusters = {k: v for k, v in self.open_clusters.items() if seq - v[0] < CLUSTER_WINDOW}

    def _document_row(self, doc_id: str, seq: int, text: str, day: date, outlet: str) -> dict[str, Any]:
        digest = hashlib.sha256(text.encode()).hexdigest()
        return {"id": doc_id, "seq": seq, "path": f"synthetic/{doc_id}.txt", "format": "text", "text": text,
                "title": f"Report {seq} from {outlet}", "author": None, "outlet": outlet,
                "url": f"https://example.org/{doc_id}", "published": day.isoformat(), "published_source": "meta",
                "kind": "news", "raw": None, "content_hash": digest, "fingerprint": digest[:16], "duplicate_of": None,
                "meta": "{}", "pipeline": "synthetic@1", "ingested_at": "2025-01-01T00:00:00+00:00"}

    def _quotes_and_designations(self, rows: dict[str, list[dict[str, Any]]], doc_id: str, day: date) -> None:
        rnd = self.random
        sentences = rows["sentences"]
        for n in range(rnd.choice((0, 1, 2, 3))):
            sentence = rnd.choice(sentences)
            speaker, name = rnd.choices(self.actors, cum_weights=self.actor_weights)[0]
            rows["quotes"].append({"id": f"{doc_id}:q{n}", "doc_id": doc_id, "seq": n, "start": sentence["start"],
                                   "end": sentence["end"], "sentence_index": sentence["index"], "kind": "direct",
                                   "speaker": f"{name} spokesman", "speaker_actor": speaker, "cue": "said",
                                   "words_key": words_key(sentence["text"])})
        if rnd.random() < 0.05:
            (designator, _), (designee, _) = rnd.choices(self.actors, cum_weights=self.actor_weights, k=2)
            sentence = rnd.choice(sentences)
            rows["designations"].append({
                "id": f"{doc_id}:d0", "doc_id": doc_id, "seq": 0, "start": sentence["start"], "end": sentence["end"],
                "designator": designator, "designee": designee, "status": rnd.choice(("listed", "delisted")),
                "date": day.isoformat(), "rule": "synthetic", "standing": False})


def actor_list(size: int) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``size`` actors (id, name), most used first, and each one's type: the KB's, then unresolved names."""
    entities = [e for e in load_kb().entities() if e.type != "person"]
    by_name = {e.name.casefold(): e for e in entities}
    first = [by_name[name.casefold()] for name in NAMED_ACTORS if name.casefold() in by_name]
    ordered = first + [e for e in entities if e not in first]
    actors = [(e.id, e.name) for e in ordered[:size]]
    types = {e.id: e.type for e in ordered[:size]}
    for n in range(len(actors), size):
        actor_id = unresolved_id(f"Group {n}")
        actors.append((actor_id, f"Group {n}"))
        types[actor_id] = "unknown"
    return actors, types


INSERT_ORDER = ("documents", "sentences", "actors", "mentions", "events", "quotes", "designations")
#: The secondary indexes of the large tables: dropped while the rows go in, built once at the end.
BULK_INDEXES = tuple(
    index for name in ("events", "mentions", "actors", "quotes", "clusters")
    for index in sorted(schema.metadata.tables[name].indexes, key=lambda i: str(i.name))
)


def generate(target: str, documents: int, *, seed: int = 13, actors: int = 600, chunk: int = 1000,
             progress: bool = False, executemany: bool = False) -> Sizes:
    """Fill a new store at ``target`` (a path or a database URL) with ``documents`` synthetic documents;
    ``executemany`` on PostgreSQL: the rows by executemany instead of ``COPY`` (the way it was before)."""
    started = time.perf_counter()
    store = open_store(target)
    generator = Generator(seed, actors)
    sizes = Sizes()
    with store.transaction() as conn:
        summaries.drop_triggers(conn)  # row by row they would cost more than the load: rebuilt at the end
        for index in BULK_INDEXES:
            index.drop(conn, checkfirst=True)
    try:
        for first in range(0, documents, chunk):
            batch = [generator.document(seq, documents) for seq in range(first, min(documents, first + chunk))]
            _write_chunk(store, batch, sizes, executemany)
            generator.forget_closed_clusters(first + len(batch))
            if progress:
                print(f"{first + len(batch)} documents, {sizes.events} events, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        finish(store, sizes)
    finally:
        store.close()
    sizes.seconds = time.perf_counter() - started
    return sizes


def finish(store: Any, sizes: Sizes) -> None:
    """What follows the rows: the clusters, the indexes, the summaries and their triggers, the statistics.

    Also completes a store whose generation stopped after its last chunk (``--finish``)."""
    with store.transaction() as conn:
        summaries.drop_triggers(conn)
        conn.execute(schema.clusters.delete())
        sizes.clusters = conn.execute(schema.clusters.insert().from_select(CLUSTER_COLUMNS, cluster_rows())).rowcount
    with store.transaction() as conn:
        for index in BULK_INDEXES:
            index.create(conn, checkfirst=True)
    with store.transaction() as conn:
        sizes.summary_rows = summaries.rebuild(conn)  # the same INSERT ... SELECT as migration 0010
        summaries.create_triggers(conn)
    with store.transaction() as conn:
        conn.exec_driver_sql("ANALYZE")  # the planner's statistics: without them it picks low-cardinality indexes


CLUSTER_COLUMNS = ("id", "lead", "source", "target", "code", "root", "modality", "date", "reports", "documents",
                   "outlets", "first_seen", "last_seen")


def cluster_rows() -> Any:
    """Every cluster's row from its reports: the lead is the report that opened it (its id is the
    cluster's), its fields are the lead's, the counts GDELT's NumMentions, NumArticles and NumSources."""
    events, documents = schema.events, schema.documents
    told = (
        select(events.c.cluster.label("cluster"), func.count().label("reports"),
               func.count(distinct(events.c.doc_id)).label("documents"),
               func.count(distinct(documents.c.outlet)).label("outlets"),
               func.min(documents.c.published).label("first_seen"), func.max(documents.c.published).label("last_seen"))
        .select_from(events.join(documents, documents.c.id == events.c.doc_id))
        .where(events.c.cluster.is_not(None))
        .group_by(events.c.cluster)
        .subquery()
    )
    lead = events.alias("lead")
    return select(lead.c.id, lead.c.id, lead.c.source, lead.c.target, lead.c.code, lead.c.root, lead.c.modality,
                  lead.c.date, told.c.reports, told.c.documents, told.c.outlets, told.c.first_seen,
                  told.c.last_seen).join_from(told, lead, lead.c.id == told.c.cluster)


def _write_chunk(store: Any, batch: list[dict[str, list[dict[str, Any]]]], sizes: Sizes, executemany: bool) -> None:
    """One transaction: every table's rows of the chunk in one ``COPY`` or executemany each, then the search index."""
    with store.transaction() as conn:
        copy = conn.dialect.name == "postgresql" and not executemany
        for name in INSERT_ORDER:
            rows = [row for doc in batch for row in doc[name]]
            if name == "sentences":
                rows = [{k: v for k, v in row.items() if k != "text"} for row in rows]
            if rows:
                _insert(conn, schema.metadata.tables[name], rows, copy)
        _index_sentences(store, conn, batch, copy)
    sizes.documents += len(batch)
    for name in ("sentences", "events", "mentions", "quotes", "designations"):
        setattr(sizes, name, getattr(sizes, name) + sum(len(doc[name]) for doc in batch))


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]], copy: bool) -> None:
    """``rows`` (all with the same keys) in one go: ``COPY`` (PostgreSQL), else one executemany through the
    driver, the statement compiled once for the connection's dialect and no per-row parameter processing done."""
    names = list(rows[0])
    if copy:
        copy_rows(conn, table.name, names, ([row[name] for name in names] for row in rows))
        return
    statement = table.insert().values({name: bindparam(name) for name in names}).compile(dialect=conn.dialect)
    if conn.dialect.paramstyle in ("qmark", "format", "numeric"):
        order = statement.positiontup or names
        conn.exec_driver_sql(str(statement), [tuple(row[name] for name in order) for row in rows])
    else:
        conn.exec_driver_sql(str(statement), rows)


def _index_sentences(store: Any, conn: Any, batch: list[dict[str, list[dict[str, Any]]]], copy: bool) -> None:
    """Hand the chunk's sentences to the backend's search index, by the integer keys the store gave them
    (on PostgreSQL without ``copy``: by the executemany ``INSERT`` the backend used before it copied)."""
    s = schema.sentences
    sentences = [row for doc in batch for row in doc["sentences"]]
    ids = [row["id"] for row in sentences]
    keys = dict(conn.execute(s.select().with_only_columns(s.c.id, s.c.row).where(s.c.id.in_(ids))).all())
    indexed = [IndexedSentence(keys[row["id"]], row["doc_id"], row["text"]) for row in sentences]
    if conn.dialect.name == "postgresql" and not copy:
        conn.execute(text('INSERT INTO sentence_search ("row", doc_id, text) VALUES (:row, :doc_id, :text)'),
                     [{"row": s.row, "doc_id": s.doc_id, "text": s.text} for s in indexed])
    else:
        store.backend.index_sentences(conn, indexed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="the new store: a file path or a database URL")
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--actors", type=int, default=600, help="KB actors first, then unresolved names")
    parser.add_argument("--chunk", type=int, default=1000, help="documents per transaction")
    parser.add_argument("--finish", action="store_true",
                        help="complete a store whose rows are all in (clusters, indexes, summaries, statistics)")
    parser.add_argument("--executemany", action="store_true",
                        help="on PostgreSQL, insert the rows by executemany instead of COPY (to compare)")
    args = parser.parse_args(argv)
    if args.finish:
        store, sizes = open_store(args.target), Sizes()
        try:
            finish(store, sizes)
        finally:
            store.close()
        print(json.dumps(sizes.__dict__))
        return
    if "://" not in args.target and Path(args.target).exists():
        parser.error(f"{args.target} exists: the generator writes a new store")
    sizes = generate(args.target, args.documents, seed=args.seed, actors=args.actors, chunk=args.chunk,
                     progress=True, executemany=args.executemany)
    print(json.dumps(sizes.__dict__))


if __name__ == "__main__":
    main()
