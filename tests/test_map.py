"""The map of event locations (``/map``, its JSON twin, ``dyadlens map``) and its country shapes.

Over a small hand-made corpus of located events (two years, six countries, one place name that
is markup), on SQLite and PostgreSQL; its counts are checked against the events explorer's for the
same filters, here and on the sample corpus ingested for real (slow). The last test walks the map
in real headless Chromium: a period set in the form changes the shaded countries and the table,
and a click on a country opens the explorer filtered to it; screenshots go to its temporary folder.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, explore_events
from dyadlens.analysis.places_map import PlacePoint, event_map
from dyadlens.cli import main
from dyadlens.model import DocumentRecords
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.store.store import Store
from dyadlens.web.app import WebApp
from dyadlens.web.map_chart import class_bounds, merged_marks
from dyadlens.web.worldshapes import HEIGHT, WIDTH, project, world_shapes
from test_web_security import get_json, request

HOSTILE_PLACE = '<img src=x onerror=alert(3)>Termez'

#: (sentence, trigger, source, target, code, date, (place, ISO3, lat, lon, precision) or None)
EVENTS_2023 = [
    ("Russia hosted Taliban envoys in Kabul.", "hosted", "russia", "taliban", "043", "2023-02-01",
     ("Kabul", "AFG", 34.53, 69.17, "city")),
    ("Russia met the Taliban in Kabul again.", "met", "russia", "taliban", "040", "2023-03-01",
     ("Kabul", "AFG", 34.53, 69.17, "city")),
    ("Pakistan accused the Taliban in Moscow.", "accused", "pakistan", "taliban", "112", "2023-04-01",
     ("Moscow", "RUS", 55.75, 37.62, "city")),
    ("Russia praised the Taliban somewhere.", "praised", "russia", "taliban", "051", "2023-05-01", None),
]
EVENTS_2024 = [
    ("Kazakhstan hosted the Taliban in Astana.", "hosted", "kazakhstan", "taliban", "043", "2024-02-01",
     ("Astana", "KAZ", 51.17, 71.43, "city")),
    ("Pakistan met the Taliban in Islamabad.", "met", "pakistan", "taliban", "040", "2024-03-01",
     ("Islamabad", "PAK", 33.72, 73.06, "city")),
    ("Russia sent wheat to the Taliban in Qatar.", "sent", "russia", "taliban", "071", "2024-04-01",
     ("Qatar", "QAT", None, None, "country")),
    ("Russia met the Taliban near Termez.", "met", "russia", "taliban", "040", "2024-05-01",
     (HOSTILE_PLACE, "UZB", 37.22, 67.28, "city")),
    ("Pakistan warned the Taliban in Kabul.", "warned", "pakistan", "taliban", "130", "2024-06-01",
     ("Kabul", "AFG", 34.53, 69.17, "city")),
]


def located_document(doc_id: str, published: str, events: list[tuple[Any, ...]]) -> DocumentRecords:
    doc = DocBuilder(doc_id, [e[0] for e in events], published, "Map Wire", f"Events of {doc_id}")
    for index, (_, trigger, source, target, code, date, place) in enumerate(events):
        doc.mention(index, {"russia": "Russia", "pakistan": "Pakistan", "kazakhstan": "Kazakhstan"}[source], source)
        doc.mention(index, "Taliban", target)
        event = doc.event(index, trigger, source, target, code, "asserted", date)
        if place is not None:
            name, country, lat, lon, precision = place
            located = replace(event, place_name=name, place_country=country, place_lat=lat, place_lon=lon,
                              place_precision=precision, place_rule="clause")
            doc.records.events[index] = located
    return doc.records


def build_map_store(target: Path | str) -> Path | str:
    store = open_store(target)
    try:
        store.write(located_document("map-2023", "2023-06-01", EVENTS_2023))
        store.write(located_document("map-2024", "2024-07-01", EVENTS_2024))
    finally:
        store.close()
    return target


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(build_map_store(store_url))
    yield opened
    opened.close()


@pytest.fixture()
def app(store: Store, resources: Resources) -> WebApp:
    return WebApp(store, resources.ontology, resources.kb)


def by_country(payload: dict[str, Any]) -> dict[str, int]:
    return {c["country"]: c["count"] for c in payload["countries"]}


# --- the shapes ----------------------------------------------------------------------------------------


def test_the_shapes_load_from_the_installed_package_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the shapes tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    shapes = world_shapes.__wrapped__()  # read again, not from the process cache
    assert len(shapes) > 150 and "ATA" not in shapes
    assert {"AFG", "RUS", "KAZ", "PAK", "UZB", "USA", "BRA"} <= set(shapes)
    assert shapes["AFG"].name == "Afghanistan" and re.fullmatch(r"(M[\d.,L]+Z)+", shapes["AFG"].path)
    assert not list(Path(__file__).resolve().parent.parent.joinpath("src").rglob("*.geo.json"))


def test_the_projection_puts_places_where_they_are() -> None:
    assert project(-180, 84) == (0, 0) and project(180, -58) == pytest.approx((WIDTH, HEIGHT))
    kabul_x, kabul_y = project(69.17, 34.53)
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+),", world_shapes()["AFG"].path)]
    ys = [float(y) for y in re.findall(r",([\d.]+)", world_shapes()["AFG"].path)]
    assert min(xs) < kabul_x < max(xs) and min(ys) < kabul_y < max(ys)


def test_shading_classes_and_merged_points() -> None:
    assert class_bounds(0) == [] and class_bounds(1) == [1]
    assert class_bounds(300) == [3, 9, 30, 95, 300] and class_bounds(2) == [1, 2]
    near = [PlacePoint(34.5, 69.2, "AFG", "Kabul", 1, 5), PlacePoint(34.9, 69.5, "AFG", "Bagram", 1, 2),
            PlacePoint(55.7, 37.6, "RUS", "Moscow", 2, 1)]
    marks = merged_marks(near)
    assert [(m.count, m.country, m.places) for m in marks] == [(7, "AFG", ["Kabul", "Bagram"]), (1, "RUS", ["Moscow"])]
    assert marks[1].more_places == 1


# --- the counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "since=2024", "since=2023&until=2023-12", "actor=pakistan", "root=04",
                                   "count=reports", "country=AFG"])
def test_country_counts_equal_the_explorers(app: WebApp, query: str) -> None:
    shown = get_json(app, f"/api/map?{query}")
    explorer = get_json(app, f"/api/events?{query}")
    assert shown["total"] == explorer["window"]["total"]
    for country, count in by_country(shown).items():
        filtered = get_json(app, f"/api/events?{query}&country={country}" if "country=" not in query else
                            f"/api/events?{query}")
        assert filtered["window"]["total"] == count, country
    facet = next(f for f in explorer["facets"] if f["name"] == "country")
    assert {v["value"]: v["count"] for v in facet["values"]} == by_country(shown)


def test_a_period_narrows_the_countries_and_the_points(app: WebApp) -> None:
    assert by_country(get_json(app, "/api/map")) == {"AFG": 3, "RUS": 1, "KAZ": 1, "PAK": 1, "QAT": 1, "UZB": 1}
    earlier = get_json(app, "/api/map?since=2023&until=2023-12")
    assert by_country(earlier) == {"AFG": 2, "RUS": 1}
    assert earlier["total"] == 4 and earlier["located"] == 3
    assert sorted((p["place"], p["count"]) for p in earlier["points"]) == [("Kabul", 2), ("Moscow", 1)]
    later = get_json(app, "/api/map?since=2024-01")
    assert {p["place"] for p in later["points"]} == {"Astana", "Islamabad", "Kabul", HOSTILE_PLACE}
    assert later["points_total"] == 4  # Qatar has no coordinates: counted for its country, not a point


def test_only_the_busiest_points_are_loaded_with_the_true_number_of_cells(store: Store, resources: Resources) -> None:
    ctx = AnalysisContext(store, resources.ontology, resources.kb)
    view = event_map(ctx, ExplorerFilters(), points_shown=2)
    assert [(p.place, p.count) for p in view.points][:1] == [("Kabul", 3)]
    assert len(view.points) == 2 and view.points_total == 5


def test_the_page_shades_links_and_tables_the_countries(app: WebApp) -> None:
    status, _, body = request(app, "/map?since=2024&actor=pakistan")
    assert status == "200 OK"
    shaded = dict(re.findall(r'class="country counted" data-country="(\w+)" data-count="(\d+)"', body))
    assert shaded == {"AFG": "1", "PAK": "1"}
    assert 'href="/events?since=2024&amp;actor=pakistan&amp;country=AFG"' in body
    row = r'<tr data-country="(\w+)"><td><a[^>]*>([^<]+)</a></td><td[^>]*>\w+</td><td class="num">(\d+)'
    rows = re.findall(row, body)
    assert rows == [("AFG", "Afghanistan", "1"), ("PAK", "Pakistan", "1")]
    assert 'class="to-events" href="/events?since=2024&amp;actor=pakistan"' in body
    explorer = request(app, "/events?since=2024&actor=pakistan")[2]
    assert 'class="to-map" href="/map?since=2024&amp;actor=pakistan' in explorer
    assert 'href="/map"' in request(app, "/")[2]  # in the nav


def test_place_names_stay_inert(app: WebApp) -> None:
    body = request(app, "/map?since=2024")[2]
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(3)&gt;Termez" in body


@pytest.mark.parametrize("target", ["/api/map?since=2025&until=2024", "/api/map?quad=9", "/api/map?count=words"])
def test_bad_filters_are_a_clear_400(app: WebApp, target: str) -> None:
    status, _, body = request(app, target)
    assert status == "400 Bad Request" and json.loads(body)["error"]


def test_the_cli_prints_the_country_counts(tmp_path: Path) -> None:
    db = str(build_map_store(tmp_path / "cli.db"))
    result = CliRunner().invoke(main, ["--db", db, "map", "--since", "2024", "--json"])
    assert result.exit_code == 0, result.output
    assert by_country(json.loads(result.output)) == {"AFG": 1, "KAZ": 1, "PAK": 1, "QAT": 1, "UZB": 1}
    text = CliRunner().invoke(main, ["--db", db, "map", "--until", "2023", "--actor", "Russia"])
    assert text.exit_code == 0, text.output
    assert [line.split() for line in text.stdout.splitlines()] == [["ISO3", "events", "country"],
                                                                    ["AFG", "2", "Afghanistan"]]


@pytest.mark.slow
def test_map_counts_equal_the_explorers_on_the_sample_corpus(tmp_path: Path, resources: Resources) -> None:
    """The sample corpus ingested for real: every country's count is the explorer's for that country."""
    corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus"
    db = str(tmp_path / "sample.db")
    assert CliRunner().invoke(main, ["-q", "--db", db, "ingest", str(corpus)]).exit_code == 0
    store = open_store(db)
    try:
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        for filters in (ExplorerFilters(), ExplorerFilters(since="2021", until="2022-06"),
                        ExplorerFilters(count="reports", root="04")):
            view = event_map(ctx, filters)
            assert view.countries, filters
            assert view.total == explore_events(ctx, filters, limit=1, with_facets=False).window.total
            for country in view.countries:
                narrowed = replace(filters, country=country.country)
                assert explore_events(ctx, narrowed, limit=1, with_facets=False).window.total == country.count
    finally:
        store.close()


# --- in Chromium -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_map_filtered_to_a_period_in_chromium(tmp_path: Path) -> None:
    from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _serving

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (CI installs it)")
    from playwright.sync_api import sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    with _serving(Path(build_map_store(tmp_path / "map.db"))) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        _walk_the_map(tab, base, shots)
        browser.close()
    assert problems == []
    assert {p.name for p in shots.iterdir()} == {"map.png", "map-2023.png", "map-country-events.png"}


def _shaded(tab: Any) -> dict[str, str]:
    paths = tab.locator("svg.map-chart path.counted").all()
    return {p.get_attribute("data-country"): p.get_attribute("data-count") for p in paths}


def _table(tab: Any) -> list[list[str]]:
    return [row.inner_text().split("\t") for row in tab.locator("table.map-countries tbody tr").all()]


def _walk_the_map(tab: Any, base: str, shots: Path) -> None:
    tab.goto(base + "/")
    tab.locator("header nav a", has_text="Map").click()
    tab.wait_for_selector("svg.map-chart path.counted")
    assert _shaded(tab) == {"AFG": "3", "RUS": "1", "KAZ": "1", "PAK": "1", "QAT": "1", "UZB": "1"}
    assert len(_table(tab)) == 6
    points = tab.locator("svg.map-chart circle.place-point").all()
    assert sum(int(p.get_attribute("data-count")) for p in points) == 7  # the events at a city, all shown
    assert len(points) < 5  # Kabul, Termez and Islamabad lie too close to be told apart: one mark
    tab.screenshot(path=str(shots / "map.png"), full_page=True)
    tab.fill("form.map-period input[name=since]", "2023")
    tab.fill("form.map-period input[name=until]", "2023-12")
    tab.locator("form.map-period button").click()
    tab.wait_for_url("**/map?**until=2023-12**")
    assert _shaded(tab) == {"AFG": "2", "RUS": "1"}
    assert _table(tab) == [["Afghanistan", "AFG", "2"], ["Russia", "RUS", "1"]]
    assert tab.locator(".map-summary .total").inner_text() == "4"
    tab.screenshot(path=str(shots / "map-2023.png"), full_page=True)
    afghanistan = tab.locator('svg.map-chart path[data-country="AFG"]')
    box = afghanistan.bounding_box()
    afghanistan.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.6})  # west of Kabul's point
    tab.wait_for_url("**/events?**country=AFG**")
    assert tab.locator(".explorer-summary .total").inner_text() == "2"
    assert "since=2023" in tab.url and "until=2023-12" in tab.url
    assert tab.locator('section[data-facet=country] li.selected a[data-value="AFG"]').count() == 1
    tab.screenshot(path=str(shots / "map-country-events.png"), full_page=True)
