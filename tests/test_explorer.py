"""The events explorer (``/events``, its CSV and JSON downloads) and the event page (``/event/ID``).

Over the hand-written corpus (tests/analysis_corpus.py: eight events in three
documents), on SQLite and PostgreSQL; the last test walks the pages in real
headless Chromium (overview → explorer with two facets and a date range → the
CSV download equals the rows shown → event page → document with the sentence
highlighted), writing screenshots to its temporary folder.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, explore_events
from dyadlens.errors import DyadlensError
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store
from dyadlens.store.corrections import event_corrections, record_correction
from dyadlens.store.store import Store
from dyadlens.web.app import WebApp
from test_web_security import get_json, request

#: The corpus's events by date (undated ones at their document's date), with their codes.
BY_DATE = ["172", "071", "081", "112", "046", "081", "025", "043"]


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(build_store(store_url))
    yield opened
    opened.close()


@pytest.fixture()
def app(store: Store, resources: Resources) -> WebApp:
    return WebApp(store, resources.ontology, resources.kb)


def facet(payload: dict[str, Any], name: str) -> dict[str, int]:
    found = next(f for f in payload["facets"] if f["name"] == name)
    return {v["value"]: v["count"] for v in found["values"]}


def test_two_facets_and_a_date_range_narrow_the_rows_and_the_counts(app: WebApp) -> None:
    payload = get_json(app, "/api/events?actor=Russia&quad=2&since=2024-01&until=2024-12")
    assert [(r["code"], r["modality"]) for r in payload["rows"]] == [("081", "asserted"), ("081", "negated")]
    assert payload["window"]["total"] == 2
    assert facet(payload, "modality") == {"asserted": 1, "negated": 1}
    assert facet(payload, "quad") == {"2": 2}


def test_undated_events_are_placed_at_their_documents_date(app: WebApp) -> None:
    payload = get_json(app, "/api/events?since=2024-03&until=2024-04")
    assert sorted(r["code"] for r in payload["rows"]) == ["025", "046", "081", "081", "112"]
    assert facet(payload, "actor") == {"taliban": 5, "russia": 3, "pakistan": 2}
    assert facet(payload, "outlet") == {"The Daily Ledger": 3, "Frontier Review": 2}


@pytest.mark.parametrize(("sort", "codes"), [
    ("date", BY_DATE),
    ("-date", ["043", "025", "081", "046", "112", "081", "071", "172"]),
    ("code", sorted(BY_DATE)),
])
def test_rows_are_sorted_as_asked(app: WebApp, sort: str, codes: list[str]) -> None:
    assert [r["code"] for r in get_json(app, f"/api/events?sort={sort}")["rows"]] == codes


def test_a_page_of_rows_carries_the_true_total(store: Store, resources: Resources) -> None:
    ctx = AnalysisContext(store, resources.ontology, resources.kb)
    explorer = explore_events(ctx, ExplorerFilters(count="reports"), limit=3, offset=3)
    assert [r.code for r in explorer.rows] == BY_DATE[3:6]
    assert explorer.window.total == 8 and explorer.window.shown == "4–6 of 8"
    root = explore_events(ctx, ExplorerFilters(root="08", coder="rules"), limit=1).window.total
    assert root == store.count_events(EventQuery(code="08", count="events", standing=False))


def test_the_csv_download_is_exactly_the_rows_shown(app: WebApp) -> None:
    query = "actor=pakistan&modality=asserted&modality=recommended&sort=-date"
    shown = get_json(app, f"/api/events?{query}")["rows"]
    status, headers, body = request(app, f"/events.csv?{query}")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["id"] for r in rows] == [r["id"] for r in shown] and len(rows) == 2
    assert [r["code"] for r in rows] == ["025", "112"]  # codes keep their leading zero
    assert rows[1]["sentence"] == "Pakistan accused the Taliban of sheltering TTP fighters on 2 March 2024."


def test_the_page_links_each_row_and_keeps_the_filters_in_facet_links(app: WebApp) -> None:
    status, _, body = request(app, "/events?actor=russia&since=2024")
    assert status == "200 OK"
    assert body.count('class="event-link" href="/event/') == 3
    assert 'href="?actor=russia&amp;since=2024&amp;root=08"' in body  # a facet link adds its filter
    assert 'href="?since=2024"' in body  # the chosen actor's link takes it away
    assert "/events.csv?actor=russia&amp;since=2024" in body


@pytest.mark.parametrize("target", [
    "/api/events?since=2025&until=2024", "/api/events?sort=size", "/api/events?quad=7", "/api/events?modality=maybe",
    "/api/events?since=March",
])
def test_bad_filters_are_a_clear_400(app: WebApp, target: str) -> None:
    status, _, body = request(app, target)
    assert status == "400 Bad Request" and json.loads(body)["error"]


def test_the_event_page_explains_the_event_and_lists_its_reports(app: WebApp) -> None:
    accused = get_json(app, "/api/events?root=11")["rows"][0]
    page = get_json(app, f"/api/event/{accused['id']}")
    chain = page["explanation"]
    assert chain["trigger"]["text"] == "accused" and chain["code"]["quad_class_name"] == "Verbal Conflict"
    assert [m["text"] for m in chain["source"]["mentions"]] == ["Pakistan"]
    assert [r["doc_id"] for r in page["reports"]] == ["ledger-0312"]
    status, _, body = request(app, f"/event/{accused['id']}")
    assert status == "200 OK"
    assert f'href="/doc/ledger-0312?event={accused["id"]}#ev-{accused["id"]}"' in body
    assert request(app, "/event/no-such-event")[0] == "404 Not Found"


def test_the_event_page_shows_the_corrections_applied(store: Store, app: WebApp) -> None:
    accused = get_json(app, "/api/events?root=11")["rows"][0]
    event = store.event(accused["id"])
    assert event is not None
    for correction in event_corrections(event, code="111", note="a criticism, not an accusation"):
        record_correction(store, correction)
    page = get_json(app, f"/api/event/{accused['id']}")
    assert [(c["action"], c["was_code"], c["code"]) for c in page["corrections"]] == [("recode", "112", "111")]
    assert page["row"]["code"] == "111"
    assert "a criticism, not an accusation" in request(app, f"/event/{accused['id']}")[2]


def test_article_markup_stays_inert_on_both_pages(app: WebApp) -> None:
    hosted = get_json(app, "/api/events?actor=kazakhstan")["rows"][0]
    for target in ("/events?actor=kazakhstan", f"/event/{hosted['id']}"):
        body = request(app, target)[2]
        assert "<script>alert" not in body and "&lt;script&gt;alert" in body
        assert "Steppe <Wire>" not in body


def test_counting_reports_is_asked_as_elsewhere(app: WebApp) -> None:
    events = get_json(app, "/api/events")
    reports = get_json(app, "/api/events?count=reports")
    assert reports["filters"]["count"] == "reports" and reports["window"]["total"] == 8
    assert events["window"]["total"] <= 8
    assert all(r["counts"] is not None for r in events["rows"])
    with pytest.raises(DyadlensError):
        ExplorerFilters(count="sentences")


# --- in Chromium -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_analyst_walks_from_the_overview_to_the_highlighted_sentence(tmp_path: Path) -> None:
    from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _serving

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (CI installs it)")
    from playwright.sync_api import sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    with _serving(Path(build_store(tmp_path / "walk.db"))) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        tab = context.new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        _walk(tab, base, shots)
        browser.close()
    assert problems == []
    assert {p.name for p in shots.iterdir()} >= {"explorer.png", "event.png", "document.png"}


def _walk(tab: Any, base: str, shots: Path) -> None:
    tab.goto(base + "/")
    tab.locator("header nav a", has_text="Events").click()
    tab.wait_for_selector("tr.explorer-row")
    tab.locator('section[data-facet=actor] a.facet-link[data-value=russia]').click()
    tab.locator('section[data-facet=quad] a.facet-link[data-value="2"]').click()
    tab.fill("input[name=since]", "2024-01")
    tab.fill("input[name=until]", "2024-12")
    tab.locator("form.filters button").click()
    tab.wait_for_url("**until=2024-12**")
    shown = [row.get_attribute("data-event") for row in tab.locator("tr.explorer-row").all()]
    assert len(shown) == 2 and tab.locator(".explorer-summary .total").inner_text() == "2"
    tab.screenshot(path=str(shots / "explorer.png"), full_page=True)
    with tab.expect_download() as download:
        tab.locator("a.download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == shown
    tab.locator(f"tr#ev-{shown[0]} a.event-link").click()
    tab.wait_for_selector("table.explain")
    assert "Ease administrative sanctions" in tab.locator("h1").inner_text()
    tab.screenshot(path=str(shots / "event.png"), full_page=True)
    evidence = tab.locator("tr.report-row.active .evidence").inner_text()
    tab.locator("tr.report-row.active td a").first.click()
    tab.wait_for_url(f"**/doc/**event={shown[0]}*")
    highlighted = tab.locator("#doc-text .sent.highlight")
    assert highlighted.count() == 1 and highlighted.inner_text() in evidence
    tab.screenshot(path=str(shots / "document.png"), full_page=False)
