"""Charts that hold many points (#14): real time gaps, overlapping marks drawn once with their
count, the timeline's zoom, and the network's colours, labels and kept filters (SVG and real Chromium)."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis_corpus import DocBuilder, build_store
from dyadlens.analysis.common import EventRow, Evidence
from dyadlens.analysis.series import Series, SeriesPoint
from dyadlens.model import DocumentRecords
from dyadlens.store import open_store
from dyadlens.web.charts import series_svg, timeline_svg
from test_web_browser import CHROMIUM, _serving, browser, page, shots  # noqa: F401  (fixtures)


def _row(event_id: str, date: str, goldstein: float, quad: int = 2, name: str = "B") -> EventRow:
    return EventRow(
        id=event_id, date=date, dated_by="event", sort_date=date, source="a", source_name="A", target="b",
        target_name=name, code="043", code_name="Visit", root="04", root_name="CONSULT", quad_class=quad,
        goldstein=goldstein, modality="asserted", claimant=None, trigger_start=0, trigger_end=1, doc_id="d",
        doc_title=None, outlet=None, published=None, url=None, evidence=Evidence("d", 0, 5, "x"),
    )


def _marks(svg: str) -> list[tuple[float, float, float, int]]:
    """(cx, cy, r, events) of each timeline mark."""
    root = ET.fromstring(svg)
    out = []
    for link in root.iter("a"):
        if "mark" not in (link.get("class") or "").split():
            continue  # a cluster's members, hidden until a zoom separates them
        circle = next(link.iter("circle"))
        size = int(link.get("data-count") or 1)
        out.append((float(circle.get("cx") or 0), float(circle.get("cy") or 0), float(circle.get("r") or 0), size))
    return out


@pytest.mark.parametrize("size", [77, 1000])
def test_crowded_events_leave_no_mark_under_another(size: int) -> None:
    rows = [_row(f"e{i}", f"2021-{8 + i % 4:02d}-{1 + i % 28:02d}", float(i % 5) - 2, 1 + i % 4) for i in range(size)]
    marks = _marks(str(timeline_svg(rows, "A – B")))
    assert sum(size for *_, size in marks) == size
    assert any(size > 1 for *_, size in marks) and len(marks) >= 4
    for i, (x1, y1, r1, _) in enumerate(marks):
        for x2, y2, r2, _ in marks[i + 1:]:
            assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2  # circles do not even touch


def test_a_cluster_lists_its_events_escaped() -> None:
    rows = [_row("x1", "2024-03-01", 1.0, name='<b onclick="x">'), _row("x2", "2024-03-01", 1.0),
            _row("far", "2024-12-01", 1.0)]
    svg = str(timeline_svg(rows, "A – B"))
    root = ET.fromstring(svg)
    cluster = next(a for a in root.iter("a") if a.get("data-count"))
    assert cluster.get("data-events") == "x1 x2" and cluster.get("href") == "#ev-x1"
    labels = json.loads(cluster.get("data-labels") or "[]")
    assert len(labels) == 2 and '<b onclick="x">' in labels[0]  # the parsed value: the script sets it as text
    assert "<b onclick" not in svg


def test_timeline_cuts_a_long_empty_stretch_to_a_break_and_keeps_short_gaps_proportional() -> None:
    rows = [_row("old", "2003-02-10", 1.0), _row("a", "2020-07-01", 1.0), _row("b", "2020-09-01", 1.0),
            _row("c", "2021-03-01", 1.0)]
    root = ET.fromstring(str(timeline_svg(rows, "A – B")))
    xs = {a.get("data-event"): float(next(a.iter("circle")).get("cx") or 0) for a in root.iter("a")}
    breaks = [g for g in root.iter("g") if g.get("class") == "axis-break"]
    assert len(breaks) == 1
    band = next(breaks[0].iter("rect"))
    assert xs["old"] < float(band.get("x") or 0) < xs["a"]
    assert xs["c"] - xs["b"] == pytest.approx(3 * (xs["b"] - xs["a"]), rel=0.05)  # 6 months vs 2 months
    axis = json.loads(root.get("data-axis") or "[]")
    assert len(axis) == 2 and axis[0][1] < 2004 < 2020 < axis[1][0]


def _series(by: str, *periods: str) -> Series:
    points = [SeriesPoint(p, 1, {1: 1, 2: 0, 3: 0, 4: 0}, 1.0, [p]) for p in periods]
    return Series("a", "A", "b", "B", by, ("asserted",), points, [])


def _bar_x(root: ET.Element) -> dict[str, float]:
    return {a.get("data-period") or "": float(next(a.iter("rect")).get("x") or 0)
            for a in root.iter("a")}


def test_series_keeps_empty_periods_at_their_place() -> None:
    root = ET.fromstring(str(series_svg(_series("month", "2021-01", "2021-02", "2021-05"))))
    xs = _bar_x(root)
    assert xs["2021-05"] - xs["2021-02"] == pytest.approx(3 * (xs["2021-02"] - xs["2021-01"]), rel=0.01)
    assert not [g for g in root.iter("g") if g.get("class") == "gap"]


def test_series_puts_a_break_between_2003_02_and_2020_07() -> None:
    root = ET.fromstring(str(series_svg(_series("month", "2003-02", "2020-07", "2020-08"))))
    xs = _bar_x(root)
    gaps = [g for g in root.iter("g") if g.get("class") == "gap"]
    assert [next(g.iter("title")).text for g in gaps] == ["no events between 2003-02 and 2020-07"]
    neighbour = xs["2020-08"] - xs["2020-07"]
    assert xs["2020-07"] - xs["2003-02"] == pytest.approx(2.5 * neighbour, rel=0.01)  # not side by side


# --- in Chromium -------------------------------------------------------------------------------------------


def _crowded() -> DocumentRecords:
    """Twelve visits in twelve days: on the 2003–2024 axis they fall on one spot."""
    sentences = [f"Russia received Taliban envoys on {day} March 2024, report {day}." for day in range(1, 13)]
    doc = DocBuilder("crowded-0320", sentences, "2024-03-20", "The Crowd", "Twelve visits")
    for index in range(12):
        doc.mention(index, "Russia", "russia")
        doc.mention(index, "Taliban", "taliban")
        doc.event(index, "received", "russia", "taliban", "042", "asserted", f"2024-03-{index + 1:02d}")
    return doc.records


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = build_store(tmp_path_factory.mktemp("charts") / "corpus.db")
    store = open_store(path)
    try:
        store.write(_crowded())
    finally:
        store.close()
    with _serving(Path(path)) as base:
        yield base


def _drag(page: Any, selector: str, start: float, end: float) -> None:  # noqa: F811
    """Drag across ``selector`` from one fraction of its width to another."""
    box = page.locator(selector).bounding_box()
    y = box["y"] + box["height"] * 0.15
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (start + end) / 2, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * end, y, steps=4)
    page.mouse.up()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not found")
def test_zoom_changes_the_visible_range(server: str, page: Any, shots: Path) -> None:  # noqa: F811
    page.goto(server + "/dyad/russia/taliban")
    chart = page.locator("svg.timeline-chart")
    page.wait_for_selector("svg.timeline-chart[data-range]")
    whole, visible = chart.get_attribute("data-range"), int(chart.get_attribute("data-visible") or 0)
    assert page.locator("svg.timeline-chart .axis-break").count() == 1  # 2003 and 2023–24 with a cut between
    _drag(page, "svg.timeline-chart .plot-area", 0.55, 0.98)
    zoomed = chart.get_attribute("data-range")
    assert zoomed != whole and not (zoomed or "").startswith("2003")
    assert 0 < int(chart.get_attribute("data-visible") or 0) < visible
    page.screenshot(path=str(shots / "timeline-zoomed.png"), full_page=False)
    box = page.locator("svg.timeline-chart a.cluster-link:visible").first.bounding_box()
    middle, plot = box["x"] + box["width"] / 2, page.locator("svg.timeline-chart .plot-area").bounding_box()
    _drag(page, "svg.timeline-chart .plot-area", (middle - 30 - plot["x"]) / plot["width"],
          (middle + 30 - plot["x"]) / plot["width"])  # closer in: the twelve visits come apart
    assert page.locator("svg.timeline-chart a.cluster-link:visible").count() == 0
    assert page.locator("svg.timeline-chart a.point-link:visible").count() >= 12
    page.screenshot(path=str(shots / "timeline-zoomed-closer.png"), full_page=False)
    page.locator("svg.timeline-chart .zoom-reset").click()
    assert chart.get_attribute("data-range") == whole
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not found")
def test_an_aggregated_point_shows_its_count_and_opens_its_events(server: str, page: Any, shots: Path) -> None:  # noqa: F811
    page.goto(server + "/dyad/russia/taliban")
    cluster = page.locator("svg.timeline-chart a.cluster-link").first
    count = int(cluster.get_attribute("data-count") or 0)
    assert count >= 12 and cluster.locator("text").text_content() == str(count)
    cluster.click()
    items = page.locator(".cluster-list li a")
    assert items.count() == count
    page.screenshot(path=str(shots / "timeline-cluster.png"), full_page=False)
    first = items.first.get_attribute("href") or ""
    items.first.click()
    assert page.url.endswith(first)
    page.wait_for_function("document.querySelectorAll('tr.event-row.active-target').length === 1")  # hashchange
    assert page.locator("tr.event-row.active-target").get_attribute("id") == first[1:]
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not found")
def test_network_edge_click_keeps_the_period_and_class(server: str, page: Any, shots: Path) -> None:  # noqa: F811
    page.goto(server + "/network?since=2024&until=2024-12&quad=1&quad=2")
    page.wait_for_selector("#network-svg[data-ready=true]")
    legend = page.locator("#network-svg .legend text").all_text_contents()
    assert "state" in legend and "armed group" in legend
    fills = page.eval_on_selector_all("#network-svg g.node circle", "cs => cs.map(c => c.getAttribute('fill'))")
    assert len(set(fills)) >= 2  # Russia (state) and the Taliban (armed group) differ
    page.screenshot(path=str(shots / "network-filtered.png"), full_page=False)
    # labels sit beside their nodes, never over them
    overlaps = page.evaluate("""() => {
        const labels = [...document.querySelectorAll('#network-svg .node-label')];
        const nodes = [...document.querySelectorAll('#network-svg g.node circle')];
        return labels.filter((l, i) => {
            const a = l.getBoundingClientRect(), b = nodes[i].getBoundingClientRect();
            return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
        }).length;
    }""")
    assert overlaps == 0
    middle = page.evaluate("""() => { const p = document.querySelector('#network-svg path.edge');
        const at = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
        return [at.x * m.a + at.y * m.c + m.e, at.x * m.b + at.y * m.d + m.f]; }""")
    row_link = page.locator("table.edges a.edge-row-link").first.get_attribute("href") or ""
    assert "since=2024&until=2024-12&quad=1&quad=2" in row_link  # the table's links keep them too
    page.mouse.click(middle[0], middle[1])
    page.wait_for_url("**/dyad/**")
    assert "since=2024" in page.url and "until=2024-12" in page.url and "quad=1&quad=2" in page.url
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not found")
def test_network_period_slider_sets_since(server: str, page: Any) -> None:  # noqa: F811
    page.goto(server + "/network?quad=2")
    page.wait_for_selector("#network-svg[data-ready=true]")
    page.eval_on_selector("#since-slider", "s => { s.value = '2023'; s.dispatchEvent(new Event('input'));"
                          " s.dispatchEvent(new Event('change')); }")
    page.wait_for_url("**since=2023**")
    assert "quad=2" in page.url
    assert page.input_value("input[name=since]") == "2023"
