"""Building and reading the store: ``ingest``, ``docs``, ``show``, ``stats``, ``export``, ``components``."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dyadlens.cli.app import (
    App,
    checked_pipeline,
    count_option,
    json_flag,
    main,
    opened_store,
    pass_app,
    pipeline_option,
    with_store_coder,
)
from dyadlens.cli.ingest_progress import finish_ingest, ingest_progress
from dyadlens.cli.render import echo_table, emit_json, fit, terminal_safe, terminal_width
from dyadlens.model import RECORD_KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from distributed import Client

    from dyadlens.runner import IngestReport, PipelineSpec, Progress
    from dyadlens.store import Store
    from dyadlens.store.views import ViewLine

_EXPORT_FORMATS = ("jsonl", "csv", "parquet", "gold-jsonl")


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--upto", default=None, metavar="STAGE", help="Stop after this pipeline stage (default: the full pipeline)."
)
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Largest input accepted, in bytes.")
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Longest document text analysed, in characters (default 2,000,000; bounds memory per document).",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes running the pipeline."
)
@click.option(
    "--replace",
    is_flag=True,
    help="Let an edited input replace the document stored from it (by default it is refused).",
)
@click.option(
    "--cluster",
    metavar="local[:N]",
    default=None,
    help="Run the pipeline on a new local Dask cluster of N worker processes (default 2); docs/distributed.md.",
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", default=None, help="Run the pipeline on a running Dask cluster."
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Most documents written per transaction (default 50; each document stays all-or-nothing).",
)
@click.option(
    "--partitions",
    "partitions",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="With a cluster: workers write Parquet partitions here (--batch-size documents each, default 100), "
    "bulk-loaded one transaction each; docs/distributed.md.",
)
@pipeline_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON report.")
@pass_app
def ingest_command(
    app: App,
    paths: tuple[str, ...],
    upto: str | None,
    max_bytes: int | None,
    max_chars: int | None,
    workers: int,
    replace: bool,
    cluster: str | None,
    scheduler: str | None,
    batch_size: int | None,
    partitions: Path | None,
    pipeline_file: Path | None,
    as_json: bool,
) -> None:
    """Read files, folders, JSON Lines or - (stdin) into the store.

    PATH may be a .txt, .md, .html, .pdf or .jsonl file or a folder (read
    recursively; a meta.jsonl beside the files gives their metadata).

    Inputs already stored from the same bytes by the same pipeline are
    skipped, so running it again finishes an interrupted ingest. A stored
    document is never replaced by other content unless --replace is given:
    another file with the same id is stored as ID~HASH, and an edited file
    is refused.
    """
    import dataclasses
    import logging

    from dyadlens.ingest.discover import DEFAULT_MAX_BYTES
    from dyadlens.pipeline import DEFAULT_MAX_CHARS
    from dyadlens.runner import DEFAULT_BATCH_SIZE, PipelineSpec, ingest

    if (cluster or scheduler) and workers > 1:
        raise click.UsageError("--workers and --cluster/--scheduler exclude each other: the cluster's workers run it")
    if partitions is not None and not (cluster or scheduler):
        raise click.UsageError("--partitions needs --cluster or --scheduler: the cluster's workers write them")
    if cluster is not None:
        _check_cluster(cluster)
    config = checked_pipeline(pipeline_file, upto, coder=app.coder)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings repeat what the failure line says
    kb_files = tuple(str(p) for p in app.kb_files)
    spec = PipelineSpec(upto=upto, kb_files=kb_files, config=config, max_chars=max_chars or DEFAULT_MAX_CHARS)
    as_json = app.json_wanted(as_json)
    show_bar = not (as_json or app.quiet) and sys.stderr.isatty()
    with opened_store(app, create=True) as store:
        spec = dataclasses.replace(spec, config=with_store_coder(spec.config, store))
        with _dask_client(cluster, scheduler) as client, ingest_progress(
            paths, show_bar, show_failures=not as_json
        ) as on_progress:
            limit = max_bytes or DEFAULT_MAX_BYTES
            if partitions is not None and client is not None:
                report = _ingest_partitioned(paths, store, spec, client, partitions, limit, replace, batch_size,
                                             on_progress)
            else:
                report = ingest(
                    paths,
                    store,
                    spec,
                    max_bytes=limit,
                    on_progress=on_progress,
                    workers=workers,
                    replace=replace,
                    batch_size=batch_size or DEFAULT_BATCH_SIZE,
                    client=client,
                )
        stats = store.stats()
    finish_ingest(report, {**report.as_dict(), "store": dict(stats), "db": str(app.db)}, as_json, app.quiet)


def _ingest_partitioned(
    paths: tuple[str, ...],
    store: Store,
    spec: PipelineSpec,
    client: Client,
    folder: Path,
    max_bytes: int,
    replace: bool,
    batch_size: int | None,
    on_progress: Callable[[Progress], None],
) -> IngestReport:
    from dyadlens.ingest.discover import discover
    from dyadlens.partitioned import DEFAULT_PARTITION_SIZE, ingest_partitioned

    items = discover(paths, max_bytes)
    size = batch_size or DEFAULT_PARTITION_SIZE
    return ingest_partitioned(items, store, spec, client, folder, size=size, replace=replace, on_progress=on_progress)


@main.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Let a partition's document replace one stored from other content.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON report.")
@pass_app
def load_command(app: App, folder: Path, replace: bool, as_json: bool) -> None:
    """Bulk-load the Parquet partitions of FOLDER (written by ingest --partitions), in its manifest's order.

    Each partition is one transaction; partitions already loaded are
    skipped, so running it again finishes an interrupted load. A damaged
    partition is one failure naming its file, and the others load.
    """
    from dyadlens.errors import StoreError
    from dyadlens.partitioned import load_folder

    as_json = app.json_wanted(as_json)
    with opened_store(app, create=True) as store:
        with ingest_progress((str(folder),), False, show_failures=not as_json) as on_progress:
            try:
                report = load_folder(store, folder, replace=replace, on_progress=on_progress)
            except StoreError as error:
                raise click.ClickException(str(error)) from None
        stats = store.stats()
    finish_ingest(report, {**report.as_dict(), "store": dict(stats), "db": str(app.db)}, as_json, app.quiet)


def _check_cluster(cluster: str) -> None:
    """Refuse a ``--cluster`` that cannot be started, before the store is opened."""
    from dyadlens.distributed import parse_cluster
    from dyadlens.errors import DyadlensError

    try:
        parse_cluster(cluster)
    except DyadlensError as error:
        raise click.UsageError(str(error)) from None


def _dask_client(cluster: str | None, scheduler: str | None) -> AbstractContextManager[Client | None]:
    """The Dask client ``--cluster`` or ``--scheduler`` asks for, or None (no cluster: no Dask import)."""
    if cluster is None and scheduler is None:
        return nullcontext()
    from dyadlens.distributed import dask_client

    return dask_client(cluster, scheduler)


@main.command("docs")
@json_flag
@pass_app
def docs_command(app: App, as_json: bool) -> None:
    """List the stored documents, oldest first (undated ones last)."""
    from dataclasses import asdict

    from dyadlens.store.views import documents_by_date

    with opened_store(app) as store:
        documents = documents_by_date(store)
    if app.json_wanted(as_json):
        emit_json([asdict(d) for d in documents])
        return
    headers = ["id", "date", "outlet", "sentences", "events", "duplicate_of", "title"]
    rows = [[d.id, d.published, d.outlet, d.sentences, d.events, d.duplicate_of, d.title] for d in documents]
    echo_table(headers, rows)


@main.command("show")
@click.argument("doc_id")
@json_flag
@pass_app
def show_command(app: App, doc_id: str, as_json: bool) -> None:
    """Show a document: metadata, its sentences, and what was excluded and why."""
    from dataclasses import replace

    from dyadlens.store.views import document_view

    with opened_store(app) as store:
        view = document_view(store, doc_id)
    if view is None:
        raise click.ClickException(f"no document {doc_id!r} in {app.db}")
    if app.json_wanted(as_json):
        emit_json(view.as_dict())
        return
    for key, value in view.metadata().items():
        if value not in (None, "", {}):
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
            click.echo(f"{key}: {terminal_safe(shown)}")
    click.echo("")
    previous = None
    width = terminal_width()
    for line in view.lines:
        if line.kind == "excluded" and line.label:
            line = replace(line, label=_repeat_label(line.label, view.lines))
        click.echo(_show_line(line, previous, width))
        previous = line if line.kind == "sentence" else previous


def _repeat_label(label: str, lines: list[ViewLine]) -> str:
    """``repeat of 101-660`` (offsets) as the sentence numbers a reader sees: ``repeat of sentences 2-4``."""
    import re

    found = re.fullmatch(r"repeat of (\d+)-(\d+)", label)
    if found is None:
        return label
    start, end = int(found.group(1)), int(found.group(2))
    inside = [x.sentence_index for x in lines if x.kind == "sentence" and start <= x.start < end]
    if not inside:
        return label
    span = f"{inside[0]}" if len(inside) == 1 else f"{inside[0]}-{inside[-1]}"
    return f"repeat of sentence{'s' if len(inside) > 1 else ''} {span}"


def _show_line(line: ViewLine, previous: ViewLine | None, width: int | None) -> str:
    """One piece of a shown document: ``index | text``, excluded text dimmed; on a
    terminal, long text wraps under itself so the numbers stay in their column."""
    text = terminal_safe(line.text)
    if line.kind == "sentence":
        flag = f"[{line.sentence_kind}] " if line.sentence_kind not in (None, "body") else ""
        region = f"[{line.region_kind}: {line.label}] " if line.label else ""
        gap = "\n" if previous is not None and previous.paragraph != line.paragraph else ""
        return gap + fit(f"{line.sentence_index:>4} | {flag}{region}{text}", width)
    why = f"{line.region_kind}: {line.label}" if line.kind == "excluded" else "not in any sentence"
    return click.style(fit(f"   x | [excluded {why}] {text}", width), dim=True)


@main.command("export")
@click.argument("target", required=False, metavar="[OUTPUT]")
@click.option(
    "--table",
    "table",
    default=None,
    metavar="TABLE",
    help=f"Table to export: {', '.join(['documents', *(kind.name for kind in RECORD_KINDS), 'failures'])} "
    "(not needed for gold-jsonl).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="gold-jsonl: one line per document in the evaluation's gold format.",
)
@click.option("-o", "--output", "output", default="-", show_default=True, help="Output file, - for stdout.")
@pass_app
def export_command(app: App, target: str | None, table: str | None, fmt: str, output: str) -> None:
    """Export a table as JSON Lines, CSV or Parquet (events with names, evidence and dates: docs/exports.md).

    Writes to OUTPUT or -o (default: stdout). --format gold-jsonl writes every document in the
    evaluation's gold format instead of a table.
    """
    from dyadlens.store import TABLES
    from dyadlens.store.export import table_rows, write_rows

    output = target or output
    if fmt != "gold-jsonl" and table not in TABLES:
        raise click.BadParameter(f"choose one of {', '.join(TABLES)}", param_hint="--table")
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: write it to a file with -o PATH (or pipe it)")
    with opened_store(app) as store, click.open_file(output, "wb") as out:
        if fmt == "gold-jsonl":
            from dyadlens.evaluation.gold import export_gold_lines

            count = write_rows(export_gold_lines(store), "jsonl", out)
        else:
            count = write_rows(table_rows(store, table or ""), fmt, out, table=table)
    if output != "-" and not app.quiet:
        click.echo(f"exported {count} rows to {output}", err=True)


@main.command("stats")
@click.option("--check", is_flag=True, help="Also run the integrity check (exit 1 on problems).")
@count_option
@json_flag
@pass_app
def stats_command(app: App, check: bool, count: str, as_json: bool) -> None:
    """Counts of what the store holds.

    ``events`` counts real events (each once, however often told; --count reports: every report),
    ``reports`` every report and ``observations`` the standing facts.
    """
    with opened_store(app) as store:
        stats = dict(store.stats(count=count))
        problems = store.integrity_check() if check else None
    if app.json_wanted(as_json):
        emit_json({"db": str(app.db), **stats, **({"problems": problems} if check else {})})
    else:
        click.echo(f"store: {app.db}")
        echo_table(["what", "count"], [[k, v] for k, v in stats.items()])
        for problem in problems or []:
            click.echo(f"problem: {problem}", err=True)
        if check and not problems:
            click.echo("integrity check: ok")
    if problems:
        sys.exit(1)


@main.command("components")
@pipeline_option
@json_flag
@pass_app
def components_command(app: App, pipeline_file: Path | None, as_json: bool) -> None:
    """The registered component factories, and the stages of the pipeline (the default, or --pipeline)."""
    from dyadlens import registry
    from dyadlens.pipeline import PipelineConfig, planned_stages

    config = checked_pipeline(pipeline_file, None, coder=app.coder) or PipelineConfig.default()
    stages = [{"stage": stage.name, "factory": found.name} for stage, found in planned_stages(config)]
    factories = [registry.get(name).as_dict() for name in registry.names()]
    if app.json_wanted(as_json):
        emit_json({"pipeline": config.source, "stages": stages, "factories": factories})
        return
    click.echo(f"pipeline: {config.source}")
    echo_table(["stage", "factory"], [[s["stage"], s["factory"]] for s in stages])
    click.echo()
    echo_table(
        ["factory", "requires", "assigns"],
        [[f["factory"], ", ".join(f["requires"]), ", ".join(f["assigns"])] for f in factories],
    )
