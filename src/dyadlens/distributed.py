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
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dyadlens.errors import DyadlensError
from dyadlens.model import DocumentRecords, Failure, RawInput
from dyadlens.pipeline import Pipeline

if TYPE_CHECKING:
    from distributed import Client, Future

    from dyadlens.runner import PipelineSpec

#: How many times a task is run again after it raised (a lost worker's tasks are rescheduled anyway).
TASK_RETRIES = 2
#: Tasks in flight per worker thread: enough to keep every worker busy while the client writes.
IN_FLIGHT_PER_THREAD = 4

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
    """The pipeline's signature, from a worker that builds it (the client loads no model)."""
    return str(client.submit(_signature_on_worker, spec, pure=False).result())


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
    tasks = _InOrder()
    run = uuid.uuid4().hex[:12]
    for number, raw in enumerate(raws):
        future = client.submit(_process_on_worker, spec, raw, key=f"dyadlens-{run}-{number}", retries=TASK_RETRIES)
        tasks.add(number, raw, future)
        while len(tasks) >= window:
            yield from tasks.settle_one()
    while tasks:
        yield from tasks.settle_one()


class _InOrder:
    """Tasks in flight, collected as they complete and handed out in the order they were submitted."""

    def __init__(self) -> None:
        from distributed import as_completed

        self.completed = as_completed()
        self.waiting: dict[int, tuple[RawInput, Future[DocumentRecords | Failure]]] = {}
        self.done: dict[int, DocumentRecords | Failure] = {}
        self.next_out = 0

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, number: int, raw: RawInput, future: Future[DocumentRecords | Failure]) -> None:
        self.waiting[number] = (raw, future)
        self.completed.add(future)

    def settle_one(self) -> Iterator[tuple[RawInput, DocumentRecords | Failure]]:
        """Wait for one task to complete, then yield every result that is next in input order."""
        finished = next(self.completed)
        number = next(n for n, (_raw, future) in self.waiting.items() if future.key == finished.key)
        self.done[number] = _outcome(self.waiting[number][0], finished)
        while self.next_out in self.done:
            raw, _future = self.waiting.pop(self.next_out)
            yield raw, self.done.pop(self.next_out)
            self.next_out += 1


def _outcome(raw: RawInput, future: Future[DocumentRecords | Failure]) -> DocumentRecords | Failure:
    """The task's result; a task that failed past its retries (its worker kept dying) fails its input only."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - one input lost to the cluster must not end the batch
        return Failure(raw.path, f"{type(error).__name__}: {error}", stage="worker", doc_id=raw.doc_id)


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


def _signature_on_worker(spec: PipelineSpec) -> str:
    return _pipeline_for(spec).signature
