"""Ingest through partitions: workers write Parquet, the store bulk-loads it (``ingest --partitions DIR``, ``load``).

:func:`ingest_partitioned` settles each input as a plain ingest does (skipped,
``ID~HASH``, refused: :class:`~dyadlens.runner._Placement`), hands the inputs
to the cluster in chunks, and each task runs the pipeline over its chunk and
writes the records as one partition file (:mod:`dyadlens.store.partitions`)
in the folder; the client records it in the folder's manifest and loads it
in one transaction (:mod:`dyadlens.store.bulk`), partitions in input order, so
the store equals a plain ingest's. The records never travel through the
client as Python objects.

:func:`load_folder` (``dyadlens load DIR``) loads a folder's partitions,
manifest order; a partition whose documents are all stored already is skipped,
so it finishes a run whose client stopped before loading everything. A
partition that cannot be read is one failure naming its file; the others load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from dyadlens.errors import StoreError
from dyadlens.model import Failure, RawInput
from dyadlens.runner import COUNTED, IngestReport, PipelineSpec, Progress, _interrupts_held, _Placement, _Run
from dyadlens.store import Store
from dyadlens.store.bulk import LoadedDocument, load_partition
from dyadlens.store.partitions import Manifest, PartitionError, WrittenPartition, read_partition

if TYPE_CHECKING:
    from distributed import Client

#: Documents per partition when ``--batch-size`` is not given: one transaction each.
DEFAULT_PARTITION_SIZE = 100


def ingest_partitioned(
    items: Iterable[RawInput | Failure],
    store: Store,
    spec: PipelineSpec,
    client: Client,
    folder: Path,
    *,
    size: int = DEFAULT_PARTITION_SIZE,
    replace: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestReport:
    """Run the pipeline on the cluster, partitions written to ``folder``, each loaded as it comes in."""
    from dyadlens.distributed import map_partitions, pipeline_signature

    if size < 1:
        raise ValueError("a partition holds at least one document")
    run = _Run(store=store, on_progress=on_progress, placement=_Placement(store, replace))
    manifest = Manifest.open(folder)
    try:
        run.report.pipeline = pipeline_signature(client, spec)
        for chunk, (written, failures) in map_partitions(client, spec, _chunked(run.to_process(items), size), folder):
            with _interrupts_held():
                if written is not None:
                    manifest.add(written)
                loaded = _load(store, folder, written, replace) if written is not None else []
                _report_chunk(run, chunk, failures, loaded)
    except KeyboardInterrupt:
        run.report.interrupted = True
    return run.report


def load_folder(
    store: Store, folder: Path, *, replace: bool = False, on_progress: Callable[[Progress], None] | None = None
) -> IngestReport:
    """Load every partition the folder's manifest lists, in its order (see the module's docstring)."""
    if not (folder / "manifest.json").is_file():
        raise StoreError(f"{folder}: no manifest.json here: not a partitions folder")
    run = _Run(store=store, on_progress=on_progress, placement=_Placement(store, replace))
    try:
        for written in Manifest.open(folder).partitions:
            run.report.pipeline = written.pipeline
            with _interrupts_held():
                loaded = _load(store, folder, written, replace)
                if isinstance(loaded, Failure):
                    run.fail(loaded)
                    continue
                for doc in loaded:
                    _report_loaded(run, doc, path=doc.path, notes=())
    except KeyboardInterrupt:
        run.report.interrupted = True
    return run.report


def _chunked(raws: Iterator[RawInput], size: int) -> Iterator[list[RawInput]]:
    chunk: list[RawInput] = []
    for raw in raws:
        chunk.append(raw)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load(store: Store, folder: Path, written: WrittenPartition, replace: bool) -> list[LoadedDocument] | Failure:
    """The partition loaded in one transaction, or the failure that left all of it out."""
    path = folder / written.file
    try:
        return load_partition(store, read_partition(path, written.sha256), replace=replace)
    except PartitionError as error:
        return Failure(str(path), str(error), stage="load")
    except (StoreError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", None) or error)
        return Failure(str(path), f"{path}: partition not loaded, nothing of it stored: {reason}", stage="load")


def _report_chunk(run: _Run, chunk: list[RawInput], failures: list[Failure],
                  loaded: list[LoadedDocument] | Failure) -> None:
    """Report a chunk's inputs in input order: failed in the pipeline, in the load, or loaded."""
    failed = {f.doc_id: f for f in failures}
    by_id = {doc.doc_id: doc for doc in loaded} if isinstance(loaded, list) else {}
    for raw in chunk:
        notes = run.notes.pop(raw.doc_id, ())
        if raw.doc_id in failed:
            run.fail(failed[raw.doc_id])
        elif isinstance(loaded, Failure):
            run.fail(Failure(raw.path, loaded.reason, stage="load", doc_id=raw.doc_id))
        else:
            _report_loaded(run, by_id[raw.doc_id], path=raw.path, notes=notes)


def _report_loaded(run: _Run, doc: LoadedDocument, *, path: str, notes: tuple[str, ...]) -> None:
    report = run.report
    if isinstance(doc.result, StoreError):
        run.fail(Failure(path, str(doc.result), stage="store", doc_id=doc.doc_id))
    elif doc.result is None:
        report.skipped.append(doc.doc_id)
        run.progress(path, doc.doc_id, "skipped")
    else:
        report.stored.append(doc.doc_id)
        report.counts.update({name: doc.counts.get(name, 0) for name in COUNTED})
        if doc.result.duplicate_of:
            report.duplicates[doc.doc_id] = doc.result.duplicate_of
        warnings = (*notes, *doc.warnings)
        report.warnings.extend((path, text) for text in warnings)
        run.progress(path, doc.doc_id, "duplicate" if doc.result.duplicate_of else "stored", warnings=warnings)
