"""The CPU time a local PostgreSQL server spends for a benchmark, beside the client's own.

On PostgreSQL the work of a view is done in the server's processes, so the client's
``time.process_time()`` misses most of it. When the server runs on the same machine,
its processes are readable in ``/proc``: the postmaster's own time, the time of every
live child (the backends serving this client, the parallel query workers, the
background writers) and the time of the children it has reaped (``cutime``/``cstime``:
the parallel workers that ended). The difference of that sum before and after a call is
the server's CPU for it, background work of the same moment included (on a server that
serves only the benchmark, little).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (field 3 on), None once the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rpartition(")")[2].split()


class ServerClock:
    """Seconds of CPU spent by the PostgreSQL server (all its processes) that serves ``store``."""

    def __init__(self, postmaster: int) -> None:
        self.postmaster = postmaster

    @classmethod
    def of(cls, store: Any) -> ServerClock | None:
        """The clock of the store's server when it is PostgreSQL on this machine; else None."""
        if store.engine.dialect.name != "postgresql":
            return None
        with store.engine.connect() as conn:
            backend = int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
        fields = _stat(backend)
        return cls(int(fields[1])) if fields is not None else None

    def seconds(self) -> float:
        own = _stat(self.postmaster)
        if own is None:
            return 0.0
        ticks = sum(int(value) for value in own[11:15])  # utime, stime, cutime, cstime
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = _stat(int(entry.name))
                if fields is not None and fields[1] == str(self.postmaster):
                    ticks += int(fields[11]) + int(fields[12])
        return ticks / _TICKS
