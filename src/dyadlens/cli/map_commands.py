"""The map's counts on the terminal: ``map``."""

from __future__ import annotations

import click

from dyadlens.cli.app import MODALITY_CHOICE, App, analysis, count_option, date_option, json_flag, main, pass_app
from dyadlens.cli.render import echo_table, emit_json


@main.command("map")
@date_option("--since", "Events dated on or after (YYYY, YYYY-MM, YYYY-MM-DD; undated: their document's date).")
@date_option("--until", "Events dated on or before.")
@click.option("--actor", default=None, metavar="ACTOR", help="Events with this actor on either side.")
@click.option("--root", default=None, metavar="CC", help="Events under this CAMEO root (two digits).")
@click.option("--quad", default=None, type=click.IntRange(1, 4), help="Events of this quad class (1-4).")
@click.option("--modality", "modalities", multiple=True, type=MODALITY_CHOICE, help="Only these (repeatable).")
@click.option("--coder", default=None, metavar="NAME", help="Events coded by this coder (rules, model...).")
@click.option("--outlet", default=None, metavar="NAME", help="Events reported by this outlet.")
@click.option("--country", default=None, metavar="ISO3", help="Only events located in this country.")
@count_option
@json_flag
@pass_app
def map_command(
    app: App, since: str | None, until: str | None, actor: str | None, root: str | None, quad: int | None,
    modalities: tuple[str, ...], coder: str | None, outlet: str | None, country: str | None, count: str,
    as_json: bool,
) -> None:
    """Events per country of their place: the table under the web UI's map (/map), same filters
    as the events explorer (/events)."""
    from dyadlens.analysis.common import to_jsonable
    from dyadlens.analysis.explorer import ExplorerFilters
    from dyadlens.analysis.places_map import event_map

    with analysis(app) as ctx:
        filters = ExplorerFilters(
            actor=ctx.resolve_actor(actor) if actor else None, root=root, quad=quad, modalities=modalities or None,
            coder=coder, outlet=outlet, country=country.upper() if country else None, since=since, until=until,
            count=count,
        )
        view = event_map(ctx, filters)
    if app.json_wanted(as_json):
        emit_json(to_jsonable(view))
        return
    unit = "events" if count == "events" else "reports"
    echo_table(["ISO3", unit, "country"], [[c.country, c.count, c.name] for c in view.countries])
    if not app.quiet:
        total = f"more than {view.total:,}" if view.total_is_lower_bound else f"{view.total:,}"
        click.echo(f"{view.located:,} of {total} {unit} located in {len(view.countries)} countries "
                   f"({view.unlocated} without a country)", err=True)
