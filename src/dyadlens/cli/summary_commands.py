"""The summary tables the counting views read: ``summaries`` (their size, a check, a rebuild)."""

from __future__ import annotations

import sys

import click

from dyadlens.cli.app import App, json_flag, main, opened_store, pass_app
from dyadlens.cli.render import echo_table, emit_json


@main.command("summaries")
@click.option("--rebuild", is_flag=True, help="Recompute the summaries from the events (after a bulk load).")
@click.option("--check", is_flag=True, help="Compare them with a count from scratch (exit 1 when they differ).")
@json_flag
@pass_app
def summaries_command(app: App, rebuild: bool, check: bool, as_json: bool) -> None:
    """The event summaries kept on write: rows and events per count mode.

    The series, network, overview and profile counts read them; every write keeps them (database
    triggers), so a rebuild is only needed after rows were loaded with the triggers dropped; it puts the
    triggers back.
    """
    from dyadlens.store import summaries

    with opened_store(app) as store:
        if rebuild:  # counted with the triggers dropped (each summary row would fire the per-actor ones), then kept
            with store.transaction() as conn:
                summaries.drop_triggers(conn)
                summaries.rebuild(conn)
                summaries.create_triggers(conn)
        with store.reader() as conn:
            sizes = summaries.sizes(conn)
            stale = summaries.stale_rows(conn) if check else []
    if app.json_wanted(as_json):
        emit_json({"db": str(app.db), "summaries": sizes, **({"stale": len(stale)} if check else {})})
    else:
        echo_table(["table", "mode", "rows", "counted"], [[*key.split(" "), *value] for key, value in sizes.items()])
        if check:
            click.echo(f"stale keys: {len(stale)}" if stale else "summaries: up to date")
    if stale:
        sys.exit(1)
