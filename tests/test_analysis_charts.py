"""Inline SVG charts: placement of partial dates, links to events, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dyadlens.analysis.common import EventRow, Evidence
from dyadlens.analysis.series import Series, SeriesPoint, empty_periods_between
from dyadlens.partial_dates import PartialDate
from dyadlens.web.charts import series_svg, timeline_svg


def _row(event_id: str, date: str | None, goldstein: float, modality: str = "asserted") -> EventRow:
    return EventRow(
        id=event_id, date=date, dated_by="event" if date else None, sort_date=date, source="a", source_name="A <i>",
        target="b", target_name="B", code="081", code_name="Ease sanctions", root="08", root_name="YIELD",
        quad_class=2, goldstein=goldstein, modality=modality, claimant=None, trigger_start=0, trigger_end=1,
        doc_id="d", doc_title=None, outlet=None, published=None, url=None, evidence=Evidence("d", 0, 5, "x"),
    )


@pytest.mark.parametrize(
    ("date", "value"), [("2024", 2024.5), ("2024-07", 2024 + 6.5 / 12), ("2024-01-01", 2024 + 0.5 / 31 / 12)]
)
def test_partial_dates_sit_mid_period(date: str, value: float) -> None:
    assert PartialDate.parse(date).year_fraction() == pytest.approx(value)


def test_timeline_points_link_to_their_events_and_escape_names() -> None:
    svg = str(
        timeline_svg(
            [_row("e1", "2024-03", 5.0), _row("e2", "2024-05-02", -8.0, "negated"), _row("e3", None, 1.0)],
            "A <i> & B",
        )
    )
    root = ET.fromstring(svg)  # well-formed: everything escaped
    links = [a.get("href") for a in root.iter("a")]
    assert links == ["#ev-e1", "#ev-e2"]  # the undated event has no point
    circles = list(root.iter("circle"))
    assert circles[0].get("fill") != "#fff" and circles[1].get("fill") == "#fff"
    assert float(circles[0].get("cy")) < float(circles[1].get("cy"))  # +5 above -8
    assert "<i>" not in svg and "A &lt;i&gt;" in svg
    assert re.findall(r">(2024-0\d)<", svg)  # month ticks on a short span


def test_series_bars_stack_by_quad_class() -> None:
    points = [SeriesPoint("2024-01", 3, {1: 1, 2: 0, 3: 0, 4: 2}, -4.0, ["x", "y", "z"])]
    series = Series("a", "A", "b", "B", "month", ("asserted",), points, [])
    root = ET.fromstring(str(series_svg(series)))
    bars = [r for r in root.iter("rect") if "bar" in (r.get("class") or "")]
    assert [b.get("class") for b in bars] == ["bar quad-1", "bar quad-4"]
    assert float(bars[1].get("height")) == pytest.approx(2 * float(bars[0].get("height")), abs=0.2)
    assert next(root.iter("a")).get("href") == "#ev-x"


def test_series_marks_left_out_periods_and_breaks_the_goldstein_line() -> None:
    def point(period: str, mean: float) -> SeriesPoint:
        return SeriesPoint(period, 1, {1: 1, 2: 0, 3: 0, 4: 0}, mean, [period])

    points = [point("2021-10", 2.0), point("2021-11", 3.0), point("2024-03", 5.0)]
    root = ET.fromstring(str(series_svg(Series("a", "A", "b", "B", "month", ("asserted",), points, []))))
    gaps = [g for g in root.iter("g") if g.get("class") == "gap"]
    assert [next(g.iter("title")).text for g in gaps] == ["no events between 2021-11 and 2024-03"]
    lines = [p for p in root.iter("polyline") if p.get("class") == "goldstein-line"]
    assert len(lines) == 1 and len((lines[0].get("points") or "").split()) == 2


@pytest.mark.parametrize(("earlier", "later", "by", "empty"), [
    ("2021-10", "2021-11", "month", 0), ("2021-12", "2022-02", "month", 1),
    ("2021-Q4", "2022-Q1", "quarter", 0), ("2021-Q1", "2021-Q4", "quarter", 2), ("2017", "2021", "year", 3),
])
def test_empty_periods_between(earlier: str, later: str, by: str, empty: int) -> None:
    assert empty_periods_between(earlier, later, by) == empty


def test_timeline_draws_events_on_the_same_day_as_one_mark_with_their_count() -> None:
    rows = [_row(f"e{i}", "2024-03-01", 2.0) for i in range(3)] + [_row("late", "2024-09-01", 2.0)]
    root = ET.fromstring(str(timeline_svg(rows, "A – B")))
    cluster = next(a for a in root.iter("a") if a.get("class") == "cluster-link mark")
    assert cluster.get("data-events") == "e0 e1 e2" and next(cluster.iter("text")).text == "3"
    shown = [a.get("data-event") for a in root.iter("a") if a.get("data-event") and a.get("display") != "none"]
    assert shown == ["late"]  # the three are drawn once; their own marks wait hidden for a zoom


def test_series_bars_without_ids_link_to_the_dyad_page_for_their_period() -> None:
    points = [SeriesPoint("2024-Q3", 2, {1: 2, 2: 0, 3: 0, 4: 0}, 1.0)]
    series = Series("a&b", "A", "c", "C", "quarter", ("asserted", "negated"), points, [], count="reports")
    href = next(ET.fromstring(str(series_svg(series))).iter("a")).get("href")
    assert href == ("/dyad/a%26b/c?since=2024-07&until=2024-09&by=quarter&count=reports"
                    "&modality=asserted&modality=negated")
