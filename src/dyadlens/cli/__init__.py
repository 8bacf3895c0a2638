"""The ``dyadlens`` command: thin commands over the library's plain functions.

Every command validates its arguments, calls one library function and hands
the result to a renderer: a table or text on a terminal, JSON with ``--json``
(:mod:`dyadlens.cli.render`). The library itself never prints.

:mod:`dyadlens.cli.app` holds the root group and what commands share; each
``*_commands`` module registers one group of commands (the sections of
docs/cli.md) on it when imported.
"""

# The command modules are imported for what they register on ``main``.
from dyadlens.cli import (  # noqa: F401
    actor_commands,
    analysis_commands,
    cluster_commands,
    correction_commands,
    eval_commands,
    event_commands,
    fetch_commands,
    map_commands,
    person_commands,
    store_commands,
    summary_commands,
)
from dyadlens.cli.app import main, run

__all__ = ["main", "run"]
