"""The dyad brief: one self-contained HTML file (inline CSS, JS and SVG; no network).

It holds the dyad's timeline and cooperation–conflict charts, the designation
status, key quotes, the events, the sources side by side and an evidence
list: every item links to an anchor in the same file with the sentence text,
the document id and the character offsets. Rendered with Jinja2, autoescape on,
from the web UI's templates and static files, so the report and the dyad page
look alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources as importlib_resources
from pathlib import Path

from markupsafe import Markup

from dyadlens import __version__
from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, Evidence
from dyadlens.analysis.dyad import DyadBrief, dyad_brief
from dyadlens.model import Document
from dyadlens.web.charts import series_svg, timeline_svg
from dyadlens.web.links import ReportLinks
from dyadlens.web.rendering import template_environment


def _static(name: str) -> str:
    return (importlib_resources.files("dyadlens.web") / "static" / name).read_text(encoding="utf-8")


def _inline_script(source: str) -> Markup:
    """Our own packaged script, made safe to sit inside a <script> element."""
    return Markup(source.replace("</", "<\\/"))


def _evidence_items(brief: DyadBrief) -> list[Evidence]:
    items: dict[tuple[str, int, int], Evidence] = {}
    spans = [e.evidence for e in brief.timeline.events] + [q.evidence for q in brief.quotes]
    spans += [r.evidence for c in brief.sources.claims for r in c.reports]
    spans += [b.evidence for s in brief.status for b in s.backing]
    for evidence in spans:
        items.setdefault((evidence.doc_id, evidence.start, evidence.end), evidence)
    return sorted(items.values(), key=lambda e: (e.doc_id, e.start))


def render_report(ctx: AnalysisContext, a: str, b: str, by: str = "month",
                  modalities: tuple[str, ...] | None = DEFAULT_MODALITIES, store_name: str = "",
                  count: str = "events") -> str:
    """The brief of the dyad ``a``–``b`` as one HTML string (counting real events or reports: ``count``)."""
    brief = dyad_brief(ctx, a, b, by=by, modalities=modalities, count=count)
    evidence = _evidence_items(brief)
    documents: list[Document] = [d for d in (ctx.document(i) for i in sorted({e.doc_id for e in evidence})) if d]
    template = template_environment().get_template("report.html")
    return template.render(
        title=f"{brief.a_name} – {brief.b_name}",
        data=brief,
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
                 count: str = "events") -> Path:
    """Write the brief to ``path`` (UTF-8) and return the path."""
    html = render_report(ctx, a, b, by=by, modalities=modalities, store_name=store_name, count=count)
    path.write_text(html, encoding="utf-8")
    return path
