"""The dyad brief: one self-contained HTML file (inline CSS, JS and SVG; no network).

It opens on the summary (:mod:`dyadlens.analysis.brief`: the relationship in three numbers, the state
track, the five most important events and quotes, what changed in the period) and the charts; the detail
after them (designation status, key quotes, the events, the sources side by side, the evidence list and
the documents) is folded until opened. Every item links to an anchor in the same file with the sentence
text, the document id and the character offsets. Rendered with Jinja2, autoescape on, from the web UI's
templates and static files, so the report and the web brief look alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources as importlib_resources
from pathlib import Path

from markupsafe import Markup

from dyadlens import __version__
from dyadlens.analysis.brief import BriefSummary, brief_summary
from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, Evidence
from dyadlens.analysis.dyad import DyadBrief, dyad_brief
from dyadlens.analysis.sources import SourcesView
from dyadlens.model import Document
from dyadlens.web.charts import series_svg, timeline_svg
from dyadlens.web.links import ReportLinks
from dyadlens.web.rendering import template_environment


def _static(name: str) -> str:
    return (importlib_resources.files("dyadlens.web") / "static" / name).read_text(encoding="utf-8")


def _inline_script(source: str) -> Markup:
    """Our own packaged script, made safe to sit inside a <script> element."""
    return Markup(source.replace("</", "<\\/"))


def _evidence_items(brief: DyadBrief, summary: BriefSummary) -> list[Evidence]:
    items: dict[tuple[str, int, int], Evidence] = {}
    spans = [e.evidence for e in brief.timeline.events] + [q.evidence for q in brief.quotes]
    spans += [r.row.evidence for r in summary.events] + [r.row.evidence for r in summary.quotes]
    spans += [s.evidence for s in summary.state_track]
    spans += [r.evidence for c in _sources(brief).claims for r in c.reports]
    spans += [b.evidence for s in brief.status for b in s.backing]
    for evidence in spans:
        items.setdefault((evidence.doc_id, evidence.start, evidence.end), evidence)
    return sorted(items.values(), key=lambda e: (e.doc_id, e.start))


def _sources(brief: DyadBrief) -> SourcesView:
    """The report's sources side by side: read with the brief (the file is offline: it links to no page)."""
    assert isinstance(brief.sources, SourcesView), "the report reads its sources side by side with the brief"
    return brief.sources


def render_report(ctx: AnalysisContext, a: str, b: str, by: str = "month",
                  modalities: tuple[str, ...] | None = DEFAULT_MODALITIES, store_name: str = "",
                  count: str = "events", since: str | None = None, until: str | None = None) -> str:
    """The brief of the dyad ``a``–``b`` as one HTML string (counting real events or reports: ``count``;
    ``since``–``until``: the period of the summary and the detail, the whole record when open)."""
    # each bar leads to its period's first event in the report's own events table, not to a server's dyad page
    brief = dyad_brief(ctx, a, b, by=by, modalities=modalities, count=count, since=since, until=until,
                       series_ids=True)
    summary = brief_summary(ctx, a, b, since=since, until=until)
    evidence = _evidence_items(brief, summary)
    documents: list[Document] = [d for d in (ctx.document(i) for i in sorted({e.doc_id for e in evidence})) if d]
    template = template_environment().get_template("report.html")
    return template.render(
        title=f"{brief.a_name} – {brief.b_name}",
        data=brief,
        summary=summary,
        links=ReportLinks(),
        evidence=evidence,
        documents=documents,
        timeline_chart=timeline_svg([e for e in brief.timeline.events if e.kind == "event"],
                                    f"Events between {brief.a_name} and {brief.b_name}"),
        series_chart=series_svg(brief.series),
        css=Markup(_static("style.css")),
        script=_inline_script(_static("app.js")),
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        store_name=store_name,
    )


def write_report(ctx: AnalysisContext, a: str, b: str, path: Path, by: str = "month",
                 modalities: tuple[str, ...] | None = DEFAULT_MODALITIES, store_name: str = "",
                 count: str = "events", since: str | None = None, until: str | None = None) -> Path:
    """Write the brief to ``path`` (UTF-8) and return the path."""
    html = render_report(ctx, a, b, by=by, modalities=modalities, store_name=store_name, count=count, since=since,
                         until=until)
    path.write_text(html, encoding="utf-8")
    return path
