"""Reads and sets a Dask worker's built pipelines (``dyadlens.distributed._BUILT``) for the distributed ingest tests.

Run on the workers with ``client.run``; the workers import this module from
``tests/extensions`` as they import the test stages.
"""

from __future__ import annotations

import pickle

from dyadlens import distributed
from dyadlens.runner import PipelineSpec


def signatures() -> list[str]:
    """The signatures of the pipelines this worker process has built."""
    return [pipeline.signature for pipeline in distributed._BUILT.values()]


def build_other_under(spec: PipelineSpec, other: PipelineSpec) -> None:
    """Hold ``other``'s pipeline where ``spec``'s belongs, as a worker with other dictionaries would build it."""
    distributed._BUILT[pickle.dumps(spec)] = other.build()


def forget(spec: PipelineSpec) -> None:
    """Drop this worker's pipeline for ``spec``; its next task builds it again."""
    distributed._BUILT.pop(pickle.dumps(spec), None)
