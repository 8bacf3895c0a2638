"""The analyst's walk through the workbench (issue #14, "Done when"), in real headless Chromium on the demo store.

overview → events explorer narrowed by two facets and a date range → the CSV download equals the rows shown →
the event page → the document with the evidence sentence highlighted and in view; a person page with the
person's quotes; the network narrowed to a period, whose edge opens the dyad in that same period. Every step
writes a screenshot (``$DYADLENS_SCREENSHOTS/workbench-walk`` when set). The map's part is tests/test_map*.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from browser import build_demo_store, chromium, needs_chromium, open_tab, screenshots_folder, serving

pytestmark = needs_chromium

#: The walk's filters: two facets (an actor and a quad class) and a date range.
ACTOR, QUAD, SINCE, UNTIL = "russia", "1", "2021", "2024"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(build_demo_store(tmp_path_factory.mktemp("walk") / "demo.db")) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshots_folder(tmp_path_factory, "workbench-walk")


@pytest.fixture()
def tab(base: str) -> Iterator[Any]:
    with chromium() as browser:
        opened = open_tab(browser, accept_downloads=True)
        yield opened
        assert opened.problems == []


def _query(tab: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query)


def test_from_the_overview_through_the_explorer_and_its_csv_to_the_highlighted_sentence(
        base: str, tab: Any, shots: Path) -> None:
    tab.goto(base + "/")
    tab.screenshot(path=str(shots / "1-overview.png"), full_page=True)
    tab.locator("header nav a", has_text="Events").click()
    tab.wait_for_selector("tr.explorer-row")
    everything = int(tab.locator(".explorer-summary .total").inner_text())
    tab.locator(f"section[data-facet=actor] a.facet-link[data-value={ACTOR}]").click()
    tab.locator(f'section[data-facet=quad] a.facet-link[data-value="{QUAD}"]').click()
    tab.fill("input[name=since]", SINCE)
    tab.fill("input[name=until]", UNTIL)
    tab.locator("form.filters button").click()
    tab.wait_for_url(f"**until={UNTIL}**")
    assert {k: v for k, v in _query(tab).items() if k in ("actor", "quad", "since", "until")} == {
        "actor": [ACTOR], "quad": [QUAD], "since": [SINCE], "until": [UNTIL]}
    shown = [row.get_attribute("data-event") for row in tab.locator("tr.explorer-row").all()]
    total = int(tab.locator(".explorer-summary .total").inner_text())
    assert 0 < len(shown) <= total < everything
    dates = [d.inner_text()[:4] for d in tab.locator("tr.explorer-row td.date a.event-link").all()]
    assert all(SINCE <= year <= UNTIL for year in dates), dates
    tab.screenshot(path=str(shots / "2-explorer.png"), full_page=True)

    with tab.expect_download() as download:
        tab.locator("a.download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == shown

    tab.locator(f"tr#ev-{shown[0]} a.event-link").click()
    tab.wait_for_selector("table.explain")
    tab.screenshot(path=str(shots / "3-event.png"), full_page=True)
    evidence = tab.locator("tr.report-row.active .evidence").inner_text()
    tab.locator("tr.report-row.active td a").first.click()
    tab.wait_for_url(f"**/doc/**event={shown[0]}*")
    highlighted = tab.locator("#doc-text .sent.highlight")
    assert highlighted.count() == 1 and highlighted.inner_text() in evidence
    assert highlighted.is_visible()
    tab.screenshot(path=str(shots / "4-document.png"), full_page=False)


def test_a_person_page_shows_what_the_person_said(base: str, tab: Any, shots: Path) -> None:
    tab.goto(base + "/actor/Kabulov")
    assert "Zamir Kabulov" in tab.locator("h1").inner_text()
    quotes = tab.locator("blockquote.quote")
    assert quotes.count() >= 3 and quotes.first.is_visible()
    assert int(tab.locator("#summary .n-quotes-by").inner_text()) >= 3
    tab.screenshot(path=str(shots / "5-person.png"), full_page=True)
    quotes.first.locator("a.evidence-link").click()
    tab.wait_for_url("**/doc/**")
    assert tab.locator("#doc-text .sent.highlight").is_visible()


def test_the_network_keeps_a_changed_period_when_an_edge_is_clicked(base: str, tab: Any, shots: Path) -> None:
    tab.goto(base + "/network")
    tab.wait_for_selector("#network-svg[data-ready=true]")
    everything = tab.locator("#network-svg path.edge").count()
    tab.fill("input[name=since]", "2024")
    tab.fill("input[name=until]", "2025")
    tab.locator("form.filters button").first.click()
    tab.wait_for_url("**until=2025**")
    tab.wait_for_selector("#network-svg[data-ready=true]")
    assert 0 < tab.locator("#network-svg path.edge").count() < everything
    tab.screenshot(path=str(shots / "6-network-period.png"), full_page=True)
    edge = tab.locator("#network-svg a.edge-link").first
    edge.dispatch_event("click")
    tab.wait_for_url("**/dyad/**")
    assert {k: v for k, v in _query(tab).items() if k in ("since", "until")} == {"since": ["2024"],
                                                                                  "until": ["2025"]}
    tab.locator("#events > summary").click()
    dates = [d.inner_text()[:4] for d in tab.locator("#events tr.event-row td.date").all()]
    assert dates and all("2024" <= year <= "2025" for year in dates), dates
    tab.screenshot(path=str(shots / "7-dyad-in-period.png"), full_page=True)
