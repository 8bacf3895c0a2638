"""No page of the demo store is taller than four screens (1280×800: 3,200 px) before the user asks for more.

Real Chromium walks every page kind the web UI routes (``web.views.ROUTES``, read when the test runs, so a
page added later is walked too): a route without arguments as is (search with words), a route with
arguments with every kind of argument the store gives (an actor of each type and an unresolved name, each
document, an event, the busiest dyads), and the brief the CLI writes. Each page is screenshotted.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser import build_demo_store, chromium, needs_chromium, open_tab, page_height, screenshots_folder, serving
from dyadlens.cli import main
from dyadlens.web.views import ROUTES

pytestmark = needs_chromium

#: Four screens of the 1280×800 viewport.
LIMIT = 3200

#: Query strings for routes whose bare page is an empty form.
ASKED = {"search": "?q=Taliban"}

#: The actor types walked, one actor each (the most mentioned), besides the unresolved names.
ACTOR_TYPES = ("state", "armed_group", "igo", "media", "person")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture(scope="module")
def base(demo: Path) -> Iterator[str]:
    with serving(demo) as url:
        yield url


def _api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + "/api" + path, timeout=30) as response:
        return json.loads(response.read())


def _cli_json(demo: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", str(demo), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _arguments(demo: Path, base: str) -> dict[str, list[list[str]]]:
    """For each kind of route argument, the values the walk gives: actors, documents, events, dyads."""
    chosen = [_cli_json(demo, "actors", "--type", kind, "--limit", "1")[0]["id"] for kind in ACTOR_TYPES]
    chosen.append(_cli_json(demo, "actors", "--unresolved", "--limit", "1")[0]["id"])
    documents = [d["id"] for d in _cli_json(demo, "docs")]
    events = _api(base, "/events")["rows"]
    dyads = [[d["a"], d["b"]] for d in _api(base, "/")["dyads"][:3]]
    return {"actor": [[a] for a in chosen], "doc": [[d] for d in documents], "event": [[events[0]["id"]]],
            "pair": dyads}


def _paths(demo: Path, base: str) -> list[str]:
    """Every page to walk: each route of ``ROUTES`` with each argument that suits it."""
    arguments = _arguments(demo, base)
    paths: list[str] = []
    for (segment, count), _view in sorted(ROUTES.items()):
        if segment.endswith((".csv", ".json")):
            continue  # downloads, not pages
        if count == 0:
            paths.append(f"/{segment}{ASKED.get(segment, '')}")
            continue
        kind = segment if count == 1 and segment in arguments else ("pair" if count in (2, 3) else "actor")
        tail = "/sources" if count == 3 else ""  # the one route of three segments: a dyad's sources side by side
        paths.extend(f"/{segment}/" + "/".join(urllib.request.quote(a, safe="") for a in args) + tail
                     for args in arguments[kind])
    return paths


def test_every_page_of_the_demo_store_fits_four_screens(demo: Path, base: str,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    shots = screenshots_folder(tmp_path_factory, "page-heights")
    paths = _paths(demo, base)
    assert {p.split("/")[1].split("?")[0] for p in paths} >= {"", "events", "event", "doc", "search", "network",
                                                              "dyad", "brief", "actor"}
    heights: dict[str, int] = {}
    with chromium() as browser:
        tab = open_tab(browser)
        for path in paths:
            response = tab.goto(base + path)
            assert response is not None and response.status == 200, path
            tab.wait_for_load_state("load")
            heights[path] = page_height(tab)
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "overview"
            tab.screenshot(path=str(shots / f"{name[:120]}.png"), full_page=True)
        assert tab.problems == []
    assert {p: h for p, h in heights.items() if h > LIMIT} == {}


def test_the_written_brief_fits_four_screens_and_opens_on_its_summary(
        demo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    shots = screenshots_folder(tmp_path_factory, "page-heights")
    output = shots / "brief-russia-taliban.html"
    result = CliRunner().invoke(main, ["--db", str(demo), "report", "Russia", "Taliban", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with chromium() as browser:
        tab = open_tab(browser)
        tab.goto(output.as_uri())
        assert page_height(tab) <= LIMIT
        summary = tab.locator("#summary")
        assert summary.locator(".brief-number").count() == 3
        assert summary.locator("ol.brief-events li").count() == 5
        assert tab.locator("#events").evaluate("d => d.open") is False
        tab.screenshot(path=str(shots / "brief-russia-taliban.png"), full_page=True)
        tab.locator("ol.brief-events li a.evidence-link").first.click()
        assert tab.locator("#evidence").evaluate("d => d.open") is True
        assert tab.problems == []
