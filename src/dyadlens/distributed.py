"""The pipeline on a Dask cluster: ``ingest --cluster local:N`` or ``--scheduler tcp://HOST:PORT``.

The pipeline is a pure function of one raw input, so it maps over the
cluster's workers as it does over ``--workers`` processes: each worker
process builds the pipeline once from the :class:`~dyadlens.runner.PipelineSpec`
(spaCy, the KB, the models) and keeps it for every later task; the records
(or the input's :class:`~dyadlens.model.Failure`) come back to the client,
which is the one writer (:func:`dyadlens.runner.ingest_inputs`).

A task only reads its input and returns records, so running it twice gives
the same result: the scheduler runs a lost worker's tasks again elsewhere,
and ``retries`` covers a task that raised for a reason outside the input.
Inputs already stored (same bytes, same pipeline) are skipped before
anything is submitted, so a rerun resumes. See docs/distributed.md.

:func:`map_partitions` is the other way back: each task runs a chunk of
inputs and writes their records as a Parquet partition in a folder the
client can read, and returns only its name (:mod:`dyadlens.partitioned`).
"""

from __future__ import annotations

import pickle
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from dyadlens.errors import DyadlensError
from dyadlens.model import DocumentRecords, Failure, RawInput
from dyadlens.pipeline import Pipeline

if TYPE_CHECKING:
    from distributed import Client, Future

    from dyadlens.runner import PipelineSpec
    from dyadlens.store.partitions import WrittenPartition

#: How many times a task is run again after it raised (a lost worker's tasks are rescheduled anyway).
TASK_RETRIES = 2
#: Tasks in flight per worker thread: enough to keep every worker busy while the client writes.
IN_FLIGHT_PER_THREAD = 4

#: Partition tasks in flight per worker thread (each holds a chunk of inputs).
PARTITIONS_PER_THREAD = 2

Item = TypeVar("Item")
Result = TypeVar("Result")
#: What a partition task returns: the partition it wrote (None: nothing to write) and the inputs that failed.
ChunkResult = tuple["WrittenPartition | None", list[Failure]]

#: The pipelines this worker process has built, by the pickled spec they were built from.
_BUILT: dict[bytes, Pipeline] = {}


def parse_cluster(text: str) -> int:
    """The number of workers ``--cluster local[:N]`` asks for (``local`` alone: 2)."""
    name, _, count = text.partition(":")
    if name != "local" or (count and not count.isdigit()) or count == "0":
        raise DyadlensError(f"--cluster {text!r}: expected local or local:N (N workers, at least 1)")
    return int(count) if count else 2


@contextmanager
def dask_client(cluster: str | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of a new local cluster (``cluster``: ``local[:N]``) or of a running scheduler's.

    The local cluster runs N worker processes of one thread each (spaCy holds
    the GIL, so threads would not add speed) and no dashboard; it ends with
    the block.
    """
    from distributed import Client, LocalCluster

    if (cluster is None) == (scheduler is None):
        raise DyadlensError("give either --cluster local[:N] or --scheduler tcp://HOST:PORT")
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    workers = parse_cluster(str(cluster))
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as local,
        Client(local) as client,
    ):
        yield client


def pipeline_signature(client: Client, spec: PipelineSpec) -> str:
    """The pipeline's signature, built by every worker at once before any input is sent.

    Each worker loads its models now, all in parallel, rather than on its
    first input one after another; and workers that build different
    pipelines (another dyadlens or other dictionaries on one machine) are
    refused before they store records that would disagree. The client loads
    no model. Workers that join a running scheduler later build theirs on
    their first task.
    """
    workers = sorted(client.scheduler_info()["workers"])
    futures = [client.submit(_signature_on_worker, spec, pure=False, workers=[address]) for address in workers]
    futures = futures or [client.submit(_signature_on_worker, spec, pure=False)]
    signatures = {str(signature) for signature in client.gather(futures)}
    if len(signatures) > 1:
        raise DyadlensError(f"the cluster's workers build different pipelines ({', '.join(sorted(signatures))}): "
                            "give every worker the same dyadlens and the same dictionaries")
    return signatures.pop()


def map_pipeline(
    client: Client, spec: PipelineSpec, raws: Iterator[RawInput]
) -> Iterator[tuple[RawInput, DocumentRecords | Failure]]:
    """Run the pipeline over ``raws`` on the cluster, yielding results in input order.

    Results are gathered as they complete, but at most a window of inputs
    (``IN_FLIGHT_PER_THREAD`` per worker thread) is submitted and not yet
    yielded, so memory stays flat however many inputs there are; yielding in
    input order lets duplicates and ids resolve as in a one-process run.
    """
    window = max(2, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
    tasks: _InOrder[RawInput, DocumentRecords | Failure] = _InOrder(_worker_failure)
    run = uuid.uuid4().hex[:12]
    for number, raw in enumerate(raws):
        future = client.submit(_process_on_worker, spec, raw, key=f"dyadlens-{run}-{number}", retries=TASK_RETRIES)
        tasks.add(number, raw, future)
        while len(tasks) >= window:
            yield from tasks.settle_one()
    while tasks:
        yield from tasks.settle_one()


class _InOrder(Generic[Item, Result]):
    """Tasks in flight, collected as they complete and handed out in the order they were submitted.

    ``lost`` turns a task that failed past its retries (its worker kept dying) into the item's result.
    """

    def __init__(self, lost: Callable[[Item, Exception], Result]) -> None:
        from distributed import as_completed

        self.lost = lost
        self.completed = as_completed()
        self.waiting: dict[int, tuple[Item, Future[Result]]] = {}
        self.done: dict[int, Result] = {}
        self.next_out = 0

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, number: int, item: Item, future: Future[Result]) -> None:
        self.waiting[number] = (item, future)
        self.completed.add(future)

    def settle_one(self) -> Iterator[tuple[Item, Result]]:
        """Wait for one task to complete, then yield every result that is next in input order."""
        finished = next(self.completed)
        number = next(n for n, (_item, future) in self.waiting.items() if future.key == finished.key)
        item = self.waiting[number][0]
        try:
            self.done[number] = finished.result()
        except Exception as error:  # noqa: BLE001 - one task lost to the cluster must not end the batch
            self.done[number] = self.lost(item, error)
        while self.next_out in self.done:
            item, _future = self.waiting.pop(self.next_out)
            yield item, self.done.pop(self.next_out)
            self.next_out += 1


def _worker_failure(raw: RawInput, error: Exception) -> Failure:
    """An input whose task failed past its retries fails alone (stage ``worker``)."""
    return Failure(raw.path, f"{type(error).__name__}: {error}", stage="worker", doc_id=raw.doc_id)


def _lost_chunk(chunk: list[RawInput], error: Exception) -> ChunkResult:
    """A partition whose task failed past its retries: each of its inputs fails (stage ``worker``)."""
    return None, [_worker_failure(raw, error) for raw in chunk]


def map_partitions(
    client: Client, spec: PipelineSpec, chunks: Iterator[list[RawInput]], folder: Path
) -> Iterator[tuple[list[RawInput], ChunkResult]]:
    """Run the pipeline over each chunk of inputs on the cluster, each task writing its documents as one
    partition in ``folder`` (:mod:`dyadlens.store.partitions`); yields, in input order, each chunk with
    the partition written (None when every input failed) and the inputs that failed.

    At most ``PARTITIONS_PER_THREAD`` chunks per worker thread are in flight. A killed worker's task is
    run again (the partition is rewritten whole under its name), as :func:`map_pipeline`'s are.
    """
    window = max(2, PARTITIONS_PER_THREAD * sum(client.nthreads().values()))
    tasks: _InOrder[list[RawInput], ChunkResult] = _InOrder(_lost_chunk)
    run = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    for number, chunk in enumerate(chunks):
        name = f"part-{run}-{number:06d}.parquet"
        key = f"dyadlens-part-{run}-{number}"
        future = client.submit(_partition_on_worker, spec, chunk, str(folder), name, key=key, retries=TASK_RETRIES)
        tasks.add(number, chunk, future)
        while len(tasks) >= window:
            yield from tasks.settle_one()
    while tasks:
        yield from tasks.settle_one()


def _pipeline_for(spec: PipelineSpec) -> Pipeline:
    """This worker process's pipeline for ``spec``, built on its first task."""
    key = pickle.dumps(spec)
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = spec.build()
    return built


def _process_on_worker(spec: PipelineSpec, raw: RawInput) -> DocumentRecords | Failure:
    from dyadlens.runner import process

    return process(_pipeline_for(spec), raw)


def _partition_on_worker(spec: PipelineSpec, chunk: list[RawInput], folder: str, name: str) -> ChunkResult:
    from dyadlens.runner import process
    from dyadlens.store.partitions import write_partition

    pipeline = _pipeline_for(spec)
    results = [process(pipeline, raw) for raw in chunk]
    done = [r for r in results if isinstance(r, DocumentRecords)]
    written = write_partition(Path(folder), name, done, pipeline.signature) if done else None
    return written, [r for r in results if isinstance(r, Failure)]


def _signature_on_worker(spec: PipelineSpec) -> str:
    return _pipeline_for(spec).signature
