"""Inline SVG charts (readable without JavaScript): the dyad timeline and the series.

Every mark links to the evidence it stands for: a timeline point is an
``<a href="#ev-ID">`` to the event's row on the same page (points that would
overlap are one mark with their count, which ``app.js`` opens as a list); a
series bar links to the first event of its period. Time axes keep empty
periods at their place and cut long empty stretches to a visible break; the
timeline zooms with a brush (``app.js``). All text is escaped.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from dyadlens.analysis.common import EventRow
from dyadlens.analysis.series import QUAD_CLASSES, Series, SeriesPoint, empty_periods_between, period_bounds
from dyadlens.partial_dates import PartialDate

QUAD_COLOURS = {1: "#7fb77e", 2: "#2e7d32", 3: "#f0a04b", 4: "#c62828"}
QUAD_NAMES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}
_W, _H = 960, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 56, 28, 48


def timeline_svg(rows: list[EventRow], title: str) -> Markup:
    """Events on a time axis (x) by Goldstein weight (y); hollow marks are not asserted.

    Marks that would overlap are drawn as one, with their count (:func:`cluster_marks`); a long
    stretch without events is cut to a break mark (:class:`TimeAxis`). The marks carry their time
    (``data-t``) and the axis its segments (``data-axis``), which ``app.js`` reads to zoom.
    """
    dated = [r for r in rows if r.sort_date]
    if not dated:
        parts = [_open_svg("timeline-chart", title)]
        parts.append(_text(_W / 2, _H / 2, "no dated events", "middle", "empty"))
        return Markup("".join(parts) + "</svg>")
    times = [PartialDate.parse(r.sort_date or "").year_fraction() for r in dated]
    axis = TimeAxis(times, _LEFT, _W - _RIGHT)
    parts = [_open_svg("timeline-chart", title, axis.data_attribute())]
    parts.append(f'<rect class="plot-area" x="{_LEFT}" y="{_TOP}" width="{_W - _LEFT - _RIGHT}"'
                 f' height="{_H - _BOTTOM - _TOP}" fill="transparent"/>')
    parts.extend(_goldstein_axis(left=True))
    parts.append(f'<g class="time-axis">{"".join(axis.ticks(_TOP, _H - _BOTTOM))}</g>')
    marks = [Mark(row, t, axis.x(t), _goldstein_y(row.goldstein or 0.0)) for row, t in zip(dated, times, strict=True)]
    parts.append('<g class="marks">')
    groups = cluster_marks(marks)
    for group in groups:
        parts.append(_event_mark(group[0]) if len(group) == 1 else _cluster_mark(group))
    for group in groups:  # hidden: the zoom shows them when they no longer overlap
        parts.extend(_event_mark(mark, member=True) for mark in group if len(group) > 1)
    parts.append("</g></svg>")
    return Markup("".join(parts))


@dataclass(slots=True)
class Mark:
    """One event's place on the timeline: its time in years and its point in the drawing."""

    row: EventRow
    t: float
    x: float
    y: float


_MARK_R = 6.0


def _radius(size: int) -> float:
    return _MARK_R if size == 1 else min(14.0, 8.0 + 1.5 * math.sqrt(size))


def _centre(group: list[Mark]) -> tuple[float, float]:
    return sum(m.x for m in group) / len(group), sum(m.y for m in group) / len(group)


#: Grid cell for finding touching marks: two circles that touch have centres closer than this.
_CELL = 2 * 14.0 + 1.0


def cluster_marks(marks: list[Mark]) -> list[list[Mark]]:
    """Marks grouped until no two drawn circles touch, so none hides another (each group is one mark).

    Each pass joins every pair of touching groups (through a grid of cells, so a pass is linear);
    a joined group is larger and sits elsewhere, so passes repeat until one joins nothing.
    """
    groups = [[m] for m in sorted(marks, key=lambda m: (m.x, m.y))]
    while len(merged := _join_touching(groups)) < len(groups):
        groups = merged
    return groups


def _join_touching(groups: list[list[Mark]]) -> list[list[Mark]]:
    centres = [_centre(g) for g in groups]
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, (x, y) in enumerate(centres):
        cells[(int(x // _CELL), int(y // _CELL))].append(index)
    parent = list(range(len(groups)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, (x, y) in enumerate(centres):
        column, row = int(x // _CELL), int(y // _CELL)
        for j in (j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((column + dx, row + dy), ())):
            reach = _radius(len(groups[i])) + _radius(len(groups[j])) + 1.0
            if j > i and math.hypot(x - centres[j][0], y - centres[j][1]) < reach:
                parent[root(j)] = root(i)
    joined: dict[int, list[Mark]] = {}
    for index, group in enumerate(groups):
        joined.setdefault(root(index), []).extend(group)
    return list(joined.values())


class TimeAxis:
    """A time scale that keeps time proportional but cuts a long stretch without events to a break.

    A gap between two consecutive event times is cut when it is longer than :attr:`CUT_YEARS` and
    than a quarter of the whole span; what is left of the width is shared in proportion to time.
    """

    CUT_YEARS = 2.0
    BREAK_PX = 26.0
    PAD = 0.1

    def __init__(self, times: list[float], left: float, right: float) -> None:
        ordered = sorted(set(times))
        span = ordered[-1] - ordered[0] + 2 * self.PAD
        stretches = [[ordered[0] - self.PAD, ordered[0] + self.PAD]]
        for before, after in itertools.pairwise(ordered):
            gap = after - before
            if gap > self.CUT_YEARS and gap > span / 4:
                stretches.append([after - self.PAD, after + self.PAD])
            else:
                stretches[-1][1] = after + self.PAD
        kept = sum(hi - lo for lo, hi in stretches)
        px_per_year = (right - left - self.BREAK_PX * (len(stretches) - 1)) / kept
        self.segments: list[tuple[float, float, float, float]] = []
        x = left
        for lo, hi in stretches:
            width = (hi - lo) * px_per_year
            self.segments.append((lo, hi, x, x + width))
            x += width + self.BREAK_PX
        self.px_per_year = px_per_year

    def x(self, t: float) -> float:
        for lo, hi, x0, x1 in self.segments:
            if lo <= t <= hi:
                return _scale(t, lo, hi, x0, x1)
        return self.segments[-1][3] if t > self.segments[-1][1] else self.segments[0][2]

    def data_attribute(self) -> str:
        """The segments as ``data-axis`` (JSON: ``[[t0, t1, x0, x1], …]``) for the zoom script."""
        rounded = [[round(v, 5) for v in segment] for segment in self.segments]
        return f' data-axis="{escape(json.dumps(rounded))}"'

    def ticks(self, top: float, bottom: float) -> list[str]:
        out = [_break_mark(x1, self.segments[i + 1][2], top, bottom)
               for i, (_, _, _, x1) in enumerate(self.segments[:-1])]
        step = tick_step_months(self.px_per_year)
        for lo, hi, x0, x1 in self.segments:
            out.extend(_time_ticks(lo, hi, x0, x1, step, top, bottom))
        return out


def tick_step_months(px_per_year: float, min_px: float = 64.0) -> int:
    """The smallest of 1, 3, 6, 12… months that leaves ``min_px`` between labels."""
    for step in (1, 3, 6, 12, 24, 60, 120, 240):
        if step / 12 * px_per_year >= min_px:
            return step
    return 480


def _time_ticks(lo: float, hi: float, x0: float, x1: float, step: int, top: float, bottom: float) -> list[str]:
    out = []
    months = math.ceil(lo * 12 / step) * step
    while months / 12 <= hi:
        x = _scale(months / 12, lo, hi, x0, x1)
        year, month = divmod(months, 12)
        label = str(year) if month == 0 else f"{year}-{month + 1:02d}"
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" class="grid"/>')
        out.append(_text(x, bottom + 16, label, "middle", "tick"))
        months += step
    return out


def _break_mark(x_end: float, x_next: float, top: float, bottom: float, title: str = "") -> str:
    """Two slanted strokes across the axis where time is cut, over a shaded band."""
    mid = (x_end + x_next) / 2
    text = title or "axis cut: a long stretch without events is left out"
    strokes = "".join(
        f'<line x1="{mid + dx - 4:.1f}" x2="{mid + dx + 4:.1f}" y1="{bottom + 6}" y2="{bottom - 6}"'
        ' class="break-stroke"/>'
        for dx in (-3, 3)
    )
    return (
        f'<g class="axis-break"><title>{escape(text)}</title>'
        f'<rect x="{x_end + 2:.1f}" y="{top}" width="{max(1.0, x_next - x_end - 4):.1f}" height="{bottom - top}"'
        f' class="break-band"/>{strokes}</g>'
    )


def series_svg(series: Series) -> Markup:
    """Stacked bars of event counts by quad class, with the mean Goldstein as a line.

    Every period from the first to the last has its place, empty ones too; a long run of empty
    periods is cut to a break mark (:func:`series_slots`).
    """
    parts = [_open_svg("series-chart", f"{series.a_name} – {series.b_name} by {series.by}")]
    if not series.points:
        parts.append(_text(_W / 2, _H / 2, "no events in this selection", "middle", "empty"))
        return Markup("".join(parts) + "</svg>")
    top = max(p.count for p in series.points)
    slots = series_slots(series)
    slot = (_W - _LEFT - _RIGHT) / sum(width for _, width in slots)
    parts.extend(_count_axis(top))
    parts.extend(_goldstein_axis(left=False))
    lines: list[list[str]] = [[]]
    x, last_label = float(_LEFT), -math.inf
    for index, (item, width) in enumerate(slots):
        if isinstance(item, SeriesPoint):
            parts.append(_stacked_bar(item.period, item.by_quad, period_href(series, item), x, slot, top))
            if x + slot / 2 - last_label >= 52:
                parts.append(_text(x + slot / 2, _H - _BOTTOM + 16, item.period, "middle", "tick"))
                last_label = x + slot / 2
            if item.mean_goldstein is not None:
                lines[-1].append(f"{x + slot / 2:.1f},{_goldstein_y(item.mean_goldstein):.1f}")
        else:
            lines.append([])
            if width > 1:
                before, after = _neighbours(slots, index)
                parts.append(_gap_mark(x, x + width * slot, before, after))
        x += width * slot
    parts.extend(_goldstein_lines(lines))
    parts.append(_legend())
    parts.append("</svg>")
    return Markup("".join(parts))


#: A run of at least this many empty periods is cut to a break (month, quarter, year).
CUT_RUN = {"month": 12, "quarter": 4, "year": 3}
_BREAK_SLOTS = 1.5


def series_slots(series: Series) -> list[tuple[SeriesPoint | int, float]]:
    """The series' columns in time order: a point, or an empty run (its length) as a slot each
    period, or one break of :data:`_BREAK_SLOTS` when the run is long; with each column's width in slots."""
    slots: list[tuple[SeriesPoint | int, float]] = []
    for index, point in enumerate(series.points):
        if index:
            empty = empty_periods_between(series.points[index - 1].period, point.period, series.by)
            if empty >= CUT_RUN.get(series.by, 12):
                slots.append((empty, _BREAK_SLOTS))
            else:
                slots.extend((1, 1.0) for _ in range(empty))
        slots.append((point, 1.0))
    return slots


def _neighbours(slots: list[tuple[SeriesPoint | int, float]], index: int) -> tuple[str, str]:
    before, after = slots[index - 1][0], slots[index + 1][0]
    assert isinstance(before, SeriesPoint) and isinstance(after, SeriesPoint)
    return before.period, after.period


def _goldstein_lines(lines: list[list[str]]) -> list[str]:
    out = []
    for line in lines:
        if len(line) > 1:
            out.append(
                f'<polyline class="goldstein-line" points="{" ".join(line)}" fill="none" stroke="#1f3a5f"'
                ' stroke-width="2"/>'
            )
        elif line:
            cx, cy = line[0].split(",")
            out.append(f'<circle class="goldstein-line" cx="{cx}" cy="{cy}" r="3" fill="#1f3a5f"/>')
    return out


def _gap_mark(x: float, x_next: float, before: str, after: str) -> str:
    """The break where a long run of periods without events is cut, titled with what it leaves out."""
    title = f"no events between {before} and {after}"
    return _break_mark(x, x_next, _TOP, _H - _BOTTOM, title).replace('class="axis-break"', 'class="gap"', 1)


def _open_svg(css_class: str, title: str, attributes: str = "") -> str:
    return (
        f'<svg class="chart {css_class}" viewBox="0 0 {_W} {_H}" width="100%" role="img" '
        f'aria-label="{escape(title)}"{attributes}><title>{escape(title)}</title>'
    )


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    if high == low:
        return (out_low + out_high) / 2
    return out_low + (value - low) / (high - low) * (out_high - out_low)


def _goldstein_y(value: float) -> float:
    return _scale(value, 10.0, -10.0, _TOP, _H - _BOTTOM)


def _text(x: float, y: float, text: str, anchor: str, css_class: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css_class}">{escape(text)}</text>'


def _goldstein_axis(left: bool) -> list[str]:
    x = _LEFT if left else _W - _RIGHT
    out = []
    for value in (-10, -5, 0, 5, 10):
        y = _goldstein_y(value)
        if left:
            out.append(
                f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"'
                f' class="{"zero" if value == 0 else "grid"}"/>'
            )
        out.append(
            _text(x - 6 if left else x + 6, y + 4, f"{value:+d}" if value else "0", "end" if left else "start", "tick")
        )
    out.append(_text(x, 12, "Goldstein", "middle", "axis-label"))
    return out


def _count_axis(top: int) -> list[str]:
    out = []
    for value in sorted({top, *range(0, top, max(1, math.ceil(top / 4)))}):
        y = _scale(value, 0, top, _H - _BOTTOM, _TOP)
        out.append(f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(_text(_LEFT - 6, y + 4, str(value), "end", "tick"))
    return out


def _event_label(row: EventRow) -> str:
    return (
        f"{row.sort_date} {row.source_name or '?'} → {row.target_name or '?'}: "
        f"{row.code} {row.code_name} ({row.modality})"
    )


def _event_mark(mark: Mark, member: bool = False) -> str:
    """One event's mark; a ``member`` of a drawn cluster is hidden until a zoom separates it."""
    row = mark.row
    colour = QUAD_COLOURS.get(row.quad_class or 0, "#777")
    fill = colour if row.modality == "asserted" else "#fff"
    role = 'member" display="none' if member else "mark"
    return (
        f'<a href="#ev-{escape(row.id)}" class="point-link {role}" data-event="{escape(row.id)}" data-t="{mark.t:.5f}">'
        f'<circle class="event-point modality-{escape(row.modality)}" cx="{mark.x:.1f}" cy="{mark.y:.1f}"'
        f' r="{_MARK_R:g}" '
        f'fill="{fill}" stroke="{colour}" stroke-width="2.5"><title>{escape(_event_label(row))}</title></circle></a>'
    )


def _cluster_mark(group: list[Mark]) -> str:
    """Several events drawn as one circle with their count; its link goes to the first, the script lists all."""
    x, y = _centre(group)
    rows = sorted((m.row for m in group), key=lambda r: (r.sort_date or "", r.id))
    quads = {r.quad_class for r in rows}
    colour = QUAD_COLOURS.get(quads.pop() or 0, "#5b6672") if len(quads) == 1 else "#5b6672"
    t = sum(m.t for m in group) / len(group)
    title = f"{len(rows)} events – click to list them:\n" + "\n".join(_event_label(r) for r in rows)
    ids = " ".join(r.id for r in rows)
    labels = json.dumps([_event_label(r) for r in rows], ensure_ascii=False)
    return (
        f'<a href="#ev-{escape(rows[0].id)}" class="cluster-link mark" data-t="{t:.5f}" data-count="{len(rows)}"'
        f' data-events="{escape(ids)}" data-labels="{escape(labels)}">'
        f'<circle class="event-cluster" cx="{x:.1f}" cy="{y:.1f}" r="{_radius(len(rows)):.1f}" fill="{colour}"'
        f' stroke="#1d232b" stroke-width="1.5"><title>{escape(title)}</title></circle>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" class="cluster-count">{len(rows)}</text></a>'
    )


def period_href(series: Series, point: SeriesPoint) -> str:
    """Where a bar leads: its first event when the series carries ids, else the dyad's page for the period
    (its events list, each to its event page), so the chart needs no event row read."""
    if point.event_ids:
        return f"#ev-{point.event_ids[0]}"
    since, until = period_bounds(point.period, series.by)
    query = [("since", since), ("until", until), ("by", series.by)]
    if series.count != "events":
        query.append(("count", series.count))
    query += [("modality", m) for m in series.modalities or ("any",)]
    return f"/dyad/{quote(series.a, safe='')}/{quote(series.b, safe='')}?{urlencode(query)}"


def _stacked_bar(period: str, by_quad: dict[int, int], href: str, x: float, slot: float, top: int) -> str:
    width = min(56.0, max(4.0, slot * 0.6))
    left = x + (slot - width) / 2
    base = float(_H - _BOTTOM)
    rects = []
    for quad in QUAD_CLASSES:
        count = by_quad.get(quad, 0)
        if not count:
            continue
        height = count / top * (_H - _BOTTOM - _TOP)
        base -= height
        rects.append(
            f'<rect class="bar quad-{quad}" x="{left:.1f}" y="{base:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{QUAD_COLOURS[quad]}"><title>{escape(period)}: {count} × {QUAD_NAMES[quad]}</title></rect>'
        )
    return f'<a href="{escape(href)}" class="bar-link" data-period="{escape(period)}">{"".join(rects)}</a>'


def _legend() -> str:
    items = []
    for index, quad in enumerate(QUAD_CLASSES):
        x = _LEFT + index * 150
        items.append(f'<rect x="{x}" y="{_H - 14}" width="10" height="10" fill="{QUAD_COLOURS[quad]}"/>')
        items.append(_text(x + 14, _H - 5, QUAD_NAMES[quad], "start", "legend"))
    items.append(
        f'<line x1="{_LEFT + 610}" x2="{_LEFT + 630}" y1="{_H - 9}" y2="{_H - 9}" stroke="#1f3a5f" stroke-width="2"/>'
    )
    items.append(_text(_LEFT + 634, _H - 5, "mean Goldstein", "start", "legend"))
    return "".join(items)
