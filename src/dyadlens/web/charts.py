"""Inline SVG charts (no JavaScript needed): the dyad timeline and the series.

Every mark links to the evidence it stands for: a timeline point is an
``<a href="#ev-ID">`` to the event's row on the same page; a series bar links
to the first event of its period. All text is escaped.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from dyadlens.analysis.common import EventRow
from dyadlens.analysis.series import QUAD_CLASSES, Series, empty_periods_between
from dyadlens.partial_dates import PartialDate

QUAD_COLOURS = {1: "#7fb77e", 2: "#2e7d32", 3: "#f0a04b", 4: "#c62828"}
QUAD_NAMES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}
_W, _H = 960, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 56, 28, 48


def timeline_svg(rows: list[EventRow], title: str) -> Markup:
    """Events on a time axis (x) by Goldstein weight (y); hollow marks are not asserted."""
    dated = [r for r in rows if r.sort_date]
    parts = [_open_svg("timeline-chart", title)]
    if not dated:
        parts.append(_text(_W / 2, _H / 2, "no dated events", "middle", "empty"))
        return Markup("".join(parts) + "</svg>")
    xs = [PartialDate.parse(r.sort_date or "").year_fraction() for r in dated]
    low, high = min(xs) - 0.1, max(xs) + 0.1
    parts.extend(_goldstein_axis(left=True))
    parts.extend(_year_ticks(low, high))
    seen: dict[tuple[float, float], int] = {}
    for row, x_value in zip(dated, xs, strict=True):
        x = _scale(x_value, low, high, _LEFT, _W - _RIGHT)
        y = _goldstein_y(row.goldstein or 0.0)
        stack = seen.get((round(x), round(y)), 0)
        seen[(round(x), round(y))] = stack + 1
        parts.append(_event_mark(row, x + _spread(stack), y))
    parts.append("</svg>")
    return Markup("".join(parts))


def _spread(stack: int) -> float:
    """Sideways offset of the n-th mark at the same spot: 0, +7, -7, +14, -14... (stays near its date)."""
    step = (stack + 1) // 2
    return 7.0 * step * (1 if stack % 2 else -1)


def series_svg(series: Series) -> Markup:
    """Stacked bars of event counts by quad class, with the mean Goldstein as a line."""
    parts = [_open_svg("series-chart", f"{series.a_name} – {series.b_name} by {series.by}")]
    if not series.points:
        parts.append(_text(_W / 2, _H / 2, "no events in this selection", "middle", "empty"))
        return Markup("".join(parts) + "</svg>")
    top = max(p.count for p in series.points)
    slot = (_W - _LEFT - _RIGHT) / len(series.points)
    parts.extend(_count_axis(top))
    parts.extend(_goldstein_axis(left=False))
    lines: list[list[str]] = [[]]
    for index, point in enumerate(series.points):
        x = _LEFT + index * slot
        if index and empty_periods_between(series.points[index - 1].period, point.period, series.by) > 0:
            parts.append(_gap_mark(x, series.points[index - 1].period, point.period))
            lines.append([])
        parts.append(_stacked_bar(point.period, point.by_quad, point.event_ids, x, slot, top))
        parts.append(_text(x + slot / 2, _H - _BOTTOM + 16, point.period, "middle", "tick"))
        if point.mean_goldstein is not None:
            lines[-1].append(f"{x + slot / 2:.1f},{_goldstein_y(point.mean_goldstein):.1f}")
    for line in lines:
        if len(line) > 1:
            parts.append(
                f'<polyline class="goldstein-line" points="{" ".join(line)}" fill="none" stroke="#1f3a5f"'
                ' stroke-width="2"/>'
            )
        elif line:
            cx, cy = line[0].split(",")
            parts.append(f'<circle class="goldstein-line" cx="{cx}" cy="{cy}" r="3" fill="#1f3a5f"/>')
    parts.append(_legend())
    parts.append("</svg>")
    return Markup("".join(parts))


def _gap_mark(x: float, before: str, after: str) -> str:
    """A dashed divider where periods without events are left out between two bars."""
    title = f"no events between {before} and {after}"
    return (
        f'<g class="gap"><title>{escape(title)}</title>'
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{_H - _BOTTOM + 4}"'
        ' stroke="#8a939c" stroke-dasharray="3 3"/></g>'
    )


def _open_svg(css_class: str, title: str) -> str:
    return (
        f'<svg class="chart {css_class}" viewBox="0 0 {_W} {_H}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
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


def _year_ticks(low: float, high: float) -> list[str]:
    """Grid lines at months, half-years or years, whichever gives a readable number of them."""
    span = high - low
    step = 1 if span < 1 else 6 if span < 4 else 12 * max(1, round(span / 10))
    out = []
    months = math.ceil(low * 12 / step) * step
    while months / 12 <= high:
        x = _scale(months / 12, low, high, _LEFT, _W - _RIGHT)
        year, month = divmod(months, 12)
        label = str(year) if month == 0 else f"{year}-{month + 1:02d}"
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{_H - _BOTTOM}" class="grid"/>')
        out.append(_text(x, _H - _BOTTOM + 16, label, "middle", "tick"))
        months += step
    return out


def _event_mark(row: EventRow, x: float, y: float) -> str:
    colour = QUAD_COLOURS.get(row.quad_class or 0, "#777")
    filled = row.modality == "asserted"
    label = (
        f"{row.sort_date} {row.source_name or '?'} → {row.target_name or '?'}: "
        f"{row.code} {row.code_name} ({row.modality})"
    )
    fill = colour if filled else "#fff"
    return (
        f'<a href="#ev-{escape(row.id)}" class="point-link" data-event="{escape(row.id)}">'
        f'<circle class="event-point modality-{escape(row.modality)}" cx="{x:.1f}" cy="{y:.1f}" r="6" '
        f'fill="{fill}" stroke="{colour}" stroke-width="2.5"><title>{escape(label)}</title></circle></a>'
    )


def _stacked_bar(period: str, by_quad: dict[int, int], event_ids: list[str], x: float, slot: float, top: int) -> str:
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
    href = f"#ev-{escape(event_ids[0])}" if event_ids else "#"
    return f'<a href="{href}" class="bar-link" data-period="{escape(period)}">{"".join(rects)}</a>'


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
