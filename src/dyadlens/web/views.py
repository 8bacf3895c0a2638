"""The pages of the web UI, each one analysis call; its JSON twin is the same payload.

A view returns a :class:`Page`: the template to render, the payload (an
analysis dataclass, served as-is at ``/api/...`` or with ``?format=json``)
and extras that only the HTML needs (charts, text runs), derived from the
payload. Long lists come one page at a time (``?page=N``, :data:`PAGE_SIZE`
rows, :func:`pager`: the true total and links to the pages beside it that keep
every other filter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

from dyadlens.analysis.actors import AmbiguousActorError
from dyadlens.analysis.brief import Brief, brief_summary
from dyadlens.analysis.common import PAGE_SIZE, AnalysisContext, Window, check_modalities
from dyadlens.analysis.document import document_view
from dyadlens.analysis.dyad import CLAIMS_LISTED, dyad_brief, dyad_sources
from dyadlens.analysis.explorer import EXPLORER_PAGE, ExplorerFilters, event_page, events_csv, explore_events
from dyadlens.analysis.explorers import actors, designations, documents, quotes
from dyadlens.analysis.explorers.base import Listing
from dyadlens.analysis.network import EDGES_SHOWN, actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.places_map import event_map
from dyadlens.analysis.profile import MENTIONS_PAGE, Profile, actor_profile
from dyadlens.analysis.search import SearchView, search_csv, search_sentences
from dyadlens.analysis.sources import SourcesLink
from dyadlens.analysis.status import STATUS_SHOWN
from dyadlens.errors import DyadlensError
from dyadlens.store import check_count
from dyadlens.web.charts import series_svg, timeline_svg
from dyadlens.web.highlight import document_blocks
from dyadlens.web.links import WebLinks
from dyadlens.web.map_chart import map_svg

Query = dict[str, list[str]]


@dataclass(slots=True)
class Page:
    template: str
    title: str
    payload: Any
    extras: dict[str, Any] = field(default_factory=dict)


View = Callable[[AnalysisContext, list[str], Query], Page]


class PageNotFound(DyadlensError):
    """A path that names no page, though its first segment and length match one (``/dyad/A/B/nothing``)."""


def _one(query: Query, name: str, default: str | None = None) -> str | None:
    values = [v for v in query.get(name, []) if v.strip()]
    return values[0].strip() if values else default


def _count(query: Query) -> str:
    """``?count=``: each real event once (the default) or every report."""
    return check_count(_one(query, "count", "events") or "events")


def _page_number(query: Query) -> int:
    """``?page=``: which page of a long list, from 1."""
    value = _one(query, "page", "1") or "1"
    if not value.isdigit() or int(value) < 1:
        raise DyadlensError(f"page must be a number from 1, not {value!r}")
    return int(value)


def _offset(query: Query, size: int) -> int:
    return (_page_number(query) - 1) * size


def pager(window: Window | None, query: Query) -> dict[str, Any] | None:
    """What the page links show: ``1–50 of 57,740`` and the previous and next pages' query strings,
    every other parameter kept; None when the list fits one page."""
    if window is None or window.limit is None or (window.offset == 0 and not window.has_next):
        return None
    page = _page_number(query)

    def link(number: int) -> str:
        kept = [(name, value) for name, values in query.items() if name != "page" for value in values]
        return "?" + urlencode([*kept, ("page", str(number))])

    return {"shown": window.shown, "previous": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if window.has_next else None}


def overview_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    overview = corpus_overview(ctx, count=_count(query), limit=PAGE_SIZE, offset=_offset(query, PAGE_SIZE))
    return Page("overview.html", "Overview", overview, {"pager": pager(overview.window, query)})


def actor_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """The actor (or person) page; a name that stands for several actors lists them instead."""
    try:
        actor_id = ctx.resolve_actor(args[0])
    except AmbiguousActorError as error:
        candidates = [{"id": i, "name": ctx.actor_name(i)} for i in error.candidates]
        return Page("actor_candidates.html", args[0], {"name": args[0], "candidates": candidates})
    mentions_page = _page_number({"page": query.get("mentions", [])})
    profile = actor_profile(ctx, actor_id, count=_count(query), limit=PAGE_SIZE, offset=_offset(query, PAGE_SIZE),
                            mentions_offset=(mentions_page - 1) * MENTIONS_PAGE)
    extras = {"pager": pager(profile.events_window, query), "mentions_pager": _mentions_pager(profile, query)}
    return Page("actor.html", profile.name or profile.id, profile, extras)


def _mentions_pager(profile: Profile, query: Query) -> dict[str, Any] | None:
    """The mentions' own page links (``?mentions=N``), every other parameter kept."""
    window = profile.mentions_window
    if window is None or (window.offset == 0 and not window.has_next):
        return None
    number = window.offset // MENTIONS_PAGE + 1

    def link(to: int) -> str:
        kept = [(name, value) for name, values in query.items() if name != "mentions" for value in values]
        return "?" + urlencode([*kept, ("mentions", str(to))]) + "#mentions"

    return {"shown": window.shown, "previous": link(number - 1) if number > 1 else None,
            "next": link(number + 1) if window.has_next else None}


def _status_offset(query: Query) -> int:
    """``?status_offset=``: the first status step a dyad page shows (0: the steps in force, then the latest)."""
    value = _one(query, "status_offset", "0") or "0"
    if not value.isdigit():
        raise DyadlensError(f"status_offset must be a whole number, not {value!r}")
    return int(value)


def _status_pager(window: Window | None, query: Query) -> dict[str, str | None] | None:
    """The dyad page's links to its next and previous status steps, every other parameter kept."""
    if window is None or window.limit is None:
        return None

    def link(offset: int) -> str:
        kept = [(name, value) for name, values in query.items() if name != "status_offset" for value in values]
        return "?" + urlencode([*kept, ("status_offset", str(offset))])

    return {"previous": link(max(window.offset - window.limit, 0)) if window.offset else None,
            "next": link(window.offset + window.limit) if window.has_next else None}


#: The query parameters of a dyad page that are its own page's place, not a filter: left out of its other links.
DYAD_PLACES = ("page", "status_offset", "format")


def _dyad_filters(query: Query) -> list[tuple[str, str]]:
    """The dyad page's filters (period, series, modality, count), in the order given."""
    return [(name, value) for name, values in query.items() if name not in DYAD_PLACES for value in values]


def _dyad_url(a: str, b: str, query: Query, tail: str = "") -> str:
    """``/dyad/A/B`` + ``tail`` with the dyad page's filters."""
    kept = urlencode(_dyad_filters(query))
    return f"{WebLinks().dyad(a, b)}{tail}" + (f"?{kept}" if kept else "")


def _sources_link(a: str, b: str, query: Query) -> SourcesLink:
    """Where the dyad's sources side by side are: ``/dyad/A/B/sources`` and its JSON twin, the filters kept
    (so that its link back to the dyad page returns to the same view)."""
    url = _dyad_url(a, b, query, "/sources")
    return SourcesLink(url=url, api=f"/api{url}")


def dyad_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/dyad/A/B``: the dyad's charts, status, key quotes and events; its sources side by side are a page of
    their own (:func:`dyad_sources_page`), which the folded section links to and loads when it is opened."""
    a, b = ctx.resolve_actor(args[0]), ctx.resolve_actor(args[1])
    modalities = check_modalities(query.get("modality") or ["asserted"])
    brief = dyad_brief(ctx, a, b, by=_one(query, "by", "month") or "month", modalities=modalities,
                       count=_count(query), limit=PAGE_SIZE, offset=_offset(query, PAGE_SIZE),
                       since=_one(query, "since"), until=_one(query, "until"),
                       status_limit=STATUS_SHOWN, status_offset=_status_offset(query),
                       sources_at=_sources_link(a, b, query))
    title = f"{brief.a_name} – {brief.b_name}"
    acts = [e for e in brief.timeline.events if e.kind == "event"]
    extras = {
        "timeline_chart": timeline_svg(acts, f"Events between {brief.a_name} and {brief.b_name}"),
        "series_chart": series_svg(brief.series),
        "pager": pager(brief.timeline.window, query),
        "status_pager": _status_pager(brief.status_window, query),
    }
    return Page("dyad.html", title, brief, extras)


def dyad_sources_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/dyad/A/B/sources``: the dyad's sources side by side, :data:`CLAIMS_LISTED` claims a page
    (``?page=N``), disputed first. The sources weigh every report of the dyad, whatever the dyad page's
    filters; those are kept in the link back to it."""
    if args[2] != "sources":
        raise PageNotFound(f"no page at /dyad/{'/'.join(args)}")
    a, b = ctx.resolve_actor(args[0]), ctx.resolve_actor(args[1])
    ctx.load_names([a, b])  # the KB's names: no look-up through every document naming a frequent actor
    view = dyad_sources(ctx, a, b, offset=_offset(query, CLAIMS_LISTED))
    names = (ctx.actor_name(a) or a, ctx.actor_name(b) or b)
    extras = {"pager": pager(view.window, query), "names": names, "dyad_url": _dyad_url(a, b, query)}
    return Page("sources.html", f"Sources side by side: {names[0]} – {names[1]}", view, extras)


def brief_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/brief/A/B``: the dyad's summary first (analysis/brief.py), then the dyad page's detail, folded."""
    dyad = dyad_page(ctx, args, query)
    since, until = _one(query, "since"), _one(query, "until")
    whole = dyad.payload.status if dyad.payload.status_window is None else None  # a page of steps: read them all
    summary = brief_summary(ctx, dyad.payload.a, dyad.payload.b, since=since, until=until, status=whole)
    brief = Brief(summary, dyad.payload)
    return Page("brief.html", f"Brief: {dyad.title}", brief, dyad.extras)


def network_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    quads = tuple(int(q) for value in query.get("quad", []) for q in value.split(",") if q.strip())
    if any(not 1 <= q <= 4 for q in quads):
        raise DyadlensError("quad must be 1, 2, 3 or 4")
    network = actor_network(
        ctx,
        since=_one(query, "since"),
        until=_one(query, "until"),
        quad_classes=quads or None,
        modalities=check_modalities(query.get("modality") or ["asserted"]),
        count=_count(query),
        limit=EDGES_SHOWN,
        offset=_offset(query, EDGES_SHOWN),
    )
    return Page("network.html", "Actor network", network, {"pager": pager(network.window, query)})


def document_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    view = document_view(ctx, args[0])
    sentence = _one(query, "sentence")
    event_id = _one(query, "event")
    sentence_index = int(sentence) if sentence and sentence.isdigit() else None
    blocks = document_blocks(view, event_id=event_id, sentence_index=sentence_index)
    return Page("document.html", view.title or view.id, view, {"blocks": blocks, "selected_event": event_id})


#: Sentences a page of ``/search`` shows: 25 keep the page within four screens (tests/test_page_heights.py).
SEARCH_PAGE = 25

#: The query parameters of ``/search`` (a facet link sets one of them, keeping the others).
SEARCH_PARAMETERS = ("q", "actor", "since", "until", "doc", "outlet", "year", "sort")


def search_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/search``: words, filters or both; with neither, the empty form."""
    text, actor, since, until, doc_id, outlet, year, sort = (_one(query, name) for name in SEARCH_PARAMETERS)
    if text is None and not any((actor, since, until, doc_id, outlet, year)):
        empty = SearchView(query="", actor=actor, since=since, until=until, doc_id=doc_id, results=[])
        return Page("search.html", "Search", empty)
    actor_id = ctx.resolve_actor(actor) if actor else None
    view = search_sentences(ctx, text or "", actor=actor_id, since=since, until=until, doc_id=doc_id,
                            limit=SEARCH_PAGE, offset=_offset(query, SEARCH_PAGE), sort=sort, outlet=outlet,
                            year=year)
    kept = [(name, value) for name, values in query.items() if name != "format" for value in values]
    extras = {"pager": pager(view.window, query), "facet_link": partial(_search_link, kept),
              "csv_url": "/search.csv?" + urlencode(kept)}
    return Page("search.html", f"Search: {text or 'filters'}", view, extras)


def _search_link(kept: list[tuple[str, str]], name: str, value: str) -> str:
    """The search with ``name`` set to ``value`` (a facet's value), from its first page."""
    return "?" + urlencode([(k, v) for k, v in kept if k not in (name, "page")] + [(name, value)])


def search_csv_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/search.csv``: the results ``/search`` shows with the same query string (its page included)."""
    page = search_page(ctx, args, query)
    return Page(page.template, page.title, page.payload, {"download": ("search.csv", search_csv(page.payload))})


#: The ``/events`` filters that a facet value sets (``modality`` may be given several times).
EXPLORER_FILTERS = ("actor", "root", "quad", "modality", "coder", "outlet", "country", "since", "until")


def explorer_filters(ctx: AnalysisContext, query: Query) -> ExplorerFilters:
    """``/events``'s query string as filters; an actor is resolved by name or alias."""
    actor, quad = _one(query, "actor"), _one(query, "quad")
    if quad is not None and not quad.isdigit():
        raise DyadlensError(f"quad must be 1, 2, 3 or 4, not {quad!r}")
    return ExplorerFilters(
        actor=ctx.resolve_actor(actor) if actor else None, root=_one(query, "root"),
        quad=int(quad) if quad else None, modalities=check_modalities(query.get("modality")),
        coder=_one(query, "coder"), outlet=_one(query, "outlet"), country=_one(query, "country"),
        since=_one(query, "since"), until=_one(query, "until"), sort=_one(query, "sort", "date") or "date",
        count=_count(query),
    )


def _with(query: Query, name: str, value: str | None, *, toggle: bool = False) -> str:
    """The query string with ``name`` set to ``value`` (None: removed; ``toggle``: a repeated parameter's
    value added or taken away), back on page 1."""
    kept = [(k, v) for k, values in query.items() if k not in ("page", name) for v in values]
    current = query.get(name, [])
    chosen = ([v for v in current if v != value] if value in current else [*current, value]) if toggle else [value]
    return "?" + urlencode([*kept, *((name, v) for v in chosen if v is not None)])


def events_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    explorer = explore_events(ctx, explorer_filters(ctx, query), limit=EXPLORER_PAGE,
                              offset=_offset(query, EXPLORER_PAGE))

    def facet_link(name: str, value: str, selected: bool) -> str:
        return _with(query, name, None if selected and name != "modality" else value, toggle=name == "modality")

    extras = {"pager": pager(explorer.window, query), "facet_link": facet_link,
              "sort_link": lambda key: _with(query, "sort", key), "clear_link": lambda name: _with(query, name, None),
              "csv_url": "/events.csv?" + urlencode([(k, v) for k, values in query.items() for v in values])}
    return Page("events.html", "Events", explorer, extras)


def events_csv_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/events.csv``: the rows ``/events`` shows with the same query string (its page included)."""
    explorer = explore_events(ctx, explorer_filters(ctx, query), limit=EXPLORER_PAGE,
                              offset=_offset(query, EXPLORER_PAGE), with_facets=False)
    return Page("events.csv", "Events", explorer, {"download": ("events.csv", events_csv(explorer.rows))})


def single_event_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    shown = event_page(ctx, args[0])
    return Page("event.html", f"Event {shown.row.code} {shown.row.code_name}", shown)


# --- the explorers of documents, quotes, designations and actors (analysis/explorers) ----------------

Explore = Callable[..., Listing[Any]]
#: Per explorer (its path): the explore function, the CSV writer, the title and the filters it reads.
TABLE_EXPLORERS: Mapping[str, tuple[Explore, Callable[[list[Any]], str], str, tuple[str, ...]]] = MappingProxyType({
    "documents": (documents.explore_documents, documents.documents_csv, "Documents", documents.DOCUMENT_FILTERS),
    "quotes": (quotes.explore_quotes, quotes.quotes_csv, "Quotes", quotes.QUOTE_FILTERS),
    "designations": (designations.explore_designations, designations.designations_csv, "Designations",
                     designations.DESIGNATION_FILTERS),
    "actors": (actors.explore_actors, actors.actors_csv, "Actors", actors.ACTOR_FILTERS),
})


def _table_explorer(name: str, *, download: bool = False) -> View:
    """``/NAME`` (``download``: ``/NAME.csv``, the rows that page shows): one page of the explorer with
    its filters, sort and page from the query string; facet links set or clear a value, every other
    parameter kept."""
    explore, to_csv, title, parameters = TABLE_EXPLORERS[name]

    def view(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
        sort = _one(query, "sort")
        listing = explore(ctx, {p: _one(query, p) for p in parameters}, **({"sort": sort} if sort else {}),
                          limit=EXPLORER_PAGE, offset=_offset(query, EXPLORER_PAGE), with_facets=not download)
        if download:
            return Page(f"{name}.html", title, listing, {"download": (f"{name}.csv", to_csv(listing.rows))})
        extras = {"pager": pager(listing.window, query), "sort_link": lambda key: _with(query, "sort", key),
                  "facet_link": lambda facet, value, chosen: _with(query, facet, None if chosen else value),
                  "clear_link": lambda parameter: _with(query, parameter, None),
                  "csv_url": f"/{name}.csv?" + urlencode([(k, v) for k, values in query.items() for v in values])}
        return Page(f"{name}.html", title, listing, extras)

    return view


def map_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    """``/map``: the events of ``/events``'s filters by country and place; each country links to them."""
    view = event_map(ctx, explorer_filters(ctx, query))

    def country_link(iso3: str) -> str:
        return "/events" + _with(query, "country", iso3)

    extras = {"map_chart": map_svg(view, country_link), "country_link": country_link,
              "clear_link": lambda name: _with(query, name, None),
              "count_link": lambda count: _with(query, "count", count),
              "events_url": "/events" + _with(query, "page", None)}
    return Page("map.html", "Map of event locations", view, extras)


#: (first path segment, number of further segments, view)
ROUTES: Mapping[tuple[str, int], View] = MappingProxyType({
    ("", 0): overview_page,
    ("overview", 0): overview_page,
    ("actor", 1): actor_page,
    ("dyad", 2): dyad_page,
    ("dyad", 3): dyad_sources_page,
    ("brief", 2): brief_page,
    ("network", 0): network_page,
    ("doc", 1): document_page,
    ("search", 0): search_page,
    ("search.csv", 0): search_csv_page,
    ("events", 0): events_page,
    ("events.csv", 0): events_csv_page,
    ("event", 1): single_event_page,
    **{(name, 0): _table_explorer(name) for name in TABLE_EXPLORERS},
    **{(f"{name}.csv", 0): _table_explorer(name, download=True) for name in TABLE_EXPLORERS},
    ("map", 0): map_page,
})
