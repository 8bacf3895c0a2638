"""Evaluation: ``score``, ``eval``, ``eval-suite``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dyadlens.cli.app import (
    App,
    checked_pipeline,
    json_flag,
    main,
    pass_app,
    pipeline_option,
    set_option,
    without_option,
)
from dyadlens.cli.render import emit_json
from dyadlens.terminal_safety import escape_for_terminal

if TYPE_CHECKING:
    from dyadlens.evaluation.scorer import Report
    from dyadlens.resources import Resources

_existing_path = click.Path(exists=True, path_type=Path)
_actors_option = click.option(
    "--actors", "actors", type=_existing_path, default=None,
    help="Canonical actors table (default: ../shared/eval/actors.tsv from the current directory).",
)
_errors_option = click.option(
    "--errors", "show_errors", is_flag=True, help="List every false alarm and miss with its sentence."
)


def _emit_report(app: App, report: Report, show_errors: bool, as_json: bool) -> None:
    from dyadlens.evaluation.tables import format_report

    if app.json_wanted(as_json):
        emit_json(report.as_dict(with_errors=show_errors))
    else:
        click.echo(escape_for_terminal(format_report(report, with_errors=show_errors)))


@main.command("score")
@click.argument("system", type=_existing_path)
@click.argument("gold", type=_existing_path)
@click.option("--docs", "docs", required=True, type=_existing_path, help="The documents both files annotate.")
@_actors_option
@_errors_option
@json_flag
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
@click.option(
    "--clusters", "clusters", type=_existing_path, default=None,
    help="Cluster gold over --gold (which reports tell one real event, e.g. examples/clusters.gold.jsonl): "
    "also score event identity (pairwise and B-cubed precision/recall).",
)
@_actors_option
@_errors_option
@pipeline_option
@without_option
@set_option
@json_flag
@pass_app
def eval_command(
    app: App, gold: Path, docs: Path, clusters: Path | None, actors: Path | None, show_errors: bool,
    pipeline_file: Path | None, without: tuple[str, ...], settings: tuple[str, ...], as_json: bool,
) -> None:
    """Run the pipeline over --docs and score it against --gold.

    The documents are read into a temporary store; the store of --db is not touched.
    --without and --set measure what one mechanism adds (an ablation).
    """
    from dyadlens.errors import DyadlensError
    from dyadlens.evaluation.harness import evaluate

    config = checked_pipeline(pipeline_file, None, without, settings, app.coder)
    try:
        report = evaluate(gold, docs, app.resources(), actors, config=config, clusters_path=clusters)
    except DyadlensError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit_report(app, report, show_errors, as_json)


@main.command("eval-suite")
@click.argument("cases", type=_existing_path)
@click.option(
    "--packaged-verbs", is_flag=True,
    help="Code a suite that brings its own verb file with the packaged verb and noun entries too "
    "(by default its file alone decides, as in PETRARCH).",
)
@click.option(
    "--dyad-given", is_flag=True,
    help="PLOVER records: also score the category with the source and target given, for the rules, "
    "the learned model and the hybrid (docs/learned-coder.md).",
)
@json_flag
@pass_app
def eval_suite_command(app: App, cases: Path, packaged_verbs: bool, dyad_given: bool, as_json: bool) -> None:
    """Score the event coder on a PETRARCH or PLOVER cases.jsonl, per suite."""
    from dyadlens.errors import DyadlensError
    from dyadlens.evaluation.suites import run_suites
    from dyadlens.evaluation.tables import format_suites
    from dyadlens.resources import Resources

    def make_resources(kb_files: Sequence[Path], verb_files: Sequence[Path]) -> Resources:
        """A suite's own KB and verb files come on top of --kb; without any, the shared resources."""
        if not kb_files and not verb_files:
            return app.resources()
        return Resources(kb_files=(*app.kb_files, *kb_files), verb_files=verb_files)

    config = checked_pipeline(None, None, coder=app.coder)
    try:
        results = run_suites(cases, make_resources, own_verbs_only=not packaged_verbs, config=config)
    except DyadlensError as exc:
        raise click.ClickException(str(exc)) from exc
    given = _dyad_given(app, cases) if dyad_given else None
    if app.json_wanted(as_json):
        emit_json([r.as_dict() for r in results] if given is None else
                  {"suites": [r.as_dict() for r in results], "dyad_given": given})
        return
    click.echo(format_suites(results))
    for coder, row in (given or {}).items():
        click.echo(f"dyad given  {coder:<7} accuracy {row['accuracy']:.3f}  macro-F1 {row['macro_f1']:.3f}"
                   f"  ({row['cases']:.0f} records)")


def _dyad_given(app: App, cases: Path) -> dict[str, dict[str, float]]:
    from dyadlens.evaluation.dyad_given import evaluate_dyad_given
    from dyadlens.evaluation.suites import PLOVER_SUITE_PREFIX, read_cases
    from dyadlens.learned.classifier import PairClassifier

    plover = [case for case in read_cases(cases) if case.suite.startswith(PLOVER_SUITE_PREFIX)]
    return evaluate_dyad_given(plover, app.resources(), PairClassifier.from_file())
