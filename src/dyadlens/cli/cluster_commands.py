"""Real events across reports: ``clusters`` (docs/event-identity.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dyadlens.cli.app import App, analysis, date_option, json_flag, main, opened_store, pass_app
from dyadlens.cli.render import emit_json, hanging, wrapped
from dyadlens.cli.text_views import counted

if TYPE_CHECKING:
    from dyadlens.analysis.clusters import ClusterView


@main.command("clusters")
@click.argument("actors", nargs=-1, metavar="[SOURCE TARGET]")
@click.option("--code", default=None, metavar="CAMEO", help="CAMEO code or prefix of the consolidated code.")
@date_option("--since", "Events whose consolidated date is on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Events whose consolidated date is on or before.")
@click.option("--min-reports", default=1, show_default=True, type=click.IntRange(min=1),
              help="Only events told by at least this many reports.")
@click.option("--limit", default=None, type=click.IntRange(min=1), help="At most this many events.")
@click.option("--rebuild", is_flag=True, help="Recompute every cluster first (a store migrated from before 0006).")
@json_flag
@pass_app
def clusters_command(
    app: App, actors: tuple[str, ...], code: str | None, since: str | None, until: str | None, min_reports: int,
    limit: int | None, rebuild: bool, as_json: bool,
) -> None:
    """List real events: the reports of one event across sentences and documents, grouped.

    Each event: its consolidated date, code and modality, how many reports, documents and
    outlets tell it, and each report (outlet, date, modality, the sentence).
    """
    from dyadlens.analysis.clusters import clusters

    if len(actors) not in (0, 2):
        raise click.UsageError("give both SOURCE and TARGET, or neither")
    if rebuild:
        _rebuild(app)
    with analysis(app) as ctx:
        source, target = (ctx.resolve_actor(actors[0]), ctx.resolve_actor(actors[1])) if actors else (None, None)
        views = clusters(ctx, source=source, target=target, code=code, since=since, until=until,
                         min_reports=min_reports, limit=limit)
    if app.json_wanted(as_json):
        emit_json([view.as_listing() for view in views])
        return
    for view in views:
        click.echo(_cluster_text(view))
    if not app.quiet:
        click.echo(f"{len(views)} events", err=True)


def _rebuild(app: App) -> None:
    from dyadlens.identity.store_sync import rebuild_clusters

    with opened_store(app) as store, store.transaction() as conn:
        found = rebuild_clusters(conn)
    if not app.quiet:
        click.echo(f"rebuilt {found} clusters", err=True)


def _cluster_text(view: ClusterView) -> str:
    source = view.source_name or view.source or "-"
    target = view.target_name or view.target or "-"
    counts = ", ".join(counted(n, noun) for n, noun in
                       ((view.reports, "report"), (view.documents, "document"), (view.outlets, "outlet")))
    head = f"{view.id}  {view.date or 'undated'}  {source} -> {view.code} {view.code_name} -> {target}"
    lines = [hanging(f"{head}  [{view.modality}]  ({counts})", " " * (len(view.id) + 2))]
    for member in view.members:
        told = f"{member.outlet or member.doc_id} {member.published or ''}".strip()
        lines.append(wrapped(f"- {told} [{member.date or 'undated'}, {member.code}, {member.modality}]: "
                             f"{member.sentence}"))
    return "\n".join(lines)
