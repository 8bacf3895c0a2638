"""Plain functions behind ``dyadlens score`` and ``dyadlens eval``.

``evaluate`` runs the full pipeline over a folder of documents into a
throwaway store, exports the store in the gold format and scores it, so the
quality-gate test and the command measure exactly the same thing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadlens.errors import InputError
from dyadlens.evaluation.clusters import read_cluster_gold, score_clusters, system_clusters
from dyadlens.evaluation.gold import read_gold_lines, records_to_gold
from dyadlens.evaluation.names import ActorNames, default_actors_path, load_actor_names
from dyadlens.evaluation.scorer import Report, score
from dyadlens.model import DocumentRecords, Failure

if TYPE_CHECKING:
    from dyadlens.pipeline import PipelineConfig
    from dyadlens.resources import Resources


def resolve_actor_names(actors_path: Path | None) -> ActorNames:
    """The canonical actor table: the given file, else ``../shared/eval/actors.tsv`` from the cwd."""
    return load_actor_names(actors_path or default_actors_path())


def load_document_texts(docs_path: Path) -> dict[str, str]:
    """Document texts by doc id (and by file stem), read exactly as the ingest readers read them."""
    from dyadlens.ingest.discover import discover
    from dyadlens.ingest.readers import read_document

    if not docs_path.exists():
        raise InputError(str(docs_path), "documents path not found")
    texts: dict[str, str] = {}
    for raw in discover([docs_path]):
        if isinstance(raw, Failure):
            continue
        document = read_document(raw)
        texts[document.id] = document.text
        texts.setdefault(Path(raw.path).stem, document.text)
    return texts


def score_files(system_path: Path, gold_path: Path, docs_path: Path, actors_path: Path | None = None) -> Report:
    """Score a system file in the gold format against a gold file."""
    names = resolve_actor_names(actors_path)
    return score(read_gold_lines(system_path), read_gold_lines(gold_path), load_document_texts(docs_path), names)


def evaluate(
    gold_path: Path,
    docs_path: Path,
    resources: Resources,
    actors_path: Path | None = None,
    *,
    upto: str | None = None,
    config: PipelineConfig | None = None,
    clusters_path: Path | None = None,
    names: ActorNames | None = None,
) -> Report:
    """Run the pipeline (``config``, default the default pipeline; all stages, or up to ``upto``)
    over ``docs_path`` in a temporary store and score it against the gold; with ``clusters_path``
    (a cluster gold over the same gold), score event identity too (:mod:`dyadlens.evaluation.clusters`).
    ``names``, an actor table in memory, replaces ``actors_path`` (the quality gate's in-repo sets)."""
    names = names if names is not None else resolve_actor_names(actors_path)
    gold = read_gold_lines(gold_path)
    cluster_gold = read_cluster_gold(clusters_path, gold) if clusters_path is not None else None
    if not docs_path.exists():
        raise InputError(str(docs_path), "documents path not found")
    with tempfile.TemporaryDirectory(prefix="dyadlens-eval-") as tmp:
        records, failures = system_records(docs_path, Path(tmp) / "eval.db", resources, upto, config)
    system, texts = _export(records)
    report = score(system, gold, texts, names)
    report.warnings.extend(f"{f.doc_id or f.path}: not ingested ({f.stage}: {f.reason})" for f in failures)
    if cluster_gold is not None:
        report.clustering = score_clusters(records, report.documents, cluster_gold, system_clusters(records))
    return report


def system_output(
    docs_path: Path,
    db_path: Path,
    resources: Resources,
    upto: str | None = None,
    config: PipelineConfig | None = None,
) -> tuple[list[dict[str, Any]], dict[str, str], list[Failure]]:
    """Ingest ``docs_path`` into a new store at ``db_path``: its gold-format lines, texts and failures."""
    records, failures = system_records(docs_path, db_path, resources, upto, config)
    lines, texts = _export(records)
    return lines, texts, failures


def system_records(
    docs_path: Path,
    db_path: Path,
    resources: Resources,
    upto: str | None = None,
    config: PipelineConfig | None = None,
) -> tuple[list[DocumentRecords], list[Failure]]:
    """Ingest ``docs_path`` into a new store at ``db_path``: the stored records and the failures."""
    from dyadlens.pipeline import build_pipeline
    from dyadlens.runner import ingest
    from dyadlens.store import open_store

    store = open_store(db_path)
    try:
        ingested = ingest([docs_path], store, build_pipeline(resources, upto=upto, config=config))
        return list(store.iter_records()), list(ingested.failed)
    finally:
        store.close()


def _export(all_records: Iterable[DocumentRecords]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    lines: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    for records in all_records:
        lines.append(records_to_gold(records))
        texts[records.document.id] = records.document.text
    return lines, texts
