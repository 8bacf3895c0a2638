"""The dyad brief: one self-contained HTML file whose every item links to its evidence."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import build_store
from dyadlens.cli import main

CHROMIUM = Path(os.environ.get("DYADLENS_CHROMIUM", "/usr/bin/chromium"))


class _Collector(HTMLParser):
    """Every tag's attributes, ids and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.add(value)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    db = build_store(folder / "corpus.db")
    output = folder / "brief.html"
    result = CliRunner().invoke(main, ["--db", str(db), "report", "Russia", "Taliban", "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture(scope="module")
def parsed(report: Path) -> _Collector:
    collector = _Collector()
    collector.feed(report.read_text(encoding="utf-8"))
    return collector


def test_report_needs_no_network(parsed: _Collector) -> None:
    loading = [(tag, name, value) for tag, name, value in parsed.attrs if name in ("src", "href", "action", "srcset")]
    assert not [v for _, _, v in loading if re.match(r"(?i)\s*(https?:)?//", v)]
    assert "link" not in parsed.tags
    assert not [v for tag, name, v in parsed.attrs if tag == "script" and name == "src"]


def test_every_internal_link_has_its_anchor(parsed: _Collector) -> None:
    targets = {
        value[1:] for _, name, value in parsed.attrs if name == "href" and value.startswith("#") and len(value) > 1
    }
    assert targets, "the report links nothing"
    assert targets <= parsed.ids


def test_no_link_of_the_static_report_needs_a_server(parsed: _Collector) -> None:
    """A file opened from disk has no ``/dyad/...`` to go to: every link stays in the report (or is external)."""
    links = [value for _, name, value in parsed.attrs if name in ("href", "xlink:href")]
    assert [link for link in links if link.startswith("/")] == []


def test_the_series_bars_lead_to_their_first_event_in_the_report(parsed: _Collector) -> None:
    bars = [value for tag, name, value in parsed.attrs if tag == "a" and name == "href" and value.startswith("#ev-")]
    assert bars and {bar[1:] for bar in bars} <= parsed.ids


def test_report_holds_charts_events_sources_quotes_and_evidence(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert html.count('class="event-point') == 5
    assert 'class="bar quad-2"' in html
    assert "Sources disagree: asserted by The Daily Ledger; negated by Frontier Review" in html
    assert "We will keep talking to Kabul about security." in html
    assert "ledger-0312 [0:79]" in html
    assert "Russia removed the Taliban from its list of banned organisations in March 2024." in html


def test_report_escapes_article_text(tmp_path: Path) -> None:
    db = build_store(tmp_path / "corpus.db")
    output = tmp_path / "hostile.html"
    result = CliRunner().invoke(main, ["--db", str(db), "report", "kazakhstan", "taliban", "-o", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in html


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM} (CI installs it)")
def test_report_opens_in_chromium_with_its_charts_drawn(report: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"]
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        assert page.locator("svg.timeline-chart circle.event-point").count() == 5
        assert page.locator("svg.series-chart rect.bar").count() >= 2
        box = page.locator("svg.series-chart").bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 100
        page.locator("svg.timeline-chart a.point-link").first.click()
        assert page.locator("tr.event-row.active").count() == 1
        shots = Path(os.environ.get("DYADLENS_SCREENSHOTS", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "report.png"), full_page=True)
        browser.close()
    assert problems == []
    assert [url for url in requests if not url.startswith("file:")] == []
