"""The explorers of documents, quotes, designations and actors (``/documents``, ``/quotes``,
``/designations``, ``/actors``, their CSV and JSON downloads).

Over the demo store (examples/corpus and the seed corpus, ingested once) plus one hostile document
(markup in its title, outlet, quote and sentences), on SQLite and PostgreSQL (the same records written
into a fresh database). The last test walks the pages in real headless Chromium and writes screenshots.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis_corpus import DocBuilder
from dyadlens.model import DocumentRecords
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.runner import ingest
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from postgres_server import STORE_BACKENDS, new_store_target
from test_web_security import get_json, request

EXPLORERS = ("documents", "quotes", "designations", "actors")
#: The facets whose every row has exactly one value: their counts add up to the total.
COMPLETE_FACETS = {"documents": ("events", "copy"), "quotes": ("kind",), "designations": ("status", "standing"),
                   "actors": ("type", "known")}
HOSTILE_QUOTE = '<script>alert("q")</script> we stay'


def hostile() -> DocumentRecords:
    """A document whose title, outlet, quote and sentence carry markup."""
    doc = DocBuilder("hostile-quotes", [
        f'The <b>envoy</b> said: "{HOSTILE_QUOTE}," in Kabul.',
        "Russia listed the Taliban again <img src=x onerror=alert(3)> in 2024.",
    ], "2024-06-01", "Wire <i>x</i>", '=HYPERLINK("http://x") <img src=x onerror=alert(1)>')
    doc.mention(1, "Russia", "russia")
    doc.mention(1, "Taliban", "taliban")
    doc.quote(0, HOSTILE_QUOTE, "<b>Envoy</b>", "russia")
    doc.designation(1, "russia", "taliban", "listed", "2024")
    return doc.records


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, resources: Resources, examples_dir: Path,
            seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("explorers") / "demo.db"
    store = open_store(db)
    try:
        ingest([examples_dir, seeds_dir], store, build_pipeline(resources))
        store.write(hostile())
    finally:
        store.close()
    return db


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def app(request: pytest.FixtureRequest, demo_db: Path, resources: Resources,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """The web app over the demo store; on PostgreSQL, the same records written in ingest order."""
    target = str(demo_db)
    if request.param != "sqlite":
        target = new_store_target(request, tmp_path_factory.mktemp("pg"), "demo")
        source, copy = open_store(demo_db), open_store(target)
        for records in source.iter_records():
            copy.write(records)
        source.close(), copy.close()
    store = open_store(target)
    yield WebApp(store, resources.ontology, resources.kb)
    store.close()


def row_id(name: str, row: dict[str, Any]) -> str:
    return str(row["designation"]["id"] if name == "designations" else row["id"])


def every_row(app: WebApp, name: str, query: str = "") -> list[dict[str, Any]]:
    """Every row of an explorer, page after page."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        payload = get_json(app, f"/api/{name}?{query}&page={page}")
        rows.extend(payload["rows"])
        if payload["window"]["offset"] + payload["window"]["limit"] >= payload["window"]["total"]:
            return rows
        page += 1


@pytest.mark.parametrize("name", EXPLORERS)
def test_each_facet_value_counts_the_rows_it_filters_to(app: WebApp, name: str) -> None:
    payload = get_json(app, f"/api/{name}")
    assert payload["window"]["total"] > 0 and payload["facets"]
    for facet in payload["facets"]:
        assert facet["values"], facet["name"]
        for value in facet["values"]:
            narrowed = get_json(app, f"/api/{name}?{facet['name']}={value['value']}")
            assert narrowed["window"]["total"] == value["count"], (facet["name"], value)
            chosen = next(f for f in narrowed["facets"] if f["name"] == facet["name"])
            assert [(v["value"], v["selected"]) for v in chosen["values"]] == [(value["value"], True)]
        if facet["name"] in COMPLETE_FACETS[name] and len(facet["values"]) < 12:
            assert sum(v["count"] for v in facet["values"]) == payload["window"]["total"], facet["name"]


@pytest.mark.parametrize("name", EXPLORERS)
def test_paging_shows_every_row_once_with_the_true_total(app: WebApp, name: str) -> None:
    total = get_json(app, f"/api/{name}")["window"]["total"]
    ids = [row_id(name, row) for row in every_row(app, name)]
    assert len(ids) == total == len(set(ids))


@pytest.mark.parametrize(("name", "query"), [
    ("documents", "sort=-events&page=1"), ("quotes", "sort=speaker&page=2"), ("designations", "page=2"),
    ("actors", "sort=-mentions&type=state"),
])
def test_the_csv_download_is_exactly_the_rows_shown(app: WebApp, name: str, query: str) -> None:
    shown = [row_id(name, row) for row in get_json(app, f"/api/{name}?{query}")["rows"]]
    status, headers, body = request(app, f"/{name}.csv?{query}")
    assert status == "200 OK" and dict(headers)["Content-Type"].startswith("text/csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(body))] == shown and shown


def _ordered(values: list[Any], descending: bool = False) -> bool:
    """In order, the missing values last."""
    present = [v for v in values if v is not None]
    return present == sorted(present, reverse=descending) and all(v is None for v in values[len(present):])


@pytest.mark.parametrize(("name", "sort", "key", "descending"), [
    ("documents", "published", "published", False), ("documents", "-published", "published", True),
    ("documents", "-events", "events", True), ("documents", "title", "title", False),
    ("quotes", "speaker", "speaker", False), ("quotes", "-published", "published", True),
    ("designations", "date", "date", False), ("designations", "-status", "status", True),
    ("actors", "-mentions", "mentions", True), ("actors", "-reports", "reports", True),
])
def test_rows_are_sorted_as_asked_across_pages(app: WebApp, name: str, sort: str, key: str, descending: bool) -> None:
    rows = every_row(app, name, f"sort={sort}")
    values = [(row["designation"] if name == "designations" else row)[key] for row in rows]
    assert len(set(values)) > 1 and _ordered(values, descending), values


def test_documents_count_their_events_quotes_and_designations(app: WebApp) -> None:
    rows = every_row(app, "documents")
    hostile_row = next(r for r in rows if r["id"] == "hostile-quotes")
    assert (hostile_row["events"], hostile_row["quotes"], hostile_row["designations"]) == (0, 1, 1)
    quotes = every_row(app, "quotes", "")
    by_doc = {r["id"]: r["quotes"] for r in rows if r["duplicate_of"] is None}
    assert sum(by_doc.values()) == len(quotes)
    assert get_json(app, "/api/documents?events=no")["window"]["total"] == sum(1 for r in rows if r["events"] == 0)


def test_the_words_filter_finds_the_quotes_containing_them_in_any_case(app: WebApp) -> None:
    every = every_row(app, "quotes")
    found = every_row(app, "quotes", "q=SECURITY")
    assert found and [r["id"] for r in found] == [r["id"] for r in every if "security" in r["text"].lower()]
    assert get_json(app, "/api/quotes?q=100%25_")["window"]["total"] == 0


def test_a_quotes_speaker_facet_keeps_the_other_filters_and_links_each_sentence(app: WebApp) -> None:
    body = request(app, "/quotes?year=2024&speaker=Zamir+Kabulov")[2]
    payload = get_json(app, "/api/quotes?year=2024&speaker=Zamir+Kabulov")
    assert payload["rows"] and all(r["speaker"] == "Zamir Kabulov" and r["published"][:4] == "2024"
                                   for r in payload["rows"])
    assert 'href="?year=2024&amp;speaker=Zamir+Kabulov&amp;kind=' in body
    first = payload["rows"][0]
    index = first["evidence"]["sentence_index"]
    assert f'href="/doc/{first["doc_id"]}?sentence={index}#s-{index}"' in body
    assert first["text"] in first["evidence"]["text"]


def test_an_actor_facet_takes_a_name_and_designations_link_their_status_track(app: WebApp) -> None:
    by_name = get_json(app, "/api/designations?designator=Russia&designee=Taliban")
    by_id = get_json(app, "/api/designations?designator=russia&designee=taliban")
    assert by_name["window"]["total"] == by_id["window"]["total"] > 0
    assert by_name["filters"]["designator"] == "russia"
    assert 'href="/dyad/russia/taliban">status track' in request(app, "/designations?designator=russia")[2]


def test_persons_and_unresolved_names_are_listed_with_their_counts(app: WebApp) -> None:
    persons = every_row(app, "actors", "type=person")
    assert persons and all(r["type"] == "person" for r in persons)
    assert any(r["mentions"] > 0 for r in persons)
    unresolved = get_json(app, "/api/actors?known=unresolved")
    assert unresolved["rows"] and not any(r["resolved"] for r in unresolved["rows"])


def test_a_persons_quotes_in_the_listing_are_those_its_page_counts(app: WebApp) -> None:
    persons = every_row(app, "actors", "type=person")
    quoted = [r for r in persons if r["quotes"] > 0]
    assert quoted, "no person's quotes are counted"
    for row in persons:
        assert row["quotes"] == get_json(app, f"/api/actor/{row['id']}")["person"]["quotes_total"], row["id"]


@pytest.mark.parametrize("target", ["/documents?sort=size", "/quotes?page=0", "/actors?sort=--name"])
def test_bad_requests_are_a_clear_400(app: WebApp, target: str) -> None:
    status, _, body = request(app, target)
    assert status.startswith("400") and "Traceback" not in body


@pytest.mark.parametrize("target", ["/documents?outlet=Wire+<i>x</i>", "/quotes?q=script", "/designations?year=2024",
                                    "/actors"])
def test_hostile_text_stays_inert(app: WebApp, target: str) -> None:
    body = request(app, target)[2]
    for markup in ("<script>alert", "<img src=x", "<i>x</i>", "<b>Envoy</b>"):
        assert markup not in body
    if target != "/actors":
        assert "&lt;" in body


def test_formula_like_titles_are_neutralised_in_the_csv(app: WebApp) -> None:
    body = request(app, "/documents.csv?outlet=Wire+<i>x</i>")[2]
    row = next(csv.DictReader(io.StringIO(body)))
    assert row["title"].startswith("'=HYPERLINK") and row["outlet"] == "Wire <i>x</i>"


# --- in Chromium -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_analyst_walks_the_documents_and_quotes_explorers(tmp_path: Path, demo_db: Path) -> None:
    from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _serving

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (CI installs it)")
    from playwright.sync_api import sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    with _serving(demo_db) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        tab.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        _walk_documents(tab, base, shots)
        _walk_quotes(tab, base, shots)
        for name in ("quotes", "designations", "actors"):
            tab.goto(f"{base}/{name}")
            assert tab.locator("tr.explorer-row").count() > 0
            assert tab.evaluate("document.documentElement.scrollHeight") <= 4 * 900, name
            tab.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        browser.close()
    assert problems == []
    assert {p.name for p in shots.iterdir()} >= {"documents.png", "document.png", "quotes.png", "sentence.png"}


def _walk_documents(tab: Any, base: str, shots: Path) -> None:
    tab.goto(base + "/")
    tab.locator("header nav a", has_text="Documents").click()
    tab.wait_for_selector("tr.explorer-row")
    tab.locator('section[data-facet=year] a.facet-link[data-value="2024"]').click()
    tab.wait_for_url("**year=2024**")
    total = int(tab.locator(".explorer-summary .total").inner_text())
    assert tab.locator("tr.explorer-row").count() == total > 0
    assert tab.evaluate("document.documentElement.scrollHeight") <= 4 * 900
    tab.screenshot(path=str(shots / "documents.png"), full_page=True)
    title = tab.locator("tr.explorer-row a.doc-link").first.inner_text()
    tab.locator("tr.explorer-row a.doc-link").first.click()
    tab.wait_for_url("**/doc/**")
    assert title in tab.locator("h1").inner_text()
    tab.screenshot(path=str(shots / "document.png"))


def _walk_quotes(tab: Any, base: str, shots: Path) -> None:
    tab.goto(base + "/quotes")
    tab.locator('section[data-facet=speaker] a.facet-link[data-value="Zamir Kabulov"]').click()
    tab.wait_for_url("**speaker=Zamir+Kabulov**")
    rows = tab.locator("tr.explorer-row")
    assert rows.count() == int(tab.locator(".explorer-summary .total").inner_text()) > 0
    assert tab.locator('.chosen[data-filter="speaker"]').inner_text() == "speaker: Zamir Kabulov"
    tab.screenshot(path=str(shots / "quotes.png"), full_page=True)
    words = " ".join(rows.first.locator(".quote-words").inner_text().strip("“”").split())
    rows.first.locator("a.evidence-link").click()
    tab.wait_for_url("**/doc/**sentence=**")
    highlighted = tab.locator("#doc-text .sent.highlight")
    assert highlighted.count() == 1
    assert words.removeprefix("(reported) ")[:40] in " ".join(highlighted.inner_text().split())
    tab.screenshot(path=str(shots / "sentence.png"))
