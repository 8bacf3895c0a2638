"""The web UI in real headless Chromium: every page, chart-to-evidence navigation, escaping.

Starts ``dyadlens serve`` in a subprocess on a free localhost port. Screenshots
go to ``$DYADLENS_SCREENSHOTS`` (or a pytest temporary folder).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from analysis_corpus import build_store
from test_web_security import ODD_ID, add_odd_document

CHROMIUM = Path(os.environ.get("DYADLENS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM} (CI installs it)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dyadlens serve exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"dyadlens serve did not answer at {url}")


@contextmanager
def _serving(db: Path) -> Iterator[str]:
    """``dyadlens serve`` on ``db`` in a subprocess; yields its base URL."""
    port = _free_port()
    command = [
        sys.executable, "-c", "from dyadlens.cli import run; run()", "--db", str(db), "serve", "--port", str(port)
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/static/style.css", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serving(build_store(tmp_path_factory.mktemp("serve") / "corpus.db")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("DYADLENS_SCREENSHOTS"):
        folder = Path(os.environ["DYADLENS_SCREENSHOTS"])
    else:
        folder = tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    tab.on("console", lambda message: tab.problems.append(f"console {message.type}: {message.text}"))
    tab.on("dialog", lambda dialog: (tab.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab
    context.close()


@pytest.mark.parametrize(
    ("name", "path", "selector"),
    [
        ("overview", "/", "table.dyads a.dyad-link"),
        ("actor", "/actor/taliban", "table.partners"),
        ("dyad", "/dyad/russia/taliban", "svg.timeline-chart circle.event-point"),
        ("network", "/network", "#network-svg[data-ready=true] g.node"),
        ("document", "/doc/ledger-0312", "#doc-text .mention"),
        ("search", "/search?q=Taliban&actor=pakistan", "tr.hit"),
    ],
)
def test_every_page_loads_and_draws(server: str, page: Any, shots: Path, name: str, path: str, selector: str) -> None:
    response = page.goto(server + path)
    assert response is not None and response.status == 200
    page.wait_for_selector(selector)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert page.problems == []


def test_network_graph_has_nodes_and_edges_and_filters(server: str, page: Any) -> None:
    page.goto(server + "/network")
    page.wait_for_selector("#network-svg[data-ready=true]")
    assert page.locator("#network-svg g.node").count() == 4
    assert page.locator("#network-svg path.edge").count() == 3
    page.goto(server + "/network?quad=3")
    page.wait_for_selector("#network-svg[data-ready=true]")
    assert page.locator("#network-svg path.edge").count() == 1


def test_from_chart_point_to_event_to_highlighted_sentence(server: str, page: Any, shots: Path) -> None:
    page.goto(server + "/dyad/russia/taliban")
    point = page.locator("svg.timeline-chart a.point-link").first
    event_id = point.get_attribute("data-event")
    point.click()
    page.wait_for_function(f"window.location.hash === '#ev-{event_id}'")
    row = page.locator(f"tr#ev-{event_id}")
    assert "active" in (row.get_attribute("class") or "")
    evidence = row.locator(".evidence").inner_text()
    page.screenshot(path=str(shots / "dyad-after-point-click.png"), full_page=False)
    row.locator("a.evidence-link").click()
    page.wait_for_url(f"**/doc/**event={event_id}*")
    highlighted = page.locator("#doc-text .sent.highlight")
    assert highlighted.count() == 1
    assert highlighted.inner_text() in evidence
    assert highlighted.is_visible()
    assert page.locator("#doc-text .trigger-hl").count() == 1
    page.screenshot(path=str(shots / "document-highlighted.png"), full_page=False)
    assert page.problems == []


def test_script_in_article_text_is_inert_and_shown_literally(server: str, page: Any, shots: Path) -> None:
    page.goto(server + "/doc/hostile-0505")
    page.wait_for_selector("#doc-text")
    text = page.locator("#doc-text").inner_text()
    assert '<script>alert("owned")</script>' in text
    assert "<b>Astana</b>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator("#doc-text script, #doc-text img, #doc-text b").count() == 0
    assert "Steppe <Wire>" in page.locator("p.subtitle").inner_text()
    page.goto(server + "/dyad/kazakhstan/taliban")
    assert page.locator("table.events script").count() == 0
    page.screenshot(path=str(shots / "hostile-document.png"), full_page=True)
    assert page.problems == []


def test_a_document_id_with_url_syntax_opens_from_its_link(tmp_path: Path, page: Any) -> None:
    with _serving(add_odd_document(build_store(tmp_path / "odd.db"))) as base:
        page.goto(base + "/")
        page.locator("a.doc-link", has_text="Odd id").click()
        page.wait_for_selector("#doc-text")
        assert page.locator("p.subtitle span.code").first.inner_text() == ODD_ID
        twin = page.evaluate("fetch(document.querySelector('footer a').href).then(r => r.json())")
        assert twin["id"] == ODD_ID
    assert page.problems == []
