"""A stage that kills the Dask worker process running it, once, for the distributed ingest tests.

For the document named by ``doc_id`` it creates the ``marker`` file and
kills its own process with SIGKILL, as the kernel's out-of-memory killer
would; once the marker exists it does nothing, so the task the scheduler
runs again on another (or the restarted) worker succeeds. Outside a Dask
worker it does nothing at all, so a one-process ingest with the same config
is the reference the cluster's store is compared with.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from dyadlens import registry
from dyadlens.state import DocState


class KillOnce:
    name = "kill_once"
    version = "1"

    def __init__(self, marker: str, doc_id: str) -> None:
        self.marker = Path(marker)
        self.doc_id = doc_id

    def __call__(self, state: DocState) -> None:
        if state.document.id != self.doc_id or not _in_dask_worker():
            return
        try:
            self.marker.touch(exist_ok=False)
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


def _in_dask_worker() -> bool:
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return False
    return True


@registry.component("tests.kill_once.v1", requires=("document",), assigns=("regions",))
def kill_once(_resources: Any, **options: Any) -> KillOnce:
    return KillOnce(**options)
