"""Analysis: ``timeline``, ``series``, ``network``, ``sources``, ``search``, ``report``, ``serve``,
``export-events``. Each builds one view of :mod:`dyadlens.analysis`; its text form is the view's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast

import click

from dyadlens.cli.app import ANALYSIS_MODALITIES, App, analysis, count_option, date_option, json_flag, main, pass_app
from dyadlens.cli.render import emit_view

_PERIODS = click.Choice(["month", "quarter", "year"])
_Command = TypeVar("_Command", bound=Callable[..., Any])


def page_options(default_limit: int | None, what: str) -> Callable[[_Command], _Command]:
    """``--limit N --offset N``: which page of a long list to show (the total is said on stderr)."""

    def decorate(command: _Command) -> _Command:
        limit_help = f"At most this many {what}" + (f" (default {default_limit})." if default_limit else ".")
        command = click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0),
                               help=f"Skip this many {what} first (the next page: --offset LIMIT).")(command)
        return click.option("--limit", default=default_limit, type=click.IntRange(min=1), help=limit_help)(command)

    return decorate


def say_window(app: App, window: Any, what: str, as_json: bool = False) -> None:
    """``1–50 of 57,740 events`` on stderr, unless quiet or printing JSON (whose payload says it)."""
    if window is not None and not (app.quiet or app.json_wanted(as_json)):
        click.echo(f"{window.shown} {what}", err=True)


@main.command("timeline")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option(
    "--modality", "modalities", multiple=True, type=ANALYSIS_MODALITIES,
    help="Only these modalities (repeatable; default: all).",
)
@date_option("--since", "From this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Up to this date.")
@count_option
@click.option("--reports", "show_reports", is_flag=True, help="List each event's reports under it.")
@page_options(200, "rows")
@json_flag
@pass_app
def timeline_command(app: App, actor_a: str, actor_b: str, modalities: tuple[str, ...], since: str | None,
                     until: str | None, count: str, show_reports: bool, limit: int, offset: int,
                     as_json: bool) -> None:
    """Events between two actors, both directions, by date.

    An event the text does not date is placed at its document's date (marked *). Each real event
    is one row, with how often it was told (--reports lists its reports; --count reports lists
    every report); a standing fact ("still lists") is an observation, not an event.
    """
    from dyadlens.analysis.timeline import dyad_timeline
    from dyadlens.cli.text_views import timeline_text

    with analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        view = dyad_timeline(ctx, a, b, modalities=modalities or None, since=since, until=until, count=count,
                             limit=limit, offset=offset)
        emit_view(app.json_wanted(as_json), view, lambda t: timeline_text(t, show_reports=show_reports))
    say_window(app, view.window, "rows", as_json)


@main.command("series")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--by", type=_PERIODS, default="month", show_default=True, help="Length of one period.")
@click.option(
    "--modality", "modalities", multiple=True, type=ANALYSIS_MODALITIES,
    help="Modalities to count (repeatable; default: asserted).",
)
@click.option("--directed", is_flag=True, help="Only events from the first actor to the second.")
@count_option
@click.option("--ids", "with_ids", is_flag=True, help="List the first event ids of each period.")
@json_flag
@pass_app
def series_command(app: App, actor_a: str, actor_b: str, by: str, modalities: tuple[str, ...], directed: bool,
                   count: str, with_ids: bool, as_json: bool) -> None:
    """Cooperation-conflict series of a dyad.

    Per period: event counts by quad class and the mean Goldstein weight.
    """
    from dyadlens.analysis.series import dyad_series
    from dyadlens.cli.text_views import series_text

    with analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        view = dyad_series(ctx, a, b, by=by, modalities=modalities or ("asserted",), directed=directed, count=count,
                           with_ids=with_ids)
        emit_view(app.json_wanted(as_json), view, series_text)


@main.command("network")
@date_option("--since", "From this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Up to this date.")
@click.option(
    "--quad", "quads", multiple=True, type=click.IntRange(1, 4), help="Only this quad class (1-4, repeatable)."
)
@click.option(
    "--modality", "modalities", multiple=True, type=ANALYSIS_MODALITIES, help="Modalities (default: asserted)."
)
@count_option
@page_options(200, "edges")
@json_flag
@pass_app
def network_command(app: App, since: str | None, until: str | None, quads: tuple[int, ...],
                    modalities: tuple[str, ...], count: str, limit: int, offset: int, as_json: bool) -> None:
    """The actor network of a period.

    Directed edges source -> target with event counts and mean Goldstein weight.
    """
    from dyadlens.analysis.network import actor_network
    from dyadlens.cli.text_views import network_text

    with analysis(app) as ctx:
        view = actor_network(
            ctx, since=since, until=until, quad_classes=quads or None, modalities=modalities or ("asserted",),
            count=count, limit=limit, offset=offset,
        )
        emit_view(app.json_wanted(as_json), view, network_text)
    say_window(app, view.window, "edges", as_json)


@main.command("sources")
@click.argument("actors", nargs=-1)
@click.option("--code", default=None, metavar="CAMEO", help="Only events with this CAMEO code prefix.")
@json_flag
@pass_app
def sources_command(app: App, actors: tuple[str, ...], code: str | None, as_json: bool) -> None:
    """Compare sources on a dyad (A B) or on an event code.

    Reports are grouped into claims (source, target, CAMEO base code); a claim that one source
    asserts and another negates, doubts or calls alleged is marked DISPUTED.
    """
    from dyadlens.analysis.sources import sources_side_by_side
    from dyadlens.cli.text_views import sources_text

    if len(actors) not in (0, 2) or (not actors and code is None):
        raise click.UsageError("give two actors (A B), or --code CAMEO, or both")
    with analysis(app) as ctx:
        a, b = (ctx.resolve_actor(actors[0]), ctx.resolve_actor(actors[1])) if actors else (None, None)
        view = sources_side_by_side(ctx, a, b, code=code)
        emit_view(app.json_wanted(as_json), view, sources_text)


@main.command("search")
@click.argument("query", required=False, default="")
@click.option(
    "--actor", default=None, metavar="ACTOR", help="Only sentences that mention this actor (name, alias or id)."
)
@date_option("--since", "Documents published from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Documents published up to this date.")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only this document.")
@click.option("--outlet", default=None, metavar="NAME", help="Only documents of this outlet.")
@click.option("--year", default=None, metavar="YYYY", help="Only documents published in this year.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default=None,
              help="Order of the results [default: relevance with words, newest without].")
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(min=1), help="At most this many sentences."
)
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), help="Skip this many first.")
@json_flag
@pass_app
def search_command(app: App, query: str, actor: str | None, since: str | None, until: str | None,
                   doc_id: str | None, outlet: str | None, year: str | None, sort: str | None, limit: int,
                   offset: int, as_json: bool) -> None:
    """Full-text search over sentences, stemmed ("sanction" finds "sanctions"), or the sentences
    that the filters alone admit.

    QUERY: words, "exact phrase", OR, prefix*. The total counts every match; --json adds the facets.
    """
    from dyadlens.analysis.search import search_sentences
    from dyadlens.cli.text_views import search_text

    with analysis(app) as ctx:
        actor_id = ctx.resolve_actor(actor) if actor else None
        view = search_sentences(ctx, query, actor=actor_id, since=since, until=until, doc_id=doc_id, limit=limit,
                                offset=offset, sort=sort, outlet=outlet, year=year)
        emit_view(app.json_wanted(as_json), view, search_text)


@main.command("report")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write."
)
@click.option("--by", type=_PERIODS, default="month", show_default=True, help="Period of the series chart.")
@click.option(
    "--modality", "modalities", multiple=True, type=ANALYSIS_MODALITIES,
    help="Modalities the series counts (default: asserted).",
)
@date_option("--since", "The brief's period from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "The brief's period up to this date.")
@count_option
@pass_app
def report_command(app: App, actor_a: str, actor_b: str, output: Path, by: str, modalities: tuple[str, ...],
                   since: str | None, until: str | None, count: str) -> None:
    """Write a self-contained HTML brief of a dyad.

    A summary first (three numbers, the state track, the five most important events and
    quotes, what changed in the period), the charts, then the detail folded: designation
    status, key quotes, events, sources side by side and the evidence list, in one file
    that opens offline.
    """
    from dyadlens.web.report import write_report

    with analysis(app) as ctx:
        a, b = ctx.resolve_actor(actor_a), ctx.resolve_actor(actor_b)
        write_report(ctx, a, b, output, by=by, modalities=modalities or ("asserted",), store_name=app.db.name,
                     count=count, since=since, until=until)
    if not app.quiet:
        click.echo(f"wrote {output}", err=True)


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind (keep it local unless you mean it)."
)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable); '*' answers any name.")
@click.option("--write", is_flag=True,
              help="Write mode: correct events in the pages (loopback only; open the URL with its session token).")
@click.option("--analyst", default=None, envvar="DYADLENS_ANALYST",
              help="Who makes the corrections in write mode (default: $DYADLENS_ANALYST).")
@pass_app
def serve_command(app: App, host: str, port: int, allow_hosts: tuple[str, ...], write: bool,
                  analyst: str | None) -> None:
    """Browse the store in a web browser (read-only unless --write).

    Answers only requests addressed to the bound host (and localhost names when local or bound to
    all interfaces) or to an --allow-host name, so other web sites cannot read the store.
    """
    from dyadlens.web.app import WebApp
    from dyadlens.web.hosts import HostPolicy, host_name, is_all_interfaces, network_warning
    from dyadlens.web.server import make_web_server
    from dyadlens.web.write import WriteSession, check_write_host

    try:
        hosts = HostPolicy.for_bind(host, allow_hosts)
        if write:
            check_write_host(host)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--write" if write else "--allow-host") from error
    session = WriteSession(analyst) if write else None
    store = app.store(create=False) if write else app.store(read_only=True)
    resources = app.resources()
    web_app = WebApp(store, resources.ontology, resources.kb, hosts=hosts, write=session)
    server = make_web_server(web_app, host=host, port=port)
    warning = network_warning(host, server.server_port, hosts)
    if warning:
        click.echo(warning, err=True)
    url_host = "localhost" if is_all_interfaces(host) else host_name(host)
    url = f"http://{url_host}:{server.server_port}/"
    shown = session.url(url) if session is not None else url
    click.echo(f"dyadlens serving {app.db} at {shown} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()


@main.command("export-events")
@click.option(
    "--format", "fmt", required=True, type=click.Choice(["gdelt", "graphml", "ftm"]),
    help="gdelt: GDELT 2.0-style TSV with evidence columns; graphml: actor network; ftm: FollowTheMoney JSON lines.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write ('-' = stdout; not for graphml).",
)
@click.option(
    "--modality", "modalities", multiple=True, type=ANALYSIS_MODALITIES,
    help="Only these modalities (default: all; graphml: asserted).",
)
@date_option("--since", "Events from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Events up to this date.")
@count_option
@pass_app
def export_events_command(app: App, fmt: str, output: str, modalities: tuple[str, ...], since: str | None,
                          until: str | None, count: str) -> None:
    """Export events for other tools (columns and entities: docs/exports.md)."""
    with analysis(app) as ctx:
        if fmt == "graphml":
            from dyadlens.analysis.network import actor_network
            from dyadlens.exports.graphml import edge_spans, write_graphml

            if output == "-":
                raise click.UsageError("graphml needs a file: -o PATH")
            network = actor_network(ctx, since=since, until=until, modalities=modalities or ("asserted",),
                                    count=count, limit=None)
            written = write_graphml(network, Path(output), edge_spans(ctx, network))
            what = "edges"
        else:
            from dyadlens.exports.ftm import write_ftm
            from dyadlens.exports.gdelt import write_gdelt

            with click.open_file(output, "w", encoding="utf-8") as out:
                if fmt == "gdelt":
                    written = write_gdelt(ctx, cast(TextIO, out), modalities=modalities or None, since=since,
                                          until=until, count=count)
                else:
                    written = write_ftm(ctx, cast(TextIO, out), modalities=modalities or None, since=since,
                                        until=until)
            what = count if fmt == "gdelt" else "entities"
    if not app.quiet and output != "-":
        click.echo(f"wrote {written} {what} to {output}", err=True)
