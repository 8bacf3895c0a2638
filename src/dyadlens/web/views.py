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
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

from dyadlens.analysis.common import PAGE_SIZE, AnalysisContext, Window, check_modalities
from dyadlens.analysis.document import document_view
from dyadlens.analysis.dyad import dyad_brief
from dyadlens.analysis.network import EDGES_SHOWN, actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.search import SearchView, search_sentences
from dyadlens.errors import DyadlensError
from dyadlens.store import check_count
from dyadlens.web.charts import series_svg, timeline_svg
from dyadlens.web.highlight import document_blocks

Query = dict[str, list[str]]


@dataclass(slots=True)
class Page:
    template: str
    title: str
    payload: Any
    extras: dict[str, Any] = field(default_factory=dict)


View = Callable[[AnalysisContext, list[str], Query], Page]


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
    profile = actor_profile(ctx, ctx.resolve_actor(args[0]), count=_count(query), limit=PAGE_SIZE,
                            offset=_offset(query, PAGE_SIZE))
    return Page("actor.html", profile.name or profile.id, profile, {"pager": pager(profile.events_window, query)})


def dyad_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    a, b = ctx.resolve_actor(args[0]), ctx.resolve_actor(args[1])
    modalities = check_modalities(query.get("modality") or ["asserted"])
    brief = dyad_brief(ctx, a, b, by=_one(query, "by", "month") or "month", modalities=modalities,
                       count=_count(query), limit=PAGE_SIZE, offset=_offset(query, PAGE_SIZE))
    title = f"{brief.a_name} – {brief.b_name}"
    acts = [e for e in brief.timeline.events if e.kind == "event"]
    extras = {
        "timeline_chart": timeline_svg(acts, f"Events between {brief.a_name} and {brief.b_name}"),
        "series_chart": series_svg(brief.series),
        "pager": pager(brief.timeline.window, query),
    }
    return Page("dyad.html", title, brief, extras)


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


def search_page(ctx: AnalysisContext, args: list[str], query: Query) -> Page:
    text, actor = _one(query, "q"), _one(query, "actor")
    since, until, doc_id = _one(query, "since"), _one(query, "until"), _one(query, "doc")
    if text is None:
        empty = SearchView(query="", actor=actor, since=since, until=until, doc_id=doc_id, results=[])
        return Page("search.html", "Search", empty)
    actor_id = ctx.resolve_actor(actor) if actor else None
    view = search_sentences(ctx, text, actor=actor_id, since=since, until=until, doc_id=doc_id)
    return Page("search.html", f"Search: {text}", view)


#: (first path segment, number of further segments, view)
ROUTES: Mapping[tuple[str, int], View] = MappingProxyType({
    ("", 0): overview_page,
    ("overview", 0): overview_page,
    ("actor", 1): actor_page,
    ("dyad", 2): dyad_page,
    ("network", 0): network_page,
    ("doc", 1): document_page,
    ("search", 0): search_page,
})
