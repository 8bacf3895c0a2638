"""Collecting from the web: ``fetch`` and ``feeds`` (docs/collecting.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dyadlens.cli.app import App, checked_pipeline, main, opened_store, pass_app, pipeline_option, with_store_coder
from dyadlens.cli.ingest_progress import finish_ingest, ingest_progress
from dyadlens.cli.render import terminal_safe

if TYPE_CHECKING:
    from dyadlens.ingest.collect import Collector

_Command = Callable[..., Any]


def _collect_options(command: _Command) -> _Command:
    """The options ``fetch`` and ``feeds`` share: politeness, limits, the pipeline, the output."""
    options = [
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Seconds between two requests to the same host (a longer robots.txt Crawl-delay wins)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
                     help="Seconds to wait for a connection or for data."),
        click.option("--max-bytes", type=click.IntRange(min=1), default=None,
                     help="Largest response accepted, in bytes (default 20 MiB)."),
        click.option("--contact", envvar="DYADLENS_CONTACT", default=None, metavar="URL-OR-EMAIL",
                     help="How site owners reach you, sent in the user agent (default: $DYADLENS_CONTACT)."),
        click.option("--store-raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                     help="Also keep each downloaded page in DIR (with a meta.jsonl, so 'ingest DIR' reads it)."),
        click.option("--replace", is_flag=True, help="Let a page that changed replace the document stored from it."),
        pipeline_option,
        click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON report."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@_collect_options
@pass_app
def fetch_command(app: App, /, urls: tuple[str, ...], as_json: bool, **options: Any) -> None:
    """Download web pages (http/https) politely and ingest them like files.

    robots.txt is respected, requests to one host are spaced by --delay, and
    each page is one document (id from its URL): a page that cannot be
    fetched or read is reported and the others go on. A page fetched again
    with the same bytes is skipped.
    """
    from dyadlens.ingest.collect import fetch_urls

    with _collector(app, urls, as_json, options) as collector:
        report = fetch_urls(collector, urls)
    finish_ingest(report, {**report.as_dict(), "db": str(app.db)}, app.json_wanted(as_json), app.quiet)


@main.command("feeds")
@click.argument("feed_list", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_collect_options
@pass_app
def feeds_command(app: App, /, feed_list: Path, as_json: bool, **options: Any) -> None:
    """Read RSS/Atom feeds (FILE: one feed URL a line, # comments) and ingest their new items.

    The store remembers each feed's items already ingested and its ETag and
    Last-Modified, so a rerun asks the server whether the feed changed and
    fetches only the items not seen before.
    """
    from dyadlens.errors import InputError
    from dyadlens.ingest.collect import read_feeds
    from dyadlens.ingest.feeds import read_feed_list

    try:
        feed_urls = read_feed_list(feed_list)
    except InputError as error:
        raise click.ClickException(str(error)) from None
    with _collector(app, tuple(feed_urls), as_json, options) as collector:
        report = read_feeds(collector, feed_urls)
    if not (app.json_wanted(as_json) or app.quiet):
        for feed in report.feeds:
            line = f"feed {feed.url}: {feed.status}"
            detail = f", {feed.items} items, {feed.new} new, {feed.ingested} ingested" if feed.status == "read" else ""
            click.echo(terminal_safe(line + detail), err=True)
    finish_ingest(report.ingest, {**report.as_dict(), "db": str(app.db)}, app.json_wanted(as_json), app.quiet)


@contextmanager
def _collector(app: App, urls: tuple[str, ...], as_json: bool, options: dict[str, Any]) -> Iterator[Collector]:
    """The store, the pipeline and the polite HTTP client of one run, with the progress lines."""
    from dyadlens.ingest.collect import Collector
    from dyadlens.ingest.discover import DEFAULT_MAX_BYTES
    from dyadlens.ingest.politeness import FetchPolicy, PoliteClient, user_agent
    from dyadlens.runner import PipelineSpec

    config = checked_pipeline(options["pipeline_file"], None, coder=app.coder)
    policy = FetchPolicy(
        user_agent=user_agent(options["contact"]),
        delay=options["delay"],
        timeout=options["timeout"],
        max_bytes=options["max_bytes"] or DEFAULT_MAX_BYTES,
    )
    with opened_store(app, create=True) as store:
        spec = PipelineSpec(kb_files=tuple(str(p) for p in app.kb_files), config=with_store_coder(config, store))
        # The number of pages is not known ahead (feeds): no progress bar, one line per failure.
        with ingest_progress(urls, show_bar=False, show_failures=not app.json_wanted(as_json)) as on_progress:
            yield Collector(
                store=store,
                pipeline=spec.build(),
                client=PoliteClient(policy),
                on_progress=on_progress,
                replace=options["replace"],
                raw_dir=options["raw_dir"],
            )
