"""Ingest on a real Dask cluster (``distributed.LocalCluster``, 2 worker processes), and batched writes.

One cluster serves the module. The corpus is the sample corpus plus a broken
PDF; the pipeline config adds a stage (``tests/extensions/kill_once.py``)
that kills the worker process holding one document the first time it runs.
The store the cluster fills must equal the one a single-process ingest
fills, table by table.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from dyadlens.cli import main
from dyadlens.distributed import pipeline_signature
from dyadlens.errors import DyadlensError
from dyadlens.ingest.discover import discover
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.partitioned import ingest_partitioned, load_folder
from dyadlens.pipeline import PipelineConfig, build_pipeline
from dyadlens.resources import Resources
from dyadlens.runner import IngestReport, PipelineSpec, ingest
from dyadlens.store import Store, open_store
from dyadlens.store.partitions import Manifest, write_partition
from dyadlens.store.schema import EXPORTABLE, clusters
from dyadlens.store.store import WriteResult
from dyadlens.store.summaries import stale_rows

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

EXTENSIONS = Path(__file__).resolve().parent / "extensions"
DEFAULT_TOML = (Path(__file__).resolve().parent.parent / "src" / "dyadlens" / "pipeline.toml").read_text("utf-8")
KILLED_DOC = "2024-03-crocus-attack"
#: Columns that hold the time of the write, which differs between any two runs.
WRITE_TIMES = {"ingested_at", "time"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    shutil.copytree(examples_dir, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n")  # cut off
    return folder


@pytest.fixture(scope="module")
def spec(corpus: Path) -> PipelineSpec:
    return _killing_spec(corpus, "killed-once")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A client of a local cluster whose worker processes import ``tests/extensions`` as this one does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(EXTENSIONS))
        patch.setenv("PYTHONPATH", str(EXTENSIONS))
        with (
            distributed.LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as dask_client,
        ):
            yield dask_client


@pytest.fixture(scope="module")
def reference(corpus: Path, spec: PipelineSpec, client: Any) -> Iterator[Store]:
    """The store a one-process ingest fills with the same config (its kill stage does nothing here)."""
    assert str(EXTENSIONS) in sys.path
    with open_store(corpus.parent / "one-process.db") as store:
        ingest([corpus], store, spec)
        yield store


@pytest.fixture(scope="module")
def on_cluster(corpus: Path, spec: PipelineSpec, client: Any) -> Iterator[tuple[Store, IngestReport]]:
    with open_store(corpus.parent / "cluster.db") as store:
        yield store, ingest([corpus], store, spec, client=client, batch_size=4)


def test_the_cluster_stores_what_one_process_stores(reference: Store, on_cluster: tuple[Store, IngestReport]) -> None:
    store, _report = on_cluster
    assert store.stats()["documents"] == 9
    for table in ("documents", "events", "quotes", "designations", "sentences", "mentions", "failures"):
        assert table in EXPORTABLE
    for table in EXPORTABLE:
        assert _rows(store, table) == _rows(reference, table), table
    assert _clusters(store) and _clusters(store) == _clusters(reference)
    assert store.integrity_check() == []


def test_a_document_that_fails_in_the_pipeline_is_recorded_and_the_others_are_stored(
    on_cluster: tuple[Store, IngestReport],
) -> None:
    store, report = on_cluster
    assert [(Path(f.path).name, f.stage) for f in report.failed] == [("broken.pdf", "read")]
    assert [Path(f.path).name for f in store.failures()] == ["broken.pdf"]
    assert len(report.stored) == 9


def test_the_documents_of_a_killed_worker_are_run_again_and_stored(
    corpus: Path, on_cluster: tuple[Store, IngestReport]
) -> None:
    store, report = on_cluster
    assert (corpus.parent / "killed-once").exists()  # the worker holding it was killed
    assert KILLED_DOC in report.stored
    records = store.load_records(KILLED_DOC)
    assert records is not None and records.events


def test_a_rerun_on_the_cluster_skips_everything_stored(
    corpus: Path, spec: PipelineSpec, client: Any, on_cluster: tuple[Store, IngestReport]
) -> None:
    store, first = on_cluster
    before = _rows(store, "documents")
    again = ingest([corpus], store, spec, client=client)
    assert again.stored == []
    assert sorted(again.skipped) == sorted(first.stored)
    assert [Path(f.path).name for f in again.failed] == ["broken.pdf"]  # a failure is tried again
    assert _rows(store, "documents") == before


def test_a_batch_with_a_refused_document_stores_the_others(tmp_path: Path, examples_dir: Path) -> None:
    records = _sentence_records(examples_dir)[:3]
    other = DocumentRecords(document=_with_content_hash(records[1].document, "0" * 40))
    with open_store(tmp_path / "batch.db") as store:
        store.write(records[1])
        written = store.write_batch([records[0], other, records[2]])
        assert [type(result).__name__ for result in written] == ["WriteResult", "StoreError", "WriteResult"]
        assert "already holds other content" in str(written[1])
        assert store.document_ids() == [records[1].document.id, records[0].document.id, records[2].document.id]
        stored = store.load_records(records[1].document.id)
        assert stored is not None and stored.document.content_hash == records[1].document.content_hash
        assert store.integrity_check() == []


def test_a_batched_run_stores_what_a_run_of_single_writes_stores(tmp_path: Path, examples_dir: Path) -> None:
    spec = PipelineSpec(upto="sentences")
    with open_store(tmp_path / "one.db") as single, open_store(tmp_path / "many.db") as batched:
        ingest([examples_dir], single, spec, batch_size=1)
        ingest([examples_dir], batched, spec, batch_size=50)
        for table in EXPORTABLE:
            assert _rows(batched, table) == _rows(single, table), table


def test_cli_ingest_on_a_running_scheduler(tmp_path: Path, examples_dir: Path, client: Any) -> None:
    address = client.scheduler.address
    args = ["--db", str(tmp_path / "cli.db"), "--json", "ingest", str(examples_dir), "--upto", "sentences"]
    result = CliRunner().invoke(main, [*args, "--scheduler", address, "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["stored"]) == report["store"]["documents"] == 9
    assert report["pipeline"] == "clean@1,sentences@1"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (["--cluster", "remote"], "expected local or local:N"),
        (["--cluster", "local:0"], "expected local or local:N"),
        (["--cluster", "local:2", "--workers", "2"], "exclude each other"),
    ],
)
def test_cli_refuses_a_cluster_it_cannot_start(
    tmp_path: Path, examples_dir: Path, options: list[str], error: str
) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "cli.db"), "ingest", str(examples_dir), *options])
    assert result.exit_code != 0
    assert error in result.output
    assert not (tmp_path / "cli.db").exists()


class StoreInterruptedInABatch(Store):
    """A store that receives Ctrl-C in the middle of every batch it writes."""

    def write_batch(self, batch: Sequence[DocumentRecords], **options: Any) -> list[WriteResult | Exception]:
        os.kill(os.getpid(), signal.SIGINT)
        return super().write_batch(batch, **options)


def test_ctrl_c_during_a_batch_lets_the_whole_batch_finish_and_stops(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(5):
        (corpus / f"note-{number}.txt").write_text(f"Ministers met for talks number {number}.\n", encoding="utf-8")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with open_store(tmp_path / "batch.db") as store:
            report = ingest([corpus], StoreInterruptedInABatch(store.backend), PipelineSpec(upto="sentences"),
                            batch_size=2)
            assert report.interrupted
            assert report.stored == store.document_ids() == ["note-0", "note-1"]
            assert store.integrity_check() == []
    finally:
        signal.signal(signal.SIGINT, previous)


# --- partitions: workers write Parquet, the store bulk-loads it ------------------------------------


@pytest.fixture(scope="module")
def partitioned(corpus: Path, client: Any) -> Iterator[tuple[Store, IngestReport, Path]]:
    """An ingest through partitions of 3 documents; the worker holding the killed document dies once
    more (its own marker), so its partition is written again by another worker."""
    folder = corpus.parent / "partitions"
    with open_store(corpus.parent / "partitioned.db") as store:
        report = ingest_partitioned(discover([corpus]), store, _killing_spec(corpus, "killed-in-partition"), client,
                                    folder, size=3)
        yield store, report, folder


def test_partitions_bulk_loaded_store_what_one_process_stores(
    corpus: Path, reference: Store, partitioned: tuple[Store, IngestReport, Path]
) -> None:
    store, report, folder = partitioned
    assert (corpus.parent / "killed-in-partition").exists()  # a worker died writing one partition
    assert len(report.stored) == 9 and KILLED_DOC in report.stored
    assert [(Path(f.path).name, f.stage) for f in report.failed] == [("broken.pdf", "read")]
    listed = [p.file for p in Manifest.open(folder).partitions]
    assert len(listed) == 4 and sorted(listed) == sorted(p.name for p in folder.glob("*.parquet"))
    _assert_same_store(store, reference)


def test_a_rerun_through_partitions_skips_everything_stored_and_writes_no_partition(
    corpus: Path, client: Any, partitioned: tuple[Store, IngestReport, Path]
) -> None:
    store, first, folder = partitioned
    before = sorted(folder.glob("*.parquet"))
    again = ingest_partitioned(discover([corpus]), store, _killing_spec(corpus, "killed-in-partition"), client, folder)
    assert again.stored == [] and sorted(again.skipped) == sorted(first.stored)
    assert [Path(f.path).name for f in again.failed] == ["broken.pdf"]
    assert sorted(folder.glob("*.parquet")) == before


def test_partitions_load_into_either_backend_as_a_plain_ingest_stores(
    store_url: str, reference: Store, partitioned: tuple[Store, IngestReport, Path]
) -> None:
    _store, _report, folder = partitioned
    with open_store(store_url) as store:
        report = load_folder(store, folder)
        assert len(report.stored) == 9 and not report.failed
        _assert_same_store(store, reference, failures=False)
        again = load_folder(store, folder)
        assert again.stored == [] and sorted(again.skipped) == sorted(report.stored)


@pytest.mark.parametrize("damaged", [1, -1], ids=["middle", "last"])
def test_a_damaged_partition_is_refused_by_name_the_others_load_and_a_rerun_finishes(
    tmp_path: Path, reference: Store, partitioned: tuple[Store, IngestReport, Path], damaged: int
) -> None:
    folder = tmp_path / "partitions"
    shutil.copytree(partitioned[2], folder)
    entry = Manifest.open(folder).partitions[damaged]
    part = folder / entry.file
    whole = part.read_bytes()
    part.write_bytes(whole[: len(whole) // 2])  # half-written
    with open_store(tmp_path / "resumed.db") as store:
        first = load_folder(store, folder)
        assert [(f.path, f.stage) for f in first.failed] == [(str(part), "load")]
        assert part.name in first.failed[0].reason and "damaged" in first.failed[0].reason
        assert len(first.stored) == store.stats()["documents"] == 9 - len(entry.doc_ids)
        assert store.integrity_check() == []
        part.write_bytes(whole)
        second = load_folder(store, folder)
        assert not second.failed and second.stored == list(entry.doc_ids) and len(second.skipped) == len(first.stored)
        assert store.failures() == []  # the partition's failure went with its load
        if damaged == -1:  # loaded in the same order as in one go: the same store
            _assert_same_store(store, reference, failures=False)
            return
        # A late partition's documents come last in ingest order, as a re-ingest's would, which decides
        # which of two copies is the duplicate and the clusters' ids; every document and record is the same.
        for table in EXPORTABLE:
            if table != "failures":
                assert _rows(store, table, loose=True) == _rows(reference, table, loose=True), table
        assert len(_clusters(store)) == len(_clusters(reference))
        assert store.integrity_check() == []


def test_a_partition_document_with_other_content_is_refused_alone_unless_replace(
    tmp_path: Path, examples_dir: Path
) -> None:
    records = _sentence_records(examples_dir)[:3]
    other = DocumentRecords(document=_with_content_hash(records[1].document, "0" * 40))
    folder = tmp_path / "partitions"
    manifest = Manifest.open(folder)
    manifest.add(write_partition(folder, "part-0.parquet", records, "clean@1,sentences@1"))
    with open_store(tmp_path / "refuse.db") as store:
        store.write(other, pipeline="clean@1,sentences@1")
        report = load_folder(store, folder)
        assert [(f.doc_id, f.stage) for f in report.failed] == [(records[1].document.id, "store")]
        assert "already holds other content" in report.failed[0].reason
        assert len(report.stored) == 2 and store.stats()["documents"] == 3
        assert store.stored_input(records[1].document.id).content_hash == "0" * 40  # type: ignore[union-attr]
        replaced = load_folder(store, folder, replace=True)
        assert not replaced.failed and replaced.stored == [records[1].document.id]
        assert store.stored_input(records[1].document.id).content_hash == records[1].document.content_hash  # type: ignore[union-attr]
        assert store.integrity_check() == []


def test_cli_ingest_partitions_and_load(tmp_path: Path, examples_dir: Path, client: Any) -> None:
    folder = tmp_path / "parts"
    args = ["--db", str(tmp_path / "cli.db"), "--json", "ingest", str(examples_dir), "--upto", "sentences"]
    options = ["--scheduler", client.scheduler.address, "--partitions", str(folder), "--batch-size", "4"]
    result = CliRunner().invoke(main, [*args, *options])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["stored"]) == 9
    loaded = CliRunner().invoke(main, ["--db", str(tmp_path / "loaded.db"), "--json", "load", str(folder)])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["store"]["documents"] == 9
    alone = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "ingest", str(examples_dir), *options[2:]])
    assert alone.exit_code != 0 and "--partitions needs --cluster" in alone.output


def test_every_worker_builds_the_pipeline_before_any_input_is_sent(spec: PipelineSpec, client: Any) -> None:
    import built_pipelines

    signature = pipeline_signature(client, spec)
    built = client.run(built_pipelines.signatures)
    assert len(built) == 2 and all(signature in signatures for signatures in built.values())


def test_workers_that_build_different_pipelines_are_refused(spec: PipelineSpec, client: Any) -> None:
    import built_pipelines

    first = sorted(client.scheduler_info()["workers"])[0]
    client.run(built_pipelines.build_other_under, spec, PipelineSpec(upto="sentences"), workers=[first])
    try:
        with pytest.raises(DyadlensError, match="workers build different pipelines"):
            pipeline_signature(client, spec)
    finally:
        client.run(built_pipelines.forget, spec, workers=[first])


def _assert_same_store(store: Store, reference: Store, failures: bool = True) -> None:
    for table in EXPORTABLE:
        if table != "failures" or failures:
            assert _rows(store, table) == _rows(reference, table), table
    assert _clusters(store) and _clusters(store) == _clusters(reference)
    assert store.integrity_check() == []
    with store.reader() as conn:
        assert stale_rows(conn) == []  # the summary tables' triggers fired for the bulk rows too


def _killing_spec(corpus: Path, marker_name: str) -> PipelineSpec:
    marker = corpus.parent / marker_name
    killer = (
        f'[[stage]]\nname = "kill_once"\nfactory = "tests.kill_once.v1"\n'
        f'options = {{ marker = "{marker}", doc_id = "{KILLED_DOC}" }}\n\n'
    )
    text = 'imports = ["kill_once"]\n' + DEFAULT_TOML.replace("\n[[stage]]", "\n" + killer + "[[stage]]", 1)
    return PipelineSpec(config=PipelineConfig.parse(text, source="kill-once.toml"))


def _rows(store: Store, table: str, loose: bool = False) -> list[dict[str, Any]]:
    """The table's rows without their write times; ``loose``: nor what follows from the ingest order
    (``seq``, a sentence's ``row``, which copy is the duplicate, the cluster ids), sorted by id."""
    left_out = WRITE_TIMES | ({"seq", "row", "cluster", "duplicate_of"} if loose else set())
    rows = [{k: v for k, v in row.items() if k not in left_out} for row in store.rows(table)]
    return sorted(rows, key=lambda row: str(row.get("id"))) if loose else rows


def _clusters(store: Store) -> list[dict[str, Any]]:
    with store.reader() as conn:
        return [dict(row) for row in conn.execute(select(clusters).order_by(clusters.c.id)).mappings()]


def _sentence_records(folder: Path) -> list[DocumentRecords]:
    pipeline = build_pipeline(Resources(), upto="sentences")
    return [pipeline(raw) for raw in discover([folder]) if isinstance(raw, RawInput)]


def _with_content_hash(document: Any, content_hash: str) -> Any:
    import dataclasses

    return dataclasses.replace(document, content_hash=content_hash)
