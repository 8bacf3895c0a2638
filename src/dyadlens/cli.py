"""The ``dyadlens`` command: thin commands over the library's plain functions.

Every command validates its arguments, calls one library function and
prints the result, as a table on a terminal or as JSON with ``--json``.
The library itself never prints.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import click
import platformdirs

from dyadlens import __version__
from dyadlens.terminal_safety import escape_for_terminal, escape_json_output


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

    def store(self, create: bool = True, read_only: bool = False) -> Any:
        """Open the store; a store that cannot be opened is a clean CLI error."""
        from dyadlens.errors import StoreError
        from dyadlens.store import open_store

        if (read_only or not create) and not self.db.exists():
            raise click.ClickException(f"no store at {self.db}: run 'dyadlens ingest' first")
        try:
            return open_store(self.db, read_only=read_only)
        except StoreError as error:
            raise click.ClickException(str(error)) from error

    def resources(self) -> Any:
        if self._resources is None:
            from dyadlens.resources import Resources

            self._resources = Resources(kb_files=self.kb_files)
        return self._resources

    def emit_json(self, payload: Any) -> None:
        click.echo(escape_json_output(json.dumps(payload, ensure_ascii=False, indent=2, default=str)))


pass_app = click.make_pass_decorator(App)

#: ``--json`` after a command name, as well as before it (the root option).
_json_flag = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dyadlens")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Store file (default: $DYADLENS_DB or the user data directory).",
)
@_json_flag
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

_EXPORT_FORMATS = ("jsonl", "csv", "parquet", "gold-jsonl")


def _json_wanted(app: App, as_json: bool) -> bool:
    return as_json or app.as_json


def _check_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date option's value, refused early (one clean line) unless it is YYYY, YYYY-MM or YYYY-MM-DD."""
    from dyadlens.analysis.common import check_date
    from dyadlens.errors import DyadlensError

    try:
        return check_date(value, f"--{param.name}".replace("_", "-"))
    except DyadlensError as error:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)") from error


def _date_option(name: str, help_text: str) -> Any:
    return click.option(name, default=None, metavar="DATE", callback=_check_date_option, help=help_text)


def _known_actor(kb: Any, store: Any, text: str) -> str:
    """The actor id a user's name, alias or id stands for; an unknown name is an error, not an empty result."""
    from dyadlens.errors import InputError
    from dyadlens.nlp.event_views import resolve_actor_arg

    known = store.actors()
    try:
        actor_id = resolve_actor_arg(text, kb, known)
    except InputError as error:
        raise click.ClickException(str(error)) from error
    if actor_id.startswith("unresolved:") and not any(a.id == actor_id for a in known):
        raise click.ClickException(f"no actor named {text!r} in the store or the knowledge base")
    return actor_id


def _known_document(app: App, store: Any, doc_id: str | None) -> None:
    if doc_id is not None and store.document(doc_id) is None:
        raise click.ClickException(f"no document {doc_id!r} in {app.db} (see 'dyadlens docs')")


@contextmanager
def _opened_store(app: App, create: bool = False) -> Iterator[Any]:
    """The store, closed afterwards; its errors become one clean message."""
    from dyadlens.errors import DyadlensError

    try:
        store = app.store(create=create)
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield store
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


def _terminal_safe(text: str) -> str:
    """Article text on one line, its control and bidi characters escaped (an escape
    sequence or a right-to-left override in an article must not reach the terminal)."""
    return escape_for_terminal(" ".join(text.split()))


def _wrapped(text: str, indent: str = "    ") -> str:
    """Article text flattened and wrapped to 100 columns under an indent (as the analysis views do)."""
    import textwrap

    return textwrap.fill(_terminal_safe(text), width=100, initial_indent=indent, subsequent_indent=indent)


def _hanging(line: str, indent: str = "      ") -> str:
    """One long ``label: value`` line wrapped to 100 columns, continuation lines indented."""
    import textwrap

    return textwrap.fill(
        escape_for_terminal(line), width=100, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
    )


def _terminal_width() -> int | None:
    """The terminal's width when stdout is one (a pipe or file gets whole lines)."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else None


def _echo_table(headers: list[str], rows: list[list[Any]]) -> None:
    """Plain aligned columns; the last column is not padded, and on a terminal
    it is cut (with …) to keep each row on one line."""
    cells = [[("" if v is None else _terminal_safe(str(v))) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    room = _terminal_width()
    for row in [headers, *cells]:
        line = "  ".join(v.ljust(w) for v, w in zip(row[:-1], widths[:-1])) + "  " + row[-1]
        if room is not None and len(line) > room:
            line = line[: max(room - 1, 0)] + "…"
        click.echo(line.rstrip())


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


@contextmanager
def _ingest_progress(paths: tuple[str, ...], show_bar: bool, show_failures: bool) -> Iterator[Any]:
    """The runner's progress callback: a bar on stderr and one line per failed input."""
    bar_context: Any = (
        click.progressbar(length=max(_count_inputs(paths), 1), label="ingesting", file=sys.stderr)
        if show_bar
        else nullcontext()
    )
    with bar_context as bar:

        def on_progress(progress: Any) -> None:
            if progress.failure is not None and show_failures:
                click.echo(("\n" if bar is not None else "") + _failure_line(progress.failure), err=True)
            for warning in progress.warnings if show_failures else ():
                click.echo(_terminal_safe(f"warning: {progress.path}: {warning}"), err=True)
            if bar is not None:
                bar.length = max(bar.length or 0, progress.done)
                bar.update(1)

        yield on_progress


def _failure_line(failure: Any) -> str:
    named = failure.doc_id and failure.doc_id not in failure.path
    where = f"{failure.path} ({failure.doc_id})" if named else failure.path
    return _terminal_safe(f"failed: {where}: {failure.reason} [stage {failure.stage}]")


def _ingest_summary(report: Any) -> list[str]:
    counted = ("sentences", "actors", "events", "quotes", "designations")
    counts = ", ".join(f"{report.counts[name]} {name}" for name in counted)
    duplicates = f" ({len(report.duplicates)} duplicates of earlier documents)" if report.duplicates else ""
    lines = [
        f"documents: {len(report.stored)} stored{duplicates}, {len(report.skipped)} skipped (unchanged), "
        f"{len(report.failed)} failed",
        f"records stored: {counts}",
    ]
    if report.interrupted:
        lines.append("interrupted: run the same command again to finish")
    return lines


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--upto", default=None, metavar="STAGE", help="Stop after this pipeline stage (default: the full pipeline)."
)
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Largest input accepted, in bytes.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes running the pipeline."
)
@click.option(
    "--replace",
    is_flag=True,
    help="Let an edited input replace the document stored from it (by default it is refused).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON report.")
@pass_app
def ingest_command(
    app: App,
    paths: tuple[str, ...],
    upto: str | None,
    max_bytes: int | None,
    workers: int,
    replace: bool,
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
    import logging

    from dyadlens.ingest.discover import DEFAULT_MAX_BYTES
    from dyadlens.pipeline import STAGES
    from dyadlens.runner import PipelineSpec, ingest

    stage = upto or STAGES[-1]
    if stage not in STAGES:
        raise click.BadParameter(f"{stage!r} is not a stage; stages are {', '.join(STAGES)}", param_hint="--upto")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings repeat what the failure line says
    spec = PipelineSpec(upto=stage, kb_files=tuple(str(p) for p in app.kb_files))
    as_json = _json_wanted(app, as_json)
    show_bar = not (as_json or app.quiet) and sys.stderr.isatty()
    with _opened_store(app, create=True) as store:
        with _ingest_progress(paths, show_bar, show_failures=not as_json) as on_progress:
            limit = max_bytes or DEFAULT_MAX_BYTES
            report = ingest(
                paths, store, spec, max_bytes=limit, on_progress=on_progress, workers=workers, replace=replace
            )
        stats = store.stats()
    if as_json:
        app.emit_json({**report.as_dict(), "store": dict(stats), "db": str(app.db)})
    elif not app.quiet:
        for line in _ingest_summary(report):
            click.echo(line)
    if report.interrupted:
        sys.exit(130)
    if report.failed:
        sys.exit(1)


@main.command("docs")
@_json_flag
@pass_app
def docs_command(app: App, as_json: bool) -> None:
    """List the stored documents, oldest first (undated ones last)."""
    from dataclasses import asdict

    with _opened_store(app) as store:
        documents = store.documents()
    in_order = sorted(documents, key=lambda d: (d.published is None, d.published or "", d.id))
    if _json_wanted(app, as_json):
        app.emit_json([asdict(d) for d in in_order])
        return
    headers = ["id", "date", "outlet", "sentences", "events", "duplicate_of", "title"]
    rows = [[d.id, d.published, d.outlet, d.sentences, d.events, d.duplicate_of, d.title] for d in in_order]
    _echo_table(headers, rows)


def _repeat_label(label: str, lines: list[Any]) -> str:
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


def _show_line(line: Any, previous: Any, width: int | None) -> str:
    """One piece of a shown document: ``index | text``, excluded text dimmed; on a
    terminal, long text wraps under itself so the numbers stay in their column."""
    text = _terminal_safe(line.text)
    if line.kind == "sentence":
        flag = f"[{line.sentence_kind}] " if line.sentence_kind not in (None, "body") else ""
        region = f"[{line.region_kind}: {line.label}] " if line.label else ""
        gap = "\n" if previous is not None and previous.paragraph != line.paragraph else ""
        return gap + _fit(f"{line.sentence_index:>4} | {flag}{region}{text}", width)
    why = f"{line.region_kind}: {line.label}" if line.kind == "excluded" else "not in any sentence"
    return click.style(_fit(f"   x | [excluded {why}] {text}", width), dim=True)


def _fit(line: str, width: int | None) -> str:
    import textwrap

    if width is None or len(line) <= width:
        return line
    return textwrap.fill(line, width=max(width, 40), subsequent_indent="     | ", break_on_hyphens=False)


@main.command("show")
@click.argument("doc_id")
@_json_flag
@pass_app
def show_command(app: App, doc_id: str, as_json: bool) -> None:
    """Show a document: metadata, its sentences, and what was excluded and why."""
    from dataclasses import asdict, replace

    from dyadlens.store.views import document_view

    with _opened_store(app) as store:
        view = document_view(store, doc_id)
    if view is None:
        raise click.ClickException(f"no document {doc_id!r} in {app.db}")
    document = {k: v for k, v in asdict(view.document).items() if k not in ("text", "raw")}
    if _json_wanted(app, as_json):
        app.emit_json({"document": document, "text": view.document.text, "lines": [asdict(x) for x in view.lines]})
        return
    for key, value in document.items():
        if value not in (None, "", {}):
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
            click.echo(f"{key}: {_terminal_safe(shown)}")
    click.echo("")
    previous = None
    width = _terminal_width()
    for line in view.lines:
        if line.kind == "excluded" and line.label:
            line = replace(line, label=_repeat_label(line.label, view.lines))
        click.echo(_show_line(line, previous, width))
        previous = line if line.kind == "sentence" else previous


@main.command("export")
@click.argument("target", required=False, metavar="[OUTPUT]")
@click.option(
    "--table",
    "table",
    default=None,
    metavar="TABLE",
    help="Table to export: documents, regions, sentences, actors, mentions, events, quotes, designations, "
    "failures (not needed for gold-jsonl).",
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
    """Export a table as JSON Lines, CSV or Parquet.

    Writes to OUTPUT or -o (default: stdout). --format gold-jsonl writes every document in the
    evaluation's gold format instead of a table.
    """
    from dyadlens.store import TABLES
    from dyadlens.store.export import write_rows

    output = target or output
    if fmt != "gold-jsonl" and table not in TABLES:
        raise click.BadParameter(f"choose one of {', '.join(TABLES)}", param_hint="--table")
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: write it to a file with -o PATH (or pipe it)")
    with _opened_store(app) as store, click.open_file(output, "wb") as out:
        if fmt == "gold-jsonl":
            from dyadlens.evaluation.gold import export_gold_lines

            count = write_rows(export_gold_lines(store), "jsonl", out)
        else:
            count = write_rows(store.rows(table or ""), fmt, out, table=table)
    if output != "-" and not app.quiet:
        click.echo(f"exported {count} rows to {output}", err=True)


@main.command("stats")
@click.option("--check", is_flag=True, help="Also run the integrity check (exit 1 on problems).")
@_json_flag
@pass_app
def stats_command(app: App, check: bool, as_json: bool) -> None:
    """Counts of what the store holds."""
    with _opened_store(app) as store:
        stats = dict(store.stats())
        problems = store.integrity_check() if check else None
    if _json_wanted(app, as_json):
        app.emit_json({"db": str(app.db), **stats, **({"problems": problems} if check else {})})
    else:
        click.echo(f"store: {app.db}")
        _echo_table(["what", "count"], [[k, v] for k, v in stats.items()])
        for problem in problems or []:
            click.echo(f"problem: {problem}", err=True)
        if check and not problems:
            click.echo("integrity check: ok")
    if problems:
        sys.exit(1)


# --- end of foundation commands ------------------------------------------------

# --- evaluation commands: score, eval, eval-suite ----------------------------

_existing_path = click.Path(exists=True, path_type=Path)


def _emit_report(app: App, report: Any, show_errors: bool, as_json: bool) -> None:
    from dyadlens.evaluation.tables import format_report

    if as_json or app.as_json:
        app.emit_json(report.as_dict(with_errors=show_errors))
    else:
        click.echo(escape_for_terminal(format_report(report, with_errors=show_errors)))


@main.command("score")
@click.argument("system", type=_existing_path)
@click.argument("gold", type=_existing_path)
@click.option("--docs", "docs", required=True, type=_existing_path, help="The documents both files annotate.")
@click.option("--actors", "actors", type=_existing_path, default=None,
              help="Canonical actors table (default: ../shared/eval/actors.tsv from the current directory).")
@click.option("--errors", "show_errors", is_flag=True, help="List every false alarm and miss with its sentence.")
@_json_flag
@pass_app
def score_command(
    app: App, system: Path, gold: Path, docs: Path, actors: Path | None, show_errors: bool, as_json: bool
) -> None:
    """Score SYSTEM (gold-format JSON Lines) against GOLD."""
    from dyadlens.errors import DyadlensError
    from dyadlens.evaluation.harness import score_files

    try:
        report = score_files(system, gold, docs, actors)
    except DyadlensError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit_report(app, report, show_errors, as_json)


@main.command("eval")
@click.option("--gold", "gold", required=True, type=_existing_path, help="Gold file (JSON Lines).")
@click.option("--docs", "docs", required=True, type=_existing_path, help="The documents the gold annotates.")
@click.option("--actors", "actors", type=_existing_path, default=None,
              help="Canonical actors table (default: ../shared/eval/actors.tsv from the current directory).")
@click.option("--errors", "show_errors", is_flag=True, help="List every false alarm and miss with its sentence.")
@_json_flag
@pass_app
def eval_command(
    app: App, gold: Path, docs: Path, actors: Path | None, show_errors: bool, as_json: bool
) -> None:
    """Run the pipeline over --docs and score it against --gold.

    The documents are read into a temporary store; the store of --db is not touched.
    """
    from dyadlens.errors import DyadlensError
    from dyadlens.evaluation.harness import evaluate

    try:
        report = evaluate(gold, docs, app.resources(), actors)
    except DyadlensError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit_report(app, report, show_errors, as_json)


@main.command("eval-suite")
@click.argument("cases", type=_existing_path)
@_json_flag
@pass_app
def eval_suite_command(app: App, cases: Path, as_json: bool) -> None:
    """Score the event coder on a PETRARCH or PLOVER cases.jsonl, per suite."""
    from dyadlens.errors import DyadlensError
    from dyadlens.evaluation.suites import run_suites
    from dyadlens.evaluation.tables import format_suites
    from dyadlens.resources import Resources

    def make_resources(kb_files: Any, verb_files: Any) -> Any:
        if not kb_files and not verb_files:
            return app.resources()
        return Resources(kb_files=(*app.kb_files, *kb_files), verb_files=verb_files)

    try:
        results = run_suites(cases, make_resources)
    except DyadlensError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json or app.as_json:
        app.emit_json([r.as_dict() for r in results])
    else:
        click.echo(format_suites(results))

# --- actor commands: actors, actor --------------------------------------------


@main.command("actors")
@click.option("--unresolved", is_flag=True, help="List names the KB does not know, most frequent first.")
@click.option("--type", "actor_type", default=None, metavar="T", help="Only actors of this type (state, armed_group, ...).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many rows.")
@_json_flag
@pass_app
def actors_command(app: App, unresolved: bool, actor_type: str | None, limit: int | None, as_json: bool) -> None:
    """List the actors in the store, most mentioned first.

    With mention and document counts and the first and last document dates.
    """
    from dataclasses import asdict

    from dyadlens.kb.actor_report import actor_table

    store = app.store(create=False)
    try:
        rows = actor_table(store, unresolved=unresolved, actor_type=actor_type)[:limit]
    finally:
        store.close()
    if _json_wanted(app, as_json):
        app.emit_json([asdict(r) for r in rows])
        return
    if not rows:
        click.echo("no unresolved names" if unresolved else "no actors")
        return
    headers = ["id", "name", "type", "mentions", "docs", "first", "last"]
    _echo_table(headers, [[r.id, r.name, r.type, r.mentions, r.documents, r.first, r.last] for r in rows])


@main.command("actor")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Mentions shown.")
@_json_flag
@pass_app
def actor_command(app: App, name: str, limit: int, as_json: bool) -> None:
    """One actor by id, name or alias: KB entry and mentions in context."""
    from dyadlens.errors import DataFileError
    from dyadlens.kb.actor_report import actor_profile

    store = app.store(create=False)
    try:
        profile = actor_profile(app.resources().kb, store, name, limit=limit)
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    if profile is None:
        raise click.ClickException(f"no actor, person or unresolved name matches {name!r}")
    if _json_wanted(app, as_json):
        app.emit_json(profile.to_dict())
        return
    for line in _actor_profile_lines(profile):
        click.echo(_hanging(line))


def _actor_profile_lines(profile: Any) -> list[str]:
    state = "" if profile.resolved else " (unresolved)"
    lines = [f"{profile.name} [{profile.id}] {profile.type}{state}"]
    for label, values in (("aliases", profile.aliases), ("demonyms", profile.demonyms), ("metonyms", profile.metonyms)):
        if values:
            lines.append(f"  {label}: {', '.join(values)}")
    if profile.capital:
        lines.append(f"  capital: {profile.capital}")
    for role in profile.roles:
        lines.append(f"  role: {role['role'] or '?'} for {role['actor']} ({role['from'] or '?'} to {role['until'] or 'now'})")
    for person in profile.people:
        lines.append(f"  person: {person['name']} [{person['id']}], {person['role'] or '?'} ({person['from'] or '?'} to {person['until'] or 'now'})")
    lines.append(f"  mentions shown: {len(profile.mentions)}")
    for m in profile.mentions:
        context = _terminal_safe(f"…{m.before}[{m.text}]{m.after}…")
        lines.append(f"  {m.doc_id} {m.published or '?'} @{m.start} ({m.rule}): {context}")
    return lines


@main.command("kb-check")
@_json_flag
@pass_app
def kb_check_command(app: App, as_json: bool) -> None:
    """Validate the knowledge base and list aliases shared by several actors.

    Loads the built-in KB plus any --kb files, exactly as ingest would.
    """
    from dataclasses import asdict

    from dyadlens.errors import DataFileError
    from dyadlens.kb.actor_report import kb_check

    try:
        report = kb_check(app.kb_files)
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if _json_wanted(app, as_json):
        app.emit_json(asdict(report))
        return
    types = ", ".join(f"{n} {t}" for t, n in report.by_type.items())
    click.echo(_hanging(f"KB OK: {report.entities} entities ({types}), {report.agents} agent entries, {len(report.files)} files", "  "))
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"aliases shared by several actors: {len(report.collisions)}")
    for collision in report.collisions:
        click.echo(f"  {collision.alias!r}: {', '.join(collision.ids)}")


# --- end of actor commands -------------------------------------------------------

# --- event commands: events, explain -------------------------------------------

_MODALITY_CHOICE = click.Choice(["asserted", "negated", "possible", "planned", "recommended", "alleged"])


@main.command("events")
@click.option("--source", default=None, metavar="ACTOR", help="Source actor (name, alias or id).")
@click.option("--target", default=None, metavar="ACTOR", help="Target actor (name, alias or id).")
@click.option("--code", default=None, metavar="CAMEO", help="CAMEO code or prefix (08 finds 081, 0831...).")
@click.option("--modality", default=None, type=_MODALITY_CHOICE, help="Only events with this modality.")
@_date_option("--since", "Events dated on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
@_date_option("--until", "Events dated on or before.")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only events of this document.")
@click.option("--limit", default=None, type=click.IntRange(min=1), help="At most this many events.")
@_json_flag
@pass_app
def events_command(app: App, limit: int | None, as_json: bool, **filters: str | None) -> None:
    """List coded events with their evidence sentences.

    Each event: id, date, source, CAMEO code, target, modality, and the sentence it comes from.
    """
    from dataclasses import asdict

    from dyadlens.errors import InputError
    from dyadlens.nlp.event_views import EventFilter, list_events

    with _opened_store(app) as store:
        _known_document(app, store, filters["doc_id"])
        for side in ("source", "target"):
            if filters[side]:
                filters[side] = _known_actor(app.resources().kb, store, str(filters[side]))
        try:
            rows = list_events(store, app.resources(), EventFilter(limit=limit, **filters))
        except InputError as exc:
            raise click.ClickException(str(exc)) from exc
    if _json_wanted(app, as_json):
        app.emit_json([asdict(r) for r in rows])
        return
    for row in rows:
        click.echo(_event_line(row, app.resources().kb))
    if not app.quiet:
        click.echo(f"{len(rows)} events", err=True)


def _actor_label(kb: Any, actor_id: str | None) -> str | None:
    """An actor id as its name where the KB knows it (unresolved ids lose their prefix)."""
    if actor_id is None:
        return None
    return str(kb.ref(actor_id).name) if kb.get(actor_id) is not None else actor_id.removeprefix("unresolved:")


def _event_line(row: Any, kb: Any) -> str:
    source = row.source_name or row.source or "-"
    target = row.target_name or row.target or "-"
    claim = f" (claimed by {_actor_label(kb, row.claimant)})" if row.claimant else ""
    head = f"{row.id}  {row.date or 'undated'}  {source} -> {row.code} {row.code_name} -> {target}  [{row.modality}]{claim}"
    return f"{_hanging(head, ' ' * (len(row.id) + 2))}\n{_wrapped(f'{row.doc_id}: {row.sentence}')}"


@main.command("explain")
@click.argument("event_id")
@_json_flag
@pass_app
def explain_command(app: App, event_id: str, as_json: bool) -> None:
    """Show how one event was coded.

    The mentions behind each actor, the trigger and the verb-dictionary entry, the CAMEO code,
    the modality cue, the date rule and the claimant.
    """
    from dyadlens.nlp.event_views import explain_event

    with _opened_store(app) as store:
        explanation = explain_event(store, app.resources(), event_id)
    if explanation is None:
        raise click.ClickException(f"no event {event_id!r} in {app.db} (event ids: 'dyadlens events')")
    payload = explanation.as_dict()
    if _json_wanted(app, as_json):
        app.emit_json(payload)
        return
    payload["claimant_name"] = _actor_label(app.resources().kb, payload.get("claimant"))
    for line in _explain_lines(payload):
        click.echo(_hanging(line))


def _explain_lines(p: dict[str, Any]) -> list[str]:
    lines = [f"event {p['event']} in {p['doc']}", f"  sentence: {' '.join(p['sentence'].split())}"]
    for side in ("source", "target"):
        actor = p[side]
        found = "; ".join(f"{m['text']!r} ({m['label']}, rule {m['rule']})" for m in actor["mentions"]) or "none in the sentence"
        lines.append(f"  {side}: {actor['name'] or actor['id']} [{actor['id']}] <- mentions: {found}")
    trigger, entry, code = p["trigger"], p["dictionary_entry"], p["code"]
    lines.append(f"  trigger: {trigger['text']!r} (route: {trigger['route']})")
    lines.append(f"  dictionary entry: {entry['id']} {entry['pattern'] or ''}" + (f" ({entry['note']})" if entry["note"] else ""))
    lines.append(
        f"  code: {code['code']} {code.get('name')} | root {code.get('root')} {code.get('root_name')} | "
        f"Goldstein {code.get('goldstein')} | quad class {code.get('quad_class')} {code.get('quad_class_name')}"
        f" | PLOVER {code.get('plover') or '-'}"
    )
    lines.append(f"  modality: {p['modality']['value']} (cue: {p['modality']['cue'] or 'none: asserted by default'})")
    date = p["date"]
    lines.append(f"  date: {date['value'] or 'none'} (rule {date['rule']}" + (f", from {date['text']!r})" if date["text"] else ")"))
    lines.append(f"  claimant: {p['claimant_name'] or 'the author'}")
    lines.append(f"  confidence: {p['confidence']}")
    return lines

# --- end of event commands -------------------------------------------------------

# --- quote and status commands: quotes, status ----------------------------------


@main.command("quotes")
@click.option("--speaker", default=None, metavar="NAME", help="Speaker name as stored (e.g. 'Zamir Kabulov').")
@click.option("--actor", default=None, metavar="ACTOR", help="Actor the speaker acts for (name, alias or id).")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only quotes of this document.")
@click.option("--kind", default=None, type=click.Choice(["direct", "indirect"]), help="Only direct or reported quotes.")
@click.option("--limit", default=None, type=click.IntRange(min=1), help="At most this many quotes.")
@_json_flag
@pass_app
def quotes_command(
    app: App, speaker: str | None, actor: str | None, doc_id: str | None, kind: str | None, limit: int | None,
    as_json: bool,
) -> None:
    """List quotations: speaker, role, actor, kind, the words, outlet and date."""
    from dyadlens.analysis.common import to_jsonable
    from dyadlens.analysis.quotes import list_quotes

    with _analysis(app) as ctx:
        _known_document(app, ctx.store, doc_id)
        actor_id = _known_actor(ctx.kb, ctx.store, actor) if actor else None
        rows = list_quotes(ctx, speaker=speaker, actor_id=actor_id, doc_id=doc_id, kind=kind, limit=limit)
    if _json_wanted(app, as_json):
        app.emit_json(to_jsonable(rows))
        return
    for row in rows:
        role = f", {row.speaker_role}" if row.speaker_role else ""
        click.echo(_hanging(f"{row.speaker or '?'}{role} [{row.speaker_name or row.speaker_actor or '-'}] ({row.kind}, {row.cue or '-'})"))
        click.echo(_wrapped(_quoted(row)))
        click.echo(f"    {_terminal_safe(row.outlet or row.doc_id)}, {row.published or 'undated'}")
    if not app.quiet:
        click.echo(f"{len(rows)} quotes", err=True)


def _quoted(row: Any) -> str:
    words = " ".join(row.text.split())
    return f"“{words}”" if row.kind == "direct" else f"(reported) {words}"


@main.command("status")
@click.argument("designator")
@click.argument("designee")
@_date_option("--as-of", "Only the status in force on DATE (YYYY, YYYY-MM, YYYY-MM-DD).")
@_json_flag
@pass_app
def status_command(app: App, designator: str, designee: str, as_of: str | None, as_json: bool) -> None:
    """Designation status of DESIGNEE by DESIGNATOR over time.

    Each step (listed, delisting proposed, ban suspended, recognized...) with its date, the
    outlet that reports it and the sentence.
    """
    from dyadlens.analysis.status import status_as_of, status_history

    kb = app.resources().kb
    with _opened_store(app, create=False) as store:
        pair = (_known_actor(kb, store, designator), _known_actor(kb, store, designee))
        if as_of is None:
            steps = status_history(store, *pair)
        else:
            found = status_as_of(store, *pair, as_of)
            steps = [found] if found else []
    names = [kb.ref(a).name if kb.get(a) else a for a in pair]
    if _json_wanted(app, as_json):
        app.emit_json({"designator": pair[0], "designator_name": names[0], "designee": pair[1],
                       "designee_name": names[1], "as_of": as_of, "steps": [s.as_dict() for s in steps]})
        return
    click.echo(_terminal_safe(f"{names[0]} -> {names[1]}" + (f" as of {as_of}" if as_of else "")))
    if not steps:
        click.echo("  no status found")
    for step in steps:
        claimant = _actor_label(kb, step.claimant)
        claim = f", claimed by {claimant}" if claimant else ""
        source = f"{step.outlet or step.doc_id}, {step.observed or 'undated'}{claim}"
        click.echo(f"  {step.date or 'undated':<10}  {step.status:<21} [{_terminal_safe(source)}]")
        click.echo(_wrapped(step.sentence, "      "))

# --- end of quote and status commands --------------------------------------------

# --- analysis commands: timeline, series, network, profile, sources, search, report, serve

_ANALYSIS_MODALITIES = click.Choice(["asserted", "negated", "possible", "planned", "recommended", "alleged", "any"])


@contextmanager
def _analysis(app: App) -> Iterator[Any]:
    """An analysis context over the existing store; library errors become CLI errors."""
    from dyadlens.analysis.common import AnalysisContext
    from dyadlens.errors import DyadlensError

    store = app.store(create=False)
    try:
        resources = app.resources()
        yield AnalysisContext(store, resources.ontology, resources.kb)
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


def _emit_view(app: App, as_json: bool, view: Any, render: Any) -> None:
    from dyadlens.analysis.common import to_jsonable

    if _json_wanted(app, as_json):
        app.emit_json(to_jsonable(view))
    else:
        click.echo(escape_for_terminal(render(view)))


@main.command("timeline")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--modality", "modalities", multiple=True, type=_ANALYSIS_MODALITIES, help="Only these modalities (repeatable; default: all).")
@_date_option("--since", "From this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@_date_option("--until", "Up to this date.")
@_json_flag
@pass_app
def timeline_command(app: App, actor_a: str, actor_b: str, modalities: tuple[str, ...], since: str | None,
                     until: str | None, as_json: bool) -> None:
    """Events between two actors, both directions, by date.

    An event the text does not date is placed at its document's date (marked *).
    """
    from dyadlens.analysis.text import timeline_text
    from dyadlens.analysis.timeline import dyad_timeline

    with _analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        view = dyad_timeline(ctx, a, b, modalities=modalities or None, since=since, until=until)
        _emit_view(app, as_json, view, timeline_text)


@main.command("series")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True, help="Length of one period.")
@click.option("--modality", "modalities", multiple=True, type=_ANALYSIS_MODALITIES, help="Modalities to count (repeatable; default: asserted).")
@click.option("--directed", is_flag=True, help="Only events from the first actor to the second.")
@_json_flag
@pass_app
def series_command(app: App, actor_a: str, actor_b: str, by: str, modalities: tuple[str, ...], directed: bool,
                   as_json: bool) -> None:
    """Cooperation-conflict series of a dyad.

    Per period: event counts by quad class and the mean Goldstein weight.
    """
    from dyadlens.analysis.series import dyad_series
    from dyadlens.analysis.text import series_text

    with _analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        view = dyad_series(ctx, a, b, by=by, modalities=modalities or ("asserted",), directed=directed)
        _emit_view(app, as_json, view, series_text)


@main.command("network")
@_date_option("--since", "From this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@_date_option("--until", "Up to this date.")
@click.option("--quad", "quads", multiple=True, type=click.IntRange(1, 4), help="Only this quad class (1-4, repeatable).")
@click.option("--modality", "modalities", multiple=True, type=_ANALYSIS_MODALITIES, help="Modalities (default: asserted).")
@_json_flag
@pass_app
def network_command(app: App, since: str | None, until: str | None, quads: tuple[int, ...],
                    modalities: tuple[str, ...], as_json: bool) -> None:
    """The actor network of a period.

    Directed edges source -> target with event counts and mean Goldstein weight.
    """
    from dyadlens.analysis.network import actor_network
    from dyadlens.analysis.text import network_text

    with _analysis(app) as ctx:
        view = actor_network(ctx, since=since, until=until, quad_classes=quads or None, modalities=modalities or ("asserted",))
        _emit_view(app, as_json, view, network_text)


@main.command("profile")
@click.argument("actor")
@_json_flag
@pass_app
def profile_command(app: App, actor: str, as_json: bool) -> None:
    """An actor's profile from the events, quotes and designations.

    Aliases and roles (KB), events by CAMEO root as source and as target, partners,
    designations and their status, quotes by and about the actor.
    """
    from dyadlens.analysis.profile import actor_profile
    from dyadlens.analysis.text import profile_text

    with _analysis(app) as ctx:
        _emit_view(app, as_json, actor_profile(ctx, ctx.resolve_actor(actor)), profile_text)


@main.command("sources")
@click.argument("actors", nargs=-1)
@click.option("--code", default=None, metavar="CAMEO", help="Only events with this CAMEO code prefix.")
@_json_flag
@pass_app
def sources_command(app: App, actors: tuple[str, ...], code: str | None, as_json: bool) -> None:
    """Compare sources on a dyad (A B) or on an event code.

    Reports are grouped into claims (source, target, CAMEO base code); a claim that one source
    asserts and another negates, doubts or calls alleged is marked DISPUTED.
    """
    from dyadlens.analysis.sources import sources_side_by_side
    from dyadlens.analysis.text import sources_text

    if len(actors) not in (0, 2) or (not actors and code is None):
        raise click.UsageError("give two actors (A B), or --code CAMEO, or both")
    with _analysis(app) as ctx:
        a, b = (ctx.resolve_actor(actors[0]), ctx.resolve_actor(actors[1])) if actors else (None, None)
        view = sources_side_by_side(ctx, a, b, code=code)
        _emit_view(app, as_json, view, sources_text)


@main.command("search")
@click.argument("query")
@click.option("--actor", default=None, metavar="ACTOR", help="Only sentences that mention this actor (name, alias or id).")
@_date_option("--since", "Documents published from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@_date_option("--until", "Documents published up to this date.")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only this document.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1), help="At most this many sentences.")
@_json_flag
@pass_app
def search_command(app: App, query: str, actor: str | None, since: str | None, until: str | None,
                   doc_id: str | None, limit: int, as_json: bool) -> None:
    """Full-text search over sentences.

    QUERY uses SQLite FTS syntax: words, "exact phrase", OR, prefix*.
    """
    from dyadlens.analysis.search import search_sentences
    from dyadlens.analysis.text import search_text

    with _analysis(app) as ctx:
        actor_id = ctx.resolve_actor(actor) if actor else None
        view = search_sentences(ctx, query, actor=actor_id, since=since, until=until, doc_id=doc_id, limit=limit)
        _emit_view(app, as_json, view, search_text)


@main.command("report")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True, help="Period of the series chart.")
@click.option("--modality", "modalities", multiple=True, type=_ANALYSIS_MODALITIES, help="Modalities the series counts (default: asserted).")
@pass_app
def report_command(app: App, actor_a: str, actor_b: str, output: Path, by: str, modalities: tuple[str, ...]) -> None:
    """Write a self-contained HTML brief of a dyad.

    Timeline and series charts, designation status, key quotes, events, sources side by side
    and the evidence list, in one file that opens offline.
    """
    from dyadlens.analysis.report import write_report

    with _analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        write_report(ctx, a, b, output, by=by, modalities=modalities or ("asserted",), store_name=app.db.name)
    if not app.quiet:
        click.echo(f"wrote {output}", err=True)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (keep it local unless you mean it).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable); '*' answers any name.")
@pass_app
def serve_command(app: App, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Browse the store in a web browser (read-only).

    Answers only requests addressed to the bound host (and localhost names when local or bound to
    all interfaces) or to an --allow-host name, so other web sites cannot read the store.
    """
    from dyadlens.web.app import WebApp
    from dyadlens.web.hosts import HostPolicy, host_name, is_all_interfaces, network_warning
    from dyadlens.web.server import make_web_server

    try:
        hosts = HostPolicy.for_bind(host, allow_hosts)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--allow-host") from error
    store = app.store(read_only=True)
    resources = app.resources()
    server = make_web_server(WebApp(store, resources.ontology, resources.kb, hosts=hosts), host=host, port=port)
    warning = network_warning(host, server.server_port, hosts)
    if warning:
        click.echo(warning, err=True)
    url_host = "localhost" if is_all_interfaces(host) else host_name(host)
    click.echo(f"dyadlens serving {app.db} at http://{url_host}:{server.server_port}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()


@main.command("export-events")
@click.option("--format", "fmt", required=True, type=click.Choice(["gdelt", "graphml", "ftm"]),
              help="gdelt: GDELT 2.0-style TSV with evidence columns; graphml: actor network; ftm: FollowTheMoney JSON lines.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True), help="File to write ('-' = stdout; not for graphml).")
@click.option("--modality", "modalities", multiple=True, type=_ANALYSIS_MODALITIES, help="Only these modalities (default: all; graphml: asserted).")
@_date_option("--since", "Events from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@_date_option("--until", "Events up to this date.")
@pass_app
def export_events_command(app: App, fmt: str, output: str, modalities: tuple[str, ...], since: str | None,
                          until: str | None) -> None:
    """Export events for other tools (columns and entities: docs/exports.md)."""
    with _analysis(app) as ctx:
        if fmt == "graphml":
            from dyadlens.analysis.network import actor_network
            from dyadlens.exports.graphml import write_graphml

            if output == "-":
                raise click.UsageError("graphml needs a file: -o PATH")
            network = actor_network(ctx, since=since, until=until, modalities=modalities or ("asserted",))
            count = write_graphml(network, Path(output))
            what = "edges"
        else:
            from dyadlens.exports.ftm import write_ftm
            from dyadlens.exports.gdelt import write_gdelt

            writer = write_gdelt if fmt == "gdelt" else write_ftm
            with click.open_file(output, "w", encoding="utf-8") as out:
                count = writer(ctx, cast(TextIO, out), modalities=modalities or None, since=since, until=until)
            what = "events" if fmt == "gdelt" else "entities"
    if not app.quiet and output != "-":
        click.echo(f"wrote {count} {what} to {output}", err=True)

# --- end of analysis commands ------------------------------------------------------
