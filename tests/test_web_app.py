"""The WSGI app in-process: every page, its JSON twin, errors, escaping, static files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.common import PAGE_SIZE, AnalysisContext, to_jsonable
from dyadlens.analysis.dyad import dyad_brief
from dyadlens.analysis.sources import SourcesLink
from dyadlens.analysis.status import STATUS_SHOWN
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from postgres_server import STORE_BACKENDS, new_store_target

PAGES = ["/", "/actor/taliban", "/dyad/russia/taliban", "/network", "/doc/ledger-0312", "/search?q=Taliban"]


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def store_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """The hand-made store, on SQLite and on PostgreSQL (a URL, which ``open_store`` takes as a path)."""
    return build_store(new_store_target(request, tmp_path_factory.mktemp("web"), "corpus.db"))


@pytest.fixture()
def app(store_path: Path, resources: Resources) -> Iterator[WebApp]:
    store = open_store(store_path)
    yield WebApp(store, resources.ontology, resources.kb)
    store.close()


def get(app: WebApp, url: str, method: str = "GET") -> tuple[str, dict[str, str], str]:
    path, _, query = url.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response)).decode("utf-8")
    return str(seen["status"]), seen["headers"], body  # type: ignore[return-value]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_a_strict_content_policy(app: WebApp, url: str) -> None:
    status, headers, body = get(app, url)
    assert status == "200 OK"
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "<html" in body and "/static/style.css" in body


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin(app: WebApp, url: str) -> None:
    path, _, query = url.partition("?")
    api = "/api" + (path if path != "/" else "/overview") + (f"?{query}" if query else "")
    status, headers, body = get(app, api)
    assert status == "200 OK" and headers["Content-Type"].startswith("application/json")
    by_format = get(app, url + ("&" if query else "?") + "format=json")[2]
    assert json.loads(body) == json.loads(by_format)


def test_json_twin_is_the_analysis_payload(app: WebApp, store_path: Path, resources: Resources) -> None:
    store = open_store(store_path)
    try:
        expected = to_jsonable(
            dyad_brief(AnalysisContext(store, resources.ontology, resources.kb), "russia", "taliban", limit=PAGE_SIZE,
                       status_limit=STATUS_SHOWN,
                       sources_at=SourcesLink("/dyad/russia/taliban/sources", "/api/dyad/russia/taliban/sources"))
        )
    finally:
        store.close()
    assert json.loads(get(app, "/api/dyad/russia/taliban")[2]) == expected


def test_dyad_page_links_chart_points_to_event_rows_and_rows_to_sentences(app: WebApp) -> None:
    body = get(app, "/dyad/Russia/Taliban")[2]
    data = json.loads(get(app, "/api/dyad/russia/taliban")[2])
    for event in data["timeline"]["events"]:
        if event["sort_date"]:
            assert f'href="#ev-{event["id"]}"' in body
        assert f'id="ev-{event["id"]}"' in body
        assert f'/doc/{event["doc_id"]}?event={event["id"]}#ev-{event["id"]}' in body
    assert "Sources disagree" in get(app, "/dyad/Russia/Taliban/sources")[2]


def test_document_page_highlights_the_chosen_event_sentence(app: WebApp) -> None:
    event = json.loads(get(app, "/api/doc/ledger-0312")[2])["events"][2]
    body = get(app, f"/doc/ledger-0312?event={event['id']}")[2]
    assert f'id="ev-{event["id"]}"' in body
    assert f'<span id="s-{event["evidence"]["sentence_index"]}" class="sent kind-body has-event highlight"' in body
    assert body.count(' highlight"') == 1 and body.count("trigger-hl") == 1


def test_article_text_and_metadata_are_escaped(app: WebApp) -> None:
    body = get(app, "/doc/hostile-0505")[2]
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>Astana" not in body
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in body
    assert "Steppe &lt;Wire&gt;" in body
    assert "<script>" not in get(app, "/search?q=owned")[2]


@pytest.mark.parametrize(
    ("url", "status"),
    [("/actor/atlantis", "404 Not Found"), ("/doc/nothing", "404 Not Found"), ("/nowhere/a/b/c", "404 Not Found"),
     ("/dyad/russia/taliban?by=decade", "400 Bad Request"), ("/network?quad=7", "400 Bad Request"),
     ("/network?since=2024-13", "400 Bad Request"), ("/search?q=ban&doc=nothing", "404 Not Found"),
     ("/static/../app.py", "404 Not Found"), ("/static/%2e%2e%2fapp.py", "404 Not Found")],
)
def test_bad_requests_get_clear_errors(app: WebApp, url: str, status: str) -> None:
    assert get(app, url)[0] == status


def test_api_errors_are_json(app: WebApp) -> None:
    status, _, body = get(app, "/api/actor/atlantis")
    assert status == "404 Not Found" and "atlantis" in json.loads(body)["error"]


def test_the_app_is_read_only(app: WebApp) -> None:
    assert get(app, "/", method="POST")[0] == "405 Method Not Allowed"


def test_static_files_are_served(app: WebApp) -> None:
    status, headers, body = get(app, "/static/network.js")
    assert status == "200 OK" and "javascript" in headers["Content-Type"] and "forceLayout" in body


def test_search_marks_the_matched_words_and_escapes_the_rest(app: WebApp) -> None:
    body = get(app, "/search?q=wheat")[2]
    assert "Russia sent <mark>wheat</mark> to the Taliban." in body
    hostile = get(app, "/search?q=owned")[2]
    assert "&lt;script&gt;alert(&#34;<mark>owned</mark>&#34;)&lt;/script&gt;" in hostile


def test_server_binds_to_localhost_by_default(app: WebApp) -> None:
    from dyadlens.web.server import make_web_server

    server = make_web_server(app, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_pages_name_the_claimant_not_its_id(app: WebApp) -> None:
    body = get(app, "/dyad/russia/taliban")[2]
    assert "claimed by Russia" in body and "claimed by russia" not in body


def test_overview_says_duplicates_are_not_counted_only_when_there_are_some(app: WebApp) -> None:
    body = get(app, "/")[2]
    assert "<th class=\"num\">Mentions</th>" in body
    assert "not counted twice" not in body


def test_the_dyad_page_keeps_to_the_period_asked(app: WebApp) -> None:
    whole = json.loads(get(app, "/api/dyad/russia/taliban")[2])
    narrowed = json.loads(get(app, "/api/dyad/russia/taliban?since=2024&until=2024-12")[2])
    dates = [e["sort_date"] for e in narrowed["timeline"]["events"]]
    assert dates and all(d.startswith("2024") for d in dates)
    assert len(dates) < len(whole["timeline"]["events"])
    assert {p["period"][:4] for p in narrowed["series"]["points"]} == {"2024"}
    assert get(app, "/dyad/russia/taliban?since=2024-13")[0].startswith("400")
