"""The sources side by side as a page of their own (``/dyad/A/B/sources`` and its JSON twin): its pages, walked
by their own links, are the whole answer (every claim, same order, same totals) on the hand-written corpus (SQLite
and PostgreSQL) and on a small store of the benchmarks' generator; the dyad page and the brief link to it instead
of carrying the claims, keeping the dyad's filters; the written report still holds them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.analysis.dyad import CLAIMS_LISTED, SHOWN_PER_CLAIM
from dyadlens.analysis.sources import sources_side_by_side
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from dyadlens.web.report import render_report
from test_bounded_reads import _dyads, _synthetic_store
from test_web_app import get


@pytest.fixture()
def app(store_url: str, resources: Resources) -> Iterator[WebApp]:
    """The hand-written corpus served, on SQLite and on PostgreSQL."""
    store = open_store(build_store(store_url))
    yield WebApp(store, resources.ontology, resources.kb)
    store.close()


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> Iterator[WebApp]:
    store = open_store(_synthetic_store(tmp_path_factory.mktemp("synthetic") / "s.db"))
    yield WebApp(store, resources.ontology, resources.kb)
    store.close()


def _ctx(app: WebApp) -> AnalysisContext:
    return AnalysisContext(app.store, app.ontology, app.kb)


def _walk(app: WebApp, a: str, b: str) -> tuple[list[Any], list[int]]:
    """Every claim of the dyad's sources pages, following the JSON twin page by page; the totals each page gave."""
    claims: list[Any] = []
    totals: list[int] = []
    number = 1
    while True:
        status, _, body = get(app, f"/api/dyad/{a}/{b}/sources?page={number}")
        assert status == "200 OK"
        payload = json.loads(body)
        claims += payload["claims"]
        totals.append(payload["window"]["total"])
        assert len(payload["claims"]) <= CLAIMS_LISTED
        if len(claims) >= payload["window"]["total"]:
            return claims, totals
        number += 1


def _same_as_the_whole(app: WebApp, a: str, b: str) -> int:
    """The pages of ``a``–``b``'s sources are every claim weighed at once; returns how many claims."""
    whole = to_jsonable(sources_side_by_side(_ctx(app), a, b, shown=SHOWN_PER_CLAIM).claims)
    claims, totals = _walk(app, a, b)
    assert claims == whole, (a, b)
    assert set(totals) == {len(whole)}
    return len(whole)


def test_the_sources_pages_are_the_whole_answer(app: WebApp) -> None:
    assert sum(_same_as_the_whole(app, a, b) for a, b in _dyads(_ctx(app))[:4]) > 0


def test_the_sources_pages_of_a_synthetic_store_are_the_whole_answer(synthetic_app: WebApp) -> None:
    claims = [_same_as_the_whole(synthetic_app, a, b) for a, b in _dyads(_ctx(synthetic_app))[:3]]
    assert max(claims) > CLAIMS_LISTED  # at least one dyad has a second page


def test_the_sources_page_shows_the_claims_and_its_twin(app: WebApp) -> None:
    status, headers, body = get(app, "/dyad/Russia/Taliban/sources")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    assert 'id="claims"' in body and "Sources disagree" in body
    assert '<a class="dyad-back" href="/dyad/russia/taliban">' in body
    twin = json.loads(get(app, "/api/dyad/russia/taliban/sources")[2])
    assert twin == json.loads(get(app, "/dyad/russia/taliban/sources?format=json")[2])
    assert twin["claims"] and twin["a"] == "russia" and twin["b"] == "taliban"


def test_the_dyad_page_says_where_its_sources_are(app: WebApp) -> None:
    query = urlencode([("since", "2020"), ("until", "2024"), ("modality", "asserted"), ("page", "1")])
    kept = "since=2020&until=2024&modality=asserted"
    payload = json.loads(get(app, f"/api/dyad/russia/taliban?{query}")[2])
    assert payload["sources"] == {"url": f"/dyad/russia/taliban/sources?{kept}",
                                  "api": f"/api/dyad/russia/taliban/sources?{kept}"}
    body = get(app, f"/dyad/russia/taliban?{query}")[2]
    assert f'data-load="/dyad/russia/taliban/sources?{kept.replace("&", "&amp;")}"' in body
    assert 'class="sources-page"' in body and "Sources disagree" not in body
    back = get(app, f"/dyad/russia/taliban/sources?{kept}")[2]
    assert f'href="/dyad/russia/taliban?{kept.replace("&", "&amp;")}"' in back
    assert 'data-load="/dyad/russia/taliban/sources"' in get(app, "/brief/russia/taliban")[2]
    assert 'href="/dyad/taliban/russia/sources"' in get(app, "/actor/taliban")[2]


def test_a_dyad_path_that_names_no_page_is_not_found(app: WebApp) -> None:
    assert get(app, "/dyad/russia/taliban/nothing")[0] == "404 Not Found"
    assert get(app, "/api/dyad/russia/atlantis/sources")[0] == "404 Not Found"
    assert get(app, "/dyad/russia/taliban/sources?page=0")[0] == "400 Bad Request"


def test_the_report_still_holds_the_sources(app: WebApp, tmp_path: Path) -> None:
    html = render_report(_ctx(app), "russia", "taliban")
    view = sources_side_by_side(_ctx(app), "russia", "taliban", limit=CLAIMS_LISTED, shown=SHOWN_PER_CLAIM)
    assert "Sources disagree" in html and "<details class=\"fold\" id=\"sources\" data-load" not in html
    assert html.count('<div class="claim') == len(view.claims) > 0
