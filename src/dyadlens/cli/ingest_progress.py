"""What ``dyadlens ingest`` tells the user while it runs and when it ends."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dyadlens.cli.render import emit_json, terminal_safe

if TYPE_CHECKING:
    from dyadlens.model import Failure
    from dyadlens.runner import IngestReport, Progress

#: The record counts of the summary line (``runner.COUNTED`` but mentions).
_SUMMARY_COUNTS = ("sentences", "actors", "events", "quotes", "designations")


@contextmanager
def ingest_progress(
    paths: tuple[str, ...], show_bar: bool, show_failures: bool
) -> Iterator[Callable[[Progress], None]]:
    """The runner's progress callback: a bar on stderr and one line per failed input."""
    bar_context: Any = (
        click.progressbar(length=max(_count_inputs(paths), 1), label="ingesting", file=sys.stderr)
        if show_bar
        else nullcontext()
    )
    with bar_context as bar:

        def on_progress(progress: Progress) -> None:
            if progress.failure is not None and show_failures:
                click.echo(("\n" if bar is not None else "") + _failure_line(progress.failure), err=True)
            for warning in progress.warnings if show_failures else ():
                click.echo(terminal_safe(f"warning: {progress.path}: {warning}"), err=True)
            if bar is not None:
                bar.length = max(bar.length or 0, progress.done)
                bar.update(1)

        yield on_progress


def ingest_summary(report: IngestReport) -> list[str]:
    counts = ", ".join(f"{report.counts[name]} {name}" for name in _SUMMARY_COUNTS)
    duplicates = f" ({len(report.duplicates)} duplicates of earlier documents)" if report.duplicates else ""
    lines = [
        f"documents: {len(report.stored)} stored{duplicates}, {len(report.skipped)} skipped (unchanged), "
        f"{len(report.failed)} failed",
        f"records stored: {counts}",
    ]
    if report.interrupted:
        lines.append("interrupted: run the same command again to finish")
    return lines


def _failure_line(failure: Failure) -> str:
    named = failure.doc_id and failure.doc_id not in failure.path
    where = f"{failure.path} ({failure.doc_id})" if named else failure.path
    return terminal_safe(f"failed: {where}: {failure.reason} [stage {failure.stage}]")


def _count_inputs(paths: tuple[str, ...]) -> int:
    """A quick estimate of the number of inputs, for the progress bar's length.

    Only an estimate: a file it cannot open counts as one input, and the
    ingest itself reports why it could not be read.
    """
    total = 0
    for given in paths:
        path = Path(given)
        try:
            files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        except OSError:
            files = [path]
        for file in files:
            if file.name.startswith(".") or file.name == "meta.jsonl":
                continue
            total += _count_lines(file) if file.suffix == ".jsonl" else 1
    return total


def _count_lines(file: Path) -> int:
    """Non-blank lines of a JSON Lines file; 1 when it cannot be read."""
    try:
        with file.open("rb") as lines:
            return sum(1 for line in lines if line.strip())
    except OSError:
        return 1


def finish_ingest(report: IngestReport, payload: dict[str, object], as_json: bool, quiet: bool) -> None:
    """End an ingest (of files, URLs or feeds): the JSON ``payload`` or the summary lines, and the
    exit status: 130 when interrupted, 1 when an input failed."""
    if as_json:
        emit_json(payload)
    elif not quiet:
        for line in ingest_summary(report):
            click.echo(line)
    if report.interrupted:
        sys.exit(130)
    if report.failed:
        sys.exit(1)
