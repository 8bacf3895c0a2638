"""The ``dyadlens`` command: thin commands over the library's plain functions.

Every command validates its arguments, calls one library function and
prints the result, as a table on a terminal or as JSON with ``--json``.
The library itself never prints.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import platformdirs

from dyadlens import __version__


def default_db_path() -> Path:
    """``$DYADLENS_DB``, else a file in the user's data directory."""
    env = os.environ.get("DYADLENS_DB")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("dyadlens")) / "dyadlens.db"


@dataclass
class App:
    """Options shared by every command, built once by the root group."""

    db: Path
    as_json: bool = False
    quiet: bool = False
    kb_files: tuple[Path, ...] = ()
    _resources: Any = field(default=None, repr=False)

    def store(self, create: bool = True) -> Any:
        from dyadlens.store import open_store

        if not create and not self.db.exists():
            raise click.ClickException(f"no store at {self.db}: run 'dyadlens ingest' first")
        return open_store(self.db)

    def resources(self) -> Any:
        if self._resources is None:
            from dyadlens.resources import Resources

            self._resources = Resources(kb_files=self.kb_files)
        return self._resources

    def emit_json(self, payload: Any) -> None:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


pass_app = click.make_pass_decorator(App)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dyadlens")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Store file (default: $DYADLENS_DB or the user data directory).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary chatter.")
@click.option(
    "--kb",
    "kb_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra KB file that adds or overrides actors (repeatable).",
)
@click.pass_context
def main(ctx: click.Context, db: Path | None, as_json: bool, quiet: bool, kb_files: tuple[Path, ...]) -> None:
    """dyadlens: who did what to whom, with the sentence that says so."""
    ctx.obj = App(db=db or default_db_path(), as_json=as_json, quiet=quiet, kb_files=kb_files)


def run() -> None:
    """Console entry point: a closed pipe (``dyadlens export - | head``) is not an error."""
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)


# --- foundation commands: ingest, docs, show, export, stats ------------------

# --- evaluation commands: score, eval, eval-suite ----------------------------

# --- actor commands: actors, actor --------------------------------------------

# --- event commands: events, explain -------------------------------------------

# --- quote and status commands: quotes, status ----------------------------------

# --- analysis commands: timeline, series, network, profile, sources, search, report, serve
