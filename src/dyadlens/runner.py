"""Batch ingest: find inputs, run the pipeline over each, store the results.

:func:`ingest` is a plain function the CLI, the evaluation harness and tests
share. Finished documents are written in batches (``batch_size`` documents,
or what finished within :data:`BATCH_SECONDS`, per transaction), each
document all-or-nothing, so an interrupted run keeps every document it
finished, a killed one every batch it committed, and neither keeps half a
document; running it again skips what is already stored (same input bytes,
same pipeline) and finishes the rest. An input that fails, at any stage, is recorded in the
store's ``failures`` table with the stage and the reason, and the batch goes on.

With ``workers > 1`` the pipeline runs in worker processes, each of which
builds its own :class:`~dyadlens.resources.Resources` and pipeline once and
keeps it in its own loop (no process-wide memo); the parent process stays
the only writer. With a Dask ``client`` the pipeline runs on the cluster's
workers (:mod:`dyadlens.distributed`) and this process is the writer.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dyadlens.errors import DyadlensError, InputError, StoreError
from dyadlens.ingest.discover import DEFAULT_MAX_BYTES, discover, shown_text
from dyadlens.model import RECORD_KINDS, DocumentRecords, Failure, RawInput
from dyadlens.pipeline import DEFAULT_MAX_CHARS, ComponentError, Pipeline, PipelineConfig, build_pipeline
from dyadlens.resources import Resources
from dyadlens.store import Store
from dyadlens.store.store import WriteResult

if TYPE_CHECKING:
    from distributed import Client

Outcome = Literal["stored", "duplicate", "skipped", "failed"]

#: The record lists counted in a report, in display order.
COUNTED = tuple(kind.name for kind in RECORD_KINDS if kind.counted)

#: Documents written per transaction: one commit per document cost about twice as much store time.
DEFAULT_BATCH_SIZE = 50
#: A batch is written once its first document has waited this long, or at once when its last document
#: took this long, however few it holds: a slow pipeline still stores steadily and a killed run loses at
#: most about this much finished work.
BATCH_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """How to build a pipeline: what a worker process needs to build its own.

    ``config`` is any pipeline config (default: the default pipeline), so
    workers run exactly the pipeline the user configured.
    """

    upto: str | None = None
    kb_files: tuple[str, ...] = ()
    verb_files: tuple[str, ...] = ()
    config: PipelineConfig | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    def build(self) -> Pipeline:
        resources = Resources(
            kb_files=[Path(p) for p in self.kb_files], verb_files=[Path(p) for p in self.verb_files]
        )
        return build_pipeline(resources, upto=self.upto, config=self.config, max_chars=self.max_chars)


@dataclass(frozen=True, slots=True)
class Progress:
    """One input handled; ``done`` counts inputs handled so far in this run."""

    done: int
    path: str
    doc_id: str | None
    outcome: Outcome
    failure: Failure | None = None
    warnings: tuple[str, ...] = ()  # what was left out or changed, though the input was stored


@dataclass(slots=True)
class IngestReport:
    stored: list[str] = field(default_factory=list)  # includes duplicates
    skipped: list[str] = field(default_factory=list)  # unchanged since an earlier run
    duplicates: dict[str, str] = field(default_factory=dict)  # doc id -> the earlier doc it repeats
    failed: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what was left out or changed)
    counts: Counter[str] = field(default_factory=Counter)  # records of the stored documents
    interrupted: bool = False
    pipeline: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def as_dict(self) -> dict[str, object]:
        return {
            "stored": self.stored,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "failed": [
                {"path": f.path, "doc_id": f.doc_id, "stage": f.stage, "reason": f.reason} for f in self.failed
            ],
            "warnings": [{"path": path, "warning": text} for path, text in self.warnings],
            "counts": {name: self.counts[name] for name in COUNTED},
            "interrupted": self.interrupted,
            "pipeline": self.pipeline,
        }


def content_hash(raw: RawInput) -> str:
    return hashlib.sha1(raw.data).hexdigest()


def process(pipeline: Pipeline, raw: RawInput) -> DocumentRecords | Failure:
    """Run the pipeline over one input; a failure names the stage and the reason."""
    try:
        return pipeline(raw)
    except InputError as error:
        return Failure(raw.path, error.problem, stage="read", doc_id=raw.doc_id)
    except ComponentError as error:
        cause = error.__cause__
        reason = cause.problem if isinstance(cause, InputError) else str(error)  # a stage that refuses the input
        return Failure(raw.path, reason, stage=error.stage, doc_id=raw.doc_id)
    except Exception as error:  # noqa: BLE001 - a reader bug must not end the batch either
        return Failure(raw.path, f"{type(error).__name__}: {error}", stage="read", doc_id=raw.doc_id)


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    pipeline: Pipeline | PipelineSpec,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[Progress], None] | None = None,
    workers: int = 1,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    client: Client | None = None,
) -> IngestReport:
    """Ingest every input under ``paths`` into ``store`` (see :func:`ingest_inputs`)."""
    items = discover(paths, max_bytes)
    return ingest_inputs(
        items,
        store,
        pipeline,
        on_progress=on_progress,
        workers=workers,
        replace=replace,
        batch_size=batch_size,
        client=client,
    )


def ingest_inputs(
    items: Iterable[RawInput | Failure],
    store: Store,
    pipeline: Pipeline | PipelineSpec,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    workers: int = 1,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    client: Client | None = None,
) -> IngestReport:
    """Ingest inputs from any source (files found by discovery, pages fetched from the web) into ``store``.

    Ctrl-C stops the run after writing the documents already finished
    (``interrupted`` in the report). ``workers > 1`` and ``client`` (a Dask
    cluster's) need a :class:`PipelineSpec`, from which each worker process
    builds its own pipeline. ``replace`` lets an input replace a stored
    document of the same id that came from other bytes (see
    :class:`_Placement` for what happens without it). ``batch_size`` is the
    most documents written per transaction.
    """
    if (workers > 1 or client is not None) and not isinstance(pipeline, PipelineSpec):
        raise ValueError("workers > 1 and a cluster need a PipelineSpec: each worker process builds its own pipeline")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    run = _Run(store=store, on_progress=on_progress, placement=_Placement(store, replace), batch_size=batch_size)
    try:
        with run.batches():
            if isinstance(pipeline, PipelineSpec) and client is not None:
                run.on_cluster(items, pipeline, client)
            elif isinstance(pipeline, PipelineSpec) and workers > 1:
                run.parallel(items, pipeline, workers)
            else:
                built = pipeline.build() if isinstance(pipeline, PipelineSpec) else pipeline
                run.sequential(items, built)
    except KeyboardInterrupt:
        run.report.interrupted = True
    return run.report


#: Placed: the input under the id it is stored as, or the outcome that settles it without the pipeline.
Placed = RawInput | Literal["skipped"] | Failure


class _Placement:
    """Which id an input is stored under, so that nothing stored is replaced by accident.

    - Same id, same input bytes: the input is unchanged and skipped (it is
      processed again only when the pipeline changed), whichever path it
      comes from now.
    - Same id, other bytes, from the same file (an edited article): refused,
      unless ``replace``, which updates the stored document.
    - Same id, other bytes, from another file (``2023/article.txt`` and
      ``2024/article.txt``, or the same id twice in one run): stored under
      ``ID~HASH``, the id with the first 8 hex digits of the input's sha1, and
      a warning says so.
    """

    def __init__(self, store: Store, replace: bool) -> None:
        self.store = store
        self.replace = replace
        self.in_run: dict[str, tuple[str, str]] = {}  # id -> (path, input hash) placed in this run

    def place(self, raw: RawInput, pipeline: str) -> tuple[Placed, str, str | None]:
        """Where ``raw`` goes, the id that settles it, and a warning when that is not its own id."""
        digest = content_hash(raw)
        placed = self._settle(raw, raw.doc_id, digest, pipeline)
        if placed != "taken":
            return placed, raw.doc_id, None
        moved = f"{raw.doc_id}~{digest[:8]}"
        placed = self._settle(raw, moved, digest, pipeline)
        if placed == "taken":  # only when ids were given that look like ours
            reason = f"ids {raw.doc_id!r} and {moved!r} both hold other inputs; give this input an id of its own"
            return Failure(raw.path, reason, stage="discover", doc_id=raw.doc_id), raw.doc_id, None
        note = f"id {raw.doc_id!r} already holds another input; stored as {moved!r}"
        return placed, moved, note if isinstance(placed, RawInput) else None

    def _settle(self, raw: RawInput, doc_id: str, digest: str, pipeline: str) -> Placed | Literal["taken"]:
        earlier = self.in_run.get(doc_id)
        if earlier is not None:
            return "skipped" if earlier[1] == digest else "taken"
        stored = self.store.stored_input(doc_id)
        if stored is not None and stored.content_hash == digest:
            if stored.pipeline == pipeline:
                self.in_run[doc_id] = (raw.path, digest)
                return "skipped"
        elif stored is not None and not self.replace:
            if not _same_source(stored.path, raw.path):
                return "taken"
            reason = f"changed since it was stored as {doc_id!r}; pass --replace to update the stored document"
            return Failure(raw.path, reason, stage="discover", doc_id=doc_id)
        self.in_run[doc_id] = (raw.path, digest)
        return raw if doc_id == raw.doc_id else dataclasses.replace(raw, doc_id=doc_id)


def _same_source(stored_path: str, path: str) -> bool:
    """Whether two inputs come from the same file, or the same URL (a path with ``://``)."""
    if "://" in stored_path or "://" in path:
        return stored_path == path
    return os.path.realpath(stored_path) == os.path.realpath(path)


@dataclass(frozen=True, slots=True)
class _Finished:
    """A document through the pipeline, waiting for its batch to be written."""

    raw: RawInput
    records: DocumentRecords
    notes: tuple[str, ...]  # placement warnings


@dataclass(slots=True)
class _Run:
    """The state of one ingest run: the report and where each input goes."""

    store: Store
    on_progress: Callable[[Progress], None] | None
    placement: _Placement
    batch_size: int = DEFAULT_BATCH_SIZE
    report: IngestReport = field(default_factory=IngestReport)
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # doc id -> placement warning, until stored
    pending: list[_Finished | Failure] = field(default_factory=list)  # the next batch, failures in their place
    pending_since: float = 0.0
    last_finished: float = field(default_factory=time.monotonic)
    done: int = 0

    def sequential(self, items: Iterable[RawInput | Failure], pipeline: Pipeline) -> None:
        self.report.pipeline = pipeline.signature
        with _loaded_objects_frozen():
            for raw in self.to_process(items):
                self.finish(raw, process(pipeline, raw))

    def parallel(self, items: Iterable[RawInput | Failure], spec: PipelineSpec, workers: int) -> None:
        pool = _WorkerPool(spec, workers)
        finished = False
        try:
            self.report.pipeline = pool.signature()
            for raw, result in _in_order(pool, self.to_process(items), window=workers * 4):
                self.finish(raw, result)
            finished = True
        finally:
            pool.close(wait=finished)

    def on_cluster(self, items: Iterable[RawInput | Failure], spec: PipelineSpec, client: Client) -> None:
        from dyadlens.distributed import map_pipeline, pipeline_signature

        self.report.pipeline = pipeline_signature(client, spec)
        for raw, result in map_pipeline(client, spec, self.to_process(items)):
            self.finish(raw, result)

    @contextmanager
    def batches(self) -> Iterator[None]:
        """Write the documents still pending when the run ends, however it ends (Ctrl-C, a lost worker)."""
        try:
            yield
        finally:
            self.flush()

    def to_process(self, items: Iterable[RawInput | Failure]) -> Iterator[RawInput]:
        """The inputs that need the pipeline; failures, clashes and unchanged ones are settled here."""
        for item in items:
            if isinstance(item, Failure):
                self.fail(item)
                continue
            placed, doc_id, note = self.placement.place(item, self.report.pipeline)
            if isinstance(placed, Failure):
                self.fail(placed)
            elif placed == "skipped":
                self.report.skipped.append(doc_id)
                self.progress(item.path, doc_id, "skipped")
            else:
                self.notes[placed.doc_id] = (note,) if note else ()
                yield placed

    def finish(self, raw: RawInput, result: DocumentRecords | Failure) -> None:
        """Queue one document's records for the next batch, or record why it failed."""
        notes = self.notes.pop(raw.doc_id, ())
        if isinstance(result, Failure):
            self.fail(result)
            return
        now = time.monotonic()
        slow, self.last_finished = now - self.last_finished >= BATCH_SECONDS, now
        if not self.pending:
            self.pending_since = now
        self.pending.append(_Finished(raw, result, notes))
        if slow or len(self.pending) >= self.batch_size or now - self.pending_since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the pending documents in one transaction (any error is that document's alone),
        then report them and the failures between them in input order."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        with _interrupts_held():
            records = [item.records for item in batch if isinstance(item, _Finished)]
            pipeline, replace = self.report.pipeline, self.placement.replace
            written = iter(self.store.write_batch(records, pipeline=pipeline, replace=replace))
            for item in batch:
                if isinstance(item, Failure):
                    self.fail(item)
                else:
                    self.stored(item, next(written))

    def stored(self, item: _Finished, written: WriteResult | Exception) -> None:
        raw, result = item.raw, item.records
        if isinstance(written, Exception):
            reason = str(written) if isinstance(written, StoreError) else f"{type(written).__name__}: {written}"
            self.fail(Failure(raw.path, reason, stage="store", doc_id=raw.doc_id))
            return
        self.report.stored.append(written.doc_id)
        self.report.counts.update({name: len(getattr(result, name)) for name in COUNTED})
        if written.duplicate_of:
            self.report.duplicates[written.doc_id] = written.duplicate_of
        warnings = (*item.notes, *result.document.meta.get("warnings", ()))
        self.report.warnings.extend((raw.path, text) for text in warnings)
        outcome: Outcome = "duplicate" if written.duplicate_of else "stored"
        self.progress(raw.path, raw.doc_id, outcome, warnings=tuple(warnings))

    def fail(self, failure: Failure) -> None:
        """Record an input that failed; while documents before it wait for their batch, it waits with them."""
        if self.pending:
            self.pending.append(failure)
            return
        failure = _printable(failure)
        with _interrupts_held():
            self.store.record_failure(failure)
            self.report.failed.append(failure)
            self.progress(failure.path, failure.doc_id, "failed", failure)

    def progress(
        self,
        path: str,
        doc_id: str | None,
        outcome: Outcome,
        failure: Failure | None = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(Progress(self.done, path, doc_id, outcome, failure, warnings))


def _printable(failure: Failure) -> Failure:
    """``failure`` with lone surrogates escaped, so it can be stored and printed whatever the input held."""
    doc_id = None if failure.doc_id is None else shown_text(failure.doc_id)
    return Failure(shown_text(failure.path), shown_text(failure.reason), failure.stage, doc_id)


def _in_order(
    pool: _WorkerPool, raws: Iterator[RawInput], window: int
) -> Iterator[tuple[RawInput, DocumentRecords | Failure]]:
    """Map the pipeline over ``raws`` in the pool, at most ``window`` in flight,
    yielding results in input order (so duplicates resolve as in a serial run)."""
    pending: deque[tuple[int, RawInput]] = deque()
    for number, raw in enumerate(raws):
        pool.submit(number, raw)
        pending.append((number, raw))
        if len(pending) >= window:
            first_number, first = pending.popleft()
            yield first, pool.result(first_number)
    while pending:
        first_number, first = pending.popleft()
        yield first, pool.result(first_number)


#: How long the parent waits for a worker's message before it checks that the workers are alive.
_POLL_SECONDS = 0.5


class _WorkerPool:
    """Worker processes fed through a task queue; results come back tagged with their input's number."""

    def __init__(self, spec: PipelineSpec, workers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.tasks: multiprocessing.Queue[tuple[int, RawInput] | None] = context.Queue()
        self.results: multiprocessing.Queue[tuple[str, int, object]] = context.Queue()
        self.done: dict[int, DocumentRecords | Failure] = {}
        self.signatures: list[str] = []
        self.processes = [
            context.Process(target=_serve, args=(spec, self.tasks, self.results), daemon=True) for _ in range(workers)
        ]
        for process_ in self.processes:
            process_.start()

    def submit(self, number: int, raw: RawInput) -> None:
        self.tasks.put((number, raw))

    def signature(self) -> str:
        """The pipeline signature, from the first worker that has built its pipeline."""
        while not self.signatures:
            self._receive()
        return self.signatures[0]

    def result(self, number: int) -> DocumentRecords | Failure:
        while number not in self.done:
            self._receive()
        return self.done.pop(number)

    def close(self, wait: bool) -> None:
        """Stop the workers: after the queued tasks when ``wait``, at once otherwise."""
        if wait:
            for _ in self.processes:
                self.tasks.put(None)
        for process_ in self.processes:
            if wait:
                process_.join()
            else:
                process_.terminate()
                process_.join()

    def _receive(self) -> None:
        try:
            kind, number, payload = self.results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if all(p.is_alive() for p in self.processes):
                return
            kind, number, payload = self._last_message()
        if kind == "failed":
            raise DyadlensError(f"a worker process could not build the pipeline: {payload}")
        if kind == "ready":
            self.signatures.append(str(payload))
        elif isinstance(payload, (DocumentRecords, Failure)):
            self.done[number] = payload

    def _last_message(self) -> tuple[str, int, object]:
        """What a worker said before it stopped (a build failure); stopping without a word is an error."""
        try:
            return self.results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            codes = [p.exitcode for p in self.processes if not p.is_alive()]
            raise DyadlensError(f"a worker process stopped unexpectedly (exit code {codes[0]})") from None


def _serve(
    spec: PipelineSpec,
    tasks: multiprocessing.Queue[tuple[int, RawInput] | None],
    results: multiprocessing.Queue[tuple[str, int, object]],
) -> None:
    """A worker process: build the pipeline once, then process inputs until a ``None`` task."""
    _ignore_interrupts()
    _exit_with_parent()
    try:
        pipeline = spec.build()
    except Exception as error:  # noqa: BLE001 - any build failure is reported to the parent, which stops the batch
        results.put(("failed", -1, f"{type(error).__name__}: {error}"))
        return
    results.put(("ready", -1, pipeline.signature))
    with _loaded_objects_frozen():
        for task in iter(tasks.get, None):
            number, raw = task
            results.put(("done", number, process(pipeline, raw)))


@contextmanager
def _loaded_objects_frozen() -> Iterator[None]:
    """What is loaded before a run (the model, the KB, the pipeline's tables: about 475,000
    objects) kept out of the garbage collector's full passes while the run lasts.

    Documents make many objects that outlive a young collection (memos, caches, records), so
    full collections come along every few dozen documents, and each walks every object loaded:
    about 0.2 s, 5% of the pipeline's time on the throughput text set. ``gc.freeze`` moves them
    out of its reach, and ``gc.unfreeze`` hands them back when the run ends: one of them that
    becomes garbage during the run (none of the loaded resources does) waits until then."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _exit_with_parent() -> None:
    """End this worker as soon as the parent process ends, however it ends.

    ``daemon`` workers are stopped only when the parent exits normally; a
    parent killed with SIGKILL would leave them running, each holding a
    spaCy model. A thread waits on the parent's sentinel and ends the
    process when it fires.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _HeldInterrupts:
    """A SIGINT handler that only notes the signal."""

    def __init__(self) -> None:
        self.received = False

    def __call__(self, _signum: int, _frame: object) -> None:
        self.received = True


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold a Ctrl-C back until the block (a transaction and its bookkeeping)
    has finished, then raise it; a nested block leaves that to the outer one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if isinstance(signal.getsignal(signal.SIGINT), _HeldInterrupts):
        yield
        return
    held = _HeldInterrupts()
    previous = signal.signal(signal.SIGINT, held)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held.received:
        raise KeyboardInterrupt
