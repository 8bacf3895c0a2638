"""Persons found through their titles: ``persons``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from dyadlens.cli.app import App, json_flag, main, pass_app
from dyadlens.cli.render import echo_table, emit_json


@main.command("persons")
@click.option(
    "--kb-file",
    "kb_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write them as a KB people file (YAML) to review and load with --kb.",
)
@json_flag
@pass_app
def persons_command(app: App, kb_file: Path | None, as_json: bool) -> None:
    """List the persons the KB does not know whose title says whom they act for.

    With their affiliation, offices, document count and first and last dates.
    """
    import yaml

    from dyadlens.analysis.persons import people_file, person_table

    store = app.store(create=False)
    try:
        rows = person_table(store)
    finally:
        store.close()
    if kb_file is not None:
        kb_file.write_text(yaml.safe_dump(people_file(rows), sort_keys=False, allow_unicode=True), encoding="utf-8")
    if app.json_wanted(as_json):
        emit_json([asdict(r) for r in rows])
        return
    if not rows:
        click.echo("no persons")
        return
    headers = ["name", "affiliation", "offices", "docs", "first", "last"]
    echo_table(headers, [[r.name, r.affiliation, "; ".join(r.offices), r.documents, r.first, r.last] for r in rows])
