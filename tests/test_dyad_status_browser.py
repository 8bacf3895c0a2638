"""The dyad page's status steps paged in Chromium: a busy dyad of a store of the benchmarks' generator (1,000
documents among four actors) shows its steps in force and its latest, and "More steps" leads to the next ones,
the status fold open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import test_web_browser as web_browser
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.status import STATUS_SHOWN, dyad_status_page
from dyadlens.resources import Resources
from dyadlens.store import open_store
from synthetic_store import synthetic_store
from test_bounded_reads import _dyads

pytestmark = web_browser.pytestmark
#: The browser tests' Chromium, tab and screenshot folder.
browser, page, shots = web_browser.browser, web_browser.page, web_browser.shots

Steps = list[tuple[str, str, str]]


@pytest.fixture(scope="module")
def busy_dyad(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> tuple[Path, str, str, Steps]:
    """The store, the first dyad with more steps than a page shows, and its first two pages' steps."""
    db = tmp_path_factory.mktemp("status") / "s.db"
    _synthetic(db)
    store = open_store(db)
    try:
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        for a, b in _dyads(ctx):
            steps, window = dyad_status_page(ctx, a, b, 2 * STATUS_SHOWN)
            if window.total > STATUS_SHOWN:
                return db, a, b, [(s.track_name, s.status.replace("_", " "), s.since or "undated") for s in steps]
    finally:
        store.close()
    raise AssertionError("no dyad of the synthetic store has more status steps than a page shows")


def _synthetic(db: Path) -> None:
    synthetic_store(db, 1000, seed=5, actors=4)


@pytest.fixture(scope="module")
def busy_server(busy_dyad: tuple[Path, str, str, Steps]) -> Iterator[str]:
    with web_browser._serving(busy_dyad[0]) as base:
        yield base


def _shown_steps(tab: Any) -> Steps:
    rows = tab.locator("#status tr.status-step")
    return [(cells[1], cells[2].split("(")[0].split("in force")[0].split("open")[0].strip(), cells[3].strip())
            for cells in (rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count()))]


def test_more_steps_pages_the_status(busy_server: str, busy_dyad: tuple[Path, str, str, Steps], page: Any,
                                     shots: Path) -> None:
    _, a, b, steps = busy_dyad
    page.goto(f"{busy_server}/dyad/{a}/{b}")
    assert page.locator("#status").get_attribute("open") is not None
    assert page.locator("#status .status-window").inner_text().startswith(f"Steps 1–{STATUS_SHOWN} of ")
    first = _shown_steps(page)
    assert [(t, s) for t, s, _ in first] == [(t, s) for t, s, _ in steps[:STATUS_SHOWN]]
    page.screenshot(path=str(shots / "dyad-status-first-steps.png"), full_page=False)
    page.locator("#status a.status-more").click()
    page.wait_for_url(f"**status_offset={STATUS_SHOWN}#status")
    assert page.locator("#status").get_attribute("open") is not None
    second = _shown_steps(page)
    assert [(t, s) for t, s, _ in second] == [(t, s) for t, s, _ in steps[STATUS_SHOWN : 2 * STATUS_SHOWN]]
    assert page.locator("#status a.status-previous").count() == 1
    page.screenshot(path=str(shots / "dyad-status-more-steps.png"), full_page=False)
    assert page.problems == []
