"""The batch runner: failures recorded per input, unchanged inputs skipped,
interrupts stop between documents, worker processes give the same result."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadlens.errors import DyadlensError
from dyadlens.ingest.clean import Cleaner
from dyadlens.model import DocumentRecords
from dyadlens.nlp.sentences import SentenceSplitter
from dyadlens.pipeline import Pipeline
from dyadlens.runner import IngestReport, PipelineSpec, Progress, ingest
from dyadlens.state import DocState
from dyadlens.store import Store, WriteResult, open_store

SPEC = PipelineSpec(upto="sentences")


def write_corpus(folder: Path, count: int = 4) -> list[str]:
    """``count`` small articles of our own writing; returns their ids in discovery order."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for number in range(count):
        doc_id = f"brief-{number:02d}"
        (folder / f"{doc_id}.txt").write_text(
            f"Ministers met for round {number} of the water talks.\n\n"
            f"The delegations agreed to meet again within {number + 2} weeks. Observers called the tone calm.\n",
            encoding="utf-8",
        )
        ids.append(doc_id)
    return ids


class Exploding:
    """A component that fails on documents that mention a volcano."""

    name = "explode"
    version = "1"

    def __call__(self, state: DocState) -> None:
        if "volcano" in state.text:
            raise RuntimeError("cannot handle volcanoes")


class InterruptOn:
    """A component that sends this process SIGINT (Ctrl-C) while it runs on one document."""

    name = "interrupt"
    version = "1"

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id

    def __call__(self, state: DocState) -> None:
        if state.document.id == self.doc_id:
            os.kill(os.getpid(), signal.SIGINT)


class StoreInterruptedWhileWriting(Store):
    """A store that receives Ctrl-C in the middle of every write."""

    def write(self, records: DocumentRecords, *, pipeline: str = "", replace: bool = False) -> WriteResult:
        os.kill(os.getpid(), signal.SIGINT)
        return super().write(records, pipeline=pipeline, replace=replace)


def assert_complete(store: Store, doc_id: str) -> None:
    records = store.load_records(doc_id)
    assert records is not None
    assert len(records.sentences) == 3
    assert [s.index for s in records.sentences] == [0, 1, 2]


@pytest.fixture(autouse=True)
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here even when the test run inherited SIGINT ignored
    (a background job of a non-interactive shell does), as in any interactive session."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture()
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


def test_runner_stores_every_input_and_skips_them_on_a_rerun(tmp_path: Path, store: Store) -> None:
    ids = write_corpus(tmp_path / "corpus")
    first = ingest([tmp_path / "corpus"], store, SPEC)
    assert (first.stored, first.skipped, first.failed, first.interrupted) == (ids, [], [], False)
    assert first.counts["sentences"] == 12
    second = ingest([tmp_path / "corpus"], store, SPEC)
    assert (second.stored, second.skipped) == ([], ids)
    for doc_id in ids:
        assert_complete(store, doc_id)
    assert store.integrity_check() == []


def test_runner_reprocesses_a_replaced_input_or_a_changed_pipeline(tmp_path: Path, store: Store) -> None:
    ids = write_corpus(tmp_path / "corpus")
    ingest([tmp_path / "corpus"], store, SPEC)
    (tmp_path / "corpus" / "brief-01.txt").write_text("A new version of the brief. It has two sentences.\n")
    changed_input = ingest([tmp_path / "corpus"], store, SPEC, replace=True)
    assert changed_input.stored == ["brief-01"]
    longer = Pipeline([Cleaner(), SentenceSplitter(), Exploding()])
    changed_pipeline = ingest([tmp_path / "corpus"], store, longer)
    assert changed_pipeline.stored == ids
    assert store.document("brief-00") is not None
    assert store.documents()[0].pipeline == longer.signature == "clean@1,sentences@1,explode@1"


def test_runner_records_the_stage_of_a_failing_component_and_goes_on(tmp_path: Path, store: Store) -> None:
    ids = write_corpus(tmp_path / "corpus", count=3)
    volcano = tmp_path / "corpus" / "brief-01.txt"
    volcano.write_text("The volcano erupted near the border. Flights were cancelled.\n")
    pipeline = Pipeline([Cleaner(), SentenceSplitter(), Exploding()])
    report = ingest([tmp_path / "corpus"], store, pipeline)
    assert report.stored == [ids[0], ids[2]]
    assert [(f.path, f.stage, f.doc_id) for f in report.failed] == [(str(volcano), "explode", "brief-01")]
    assert "cannot handle volcanoes" in report.failed[0].reason
    assert [(f.path, f.stage) for f in store.failures()] == [(str(volcano), "explode")]
    assert store.document("brief-01") is None


def test_runner_keeps_what_is_stored_when_a_document_starts_failing(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "corpus", count=2)
    ingest([tmp_path / "corpus"], store, SPEC)
    (tmp_path / "corpus" / "brief-00.txt").write_bytes(b"")
    report = ingest([tmp_path / "corpus"], store, SPEC, replace=True)
    assert [(f.doc_id, f.reason) for f in report.failed] == [("brief-00", "empty input")]
    assert_complete(store, "brief-00")


def test_runner_stores_two_inputs_with_the_same_id_under_two_ids(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "a", count=1)
    write_corpus(tmp_path / "b", count=2)
    (tmp_path / "b" / "brief-00.txt").write_text("Other ministers met on another river.\n", encoding="utf-8")
    report = ingest([tmp_path / "a", tmp_path / "b"], store, SPEC)
    assert report.ok
    assert report.stored[0] == "brief-00" and report.stored[1].startswith("brief-00~")
    assert report.warnings == [
        (
            str(tmp_path / "b" / "brief-00.txt"),
            f"id 'brief-00' already holds another input; stored as {report.stored[1]!r}",
        )
    ]
    stored = store.document("brief-00")
    assert stored is not None and stored.path == str(tmp_path / "a" / "brief-00.txt")


def test_runner_ctrl_c_in_a_component_stops_before_that_document(tmp_path: Path, store: Store) -> None:
    ids = write_corpus(tmp_path / "corpus")
    pipeline = Pipeline([Cleaner(), SentenceSplitter(), InterruptOn("brief-02")])
    report = ingest([tmp_path / "corpus"], store, pipeline)
    assert report.interrupted
    assert report.stored == ids[:2]
    assert store.document_ids() == ids[:2]
    rerun = ingest([tmp_path / "corpus"], store, SPEC)
    assert rerun.stored == ids and not rerun.interrupted


def test_runner_ctrl_c_during_a_write_lets_that_transaction_finish(tmp_path: Path, db_path: Path) -> None:
    ids = write_corpus(tmp_path / "corpus")
    store = open_store(db_path)
    interrupted_store = StoreInterruptedWhileWriting(store.backend)
    report = ingest([tmp_path / "corpus"], interrupted_store, SPEC, batch_size=1)  # batches: test_ingest_dask.py
    assert report.interrupted
    assert report.stored == ids[:1]
    assert_complete(store, ids[0])
    assert store.document_ids() == ids[:1]
    store.close()


def test_runner_progress_reports_every_input(tmp_path: Path, store: Store) -> None:
    ids = write_corpus(tmp_path / "corpus", count=2)
    (tmp_path / "corpus" / "notes.docx").write_bytes(b"PK\x03\x04")
    seen: list[Progress] = []
    ingest([tmp_path / "corpus"], store, SPEC, on_progress=seen.append)
    outcomes = [(p.done, p.doc_id, p.outcome) for p in seen]
    assert outcomes == [(1, ids[0], "stored"), (2, ids[1], "stored"), (3, None, "failed")]
    assert seen[-1].failure is not None and "unsupported file type" in seen[-1].failure.reason


def test_runner_reports_duplicates(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "corpus", count=1)
    copy = tmp_path / "corpus" / "brief-copy.txt"
    copy.write_bytes((tmp_path / "corpus" / "brief-00.txt").read_bytes() + b"\n")
    report = ingest([tmp_path / "corpus"], store, SPEC)
    assert report.duplicates == {"brief-copy": "brief-00"}
    assert report.stored == ["brief-00", "brief-copy"]


def test_runner_workers_give_the_same_records_as_one_process(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", count=5)
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")
    results: list[tuple[IngestReport, list[DocumentRecords]]] = []
    for workers in (1, 2):
        store = open_store(tmp_path / f"workers-{workers}.db")
        report = ingest([tmp_path / "corpus"], store, SPEC, workers=workers)
        results.append((report, list(store.iter_records())))
        store.close()
    (serial, serial_records), (parallel, parallel_records) = results
    assert parallel.stored == serial.stored
    assert parallel.failed == serial.failed
    assert parallel.pipeline == serial.pipeline == "clean@1,sentences@1"
    assert [r.sentences for r in parallel_records] == [r.sentences for r in serial_records]


def test_runner_workers_that_cannot_build_the_pipeline_stop_the_batch(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "corpus", count=1)
    with pytest.raises(DyadlensError, match="could not build the pipeline: PipelineConfigError: unknown stage"):
        ingest([tmp_path / "corpus"], store, PipelineSpec(upto="no-such-stage"), workers=2)
    assert store.documents() == []


def test_runner_workers_need_a_pipeline_spec(tmp_path: Path, store: Store) -> None:
    with pytest.raises(ValueError, match="PipelineSpec"):
        ingest([tmp_path], store, Pipeline([Cleaner()]), workers=2)


class FreezeWatcher:
    """A component that notes how many objects the garbage collector holds frozen as it runs."""

    name = "freeze-watcher"
    version = "1"

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, state: DocState) -> None:
        self.seen.append(gc.get_freeze_count())


def test_loaded_objects_are_frozen_during_a_run_only(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "in", count=2)
    watcher = FreezeWatcher()
    assert gc.get_freeze_count() == 0
    report = ingest([tmp_path / "in"], store, Pipeline([Cleaner(), SentenceSplitter(), watcher]))
    assert len(report.stored) == 2
    assert len(watcher.seen) == 2 and min(watcher.seen) > 1000  # the loaded modules, the pipeline...
    assert gc.get_freeze_count() == 0  # handed back: what becomes garbage later can be collected
