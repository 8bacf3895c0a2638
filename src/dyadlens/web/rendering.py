"""The Jinja2 environment of every HTML page dyadlens writes: the web UI's pages and the report."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from dyadlens.web.links import evidence_anchor


def template_environment() -> Environment:
    """Jinja2 with autoescaping on for every template (HTML and SVG alike)."""
    env = Environment(
        loader=PackageLoader("dyadlens.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["evidence_anchor"] = evidence_anchor
    env.globals["split_marked"] = split_marked
    env.filters["signed"] = lambda v: "–" if v is None else f"{v:+.1f}"
    return env


def split_marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_marked) runs; templates escape each piece."""
    runs: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        runs.extend([(text[cursor:start], False), (text[start:end], True)])
        cursor = end
    runs.append((text[cursor:], False))
    return [run for run in runs if run[0]]
