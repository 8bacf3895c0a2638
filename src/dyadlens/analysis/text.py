"""Plain-text renderings of the analysis views for a terminal (the CLI prints them).

Long evidence is wrapped and indented under its row so tables stay readable.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from dyadlens.analysis.common import EventRow, Evidence, QuoteRow
from dyadlens.analysis.network import Network
from dyadlens.analysis.profile import Profile, RootCount
from dyadlens.analysis.search import SearchView
from dyadlens.analysis.series import Series
from dyadlens.analysis.sources import SourcesView
from dyadlens.analysis.timeline import Timeline

WIDTH = 100


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned table with a header rule; cells are str()-ed."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)
    return "\n".join(lines)


def _wrap(text: str, indent: str = "      ") -> str:
    flat = " ".join(text.split())
    return textwrap.fill(flat, width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def _ref(evidence: Evidence) -> str:
    return f"{evidence.doc_id} [{evidence.start}:{evidence.end}]"


def _goldstein(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def event_lines(rows: Sequence[EventRow]) -> str:
    if not rows:
        return "no events"
    blocks = []
    for row in rows:
        date = row.date or (f"{row.sort_date}*" if row.sort_date else "undated")
        head = (
            f"{date:<11} {row.source_name or '?'} -> {row.target_name or '?'}  "
            f"{row.code} {row.code_name}  [{row.modality}] {_goldstein(row.goldstein)}"
        )
        blocks.append(f"{head}\n{_wrap(row.evidence.text)}\n      ({_ref(row.evidence)})")
    if any(r.dated_by == "document" for r in rows):
        blocks.append("* undated in the text: placed at the document's publication date")
    return "\n".join(blocks)


def timeline_text(timeline: Timeline) -> str:
    title = f"{timeline.a_name} – {timeline.b_name}: {len(timeline.events)} events"
    return f"{title}\n\n{event_lines(timeline.events)}"


def series_text(series: Series) -> str:
    modalities = ", ".join(series.modalities) if series.modalities else "any modality"
    rows = [
        [p.period, p.count, p.by_quad[1], p.by_quad[2], p.by_quad[3], p.by_quad[4], _goldstein(p.mean_goldstein)]
        for p in series.points
    ]
    text = table(["period", "events", "verb.coop", "mat.coop", "verb.confl", "mat.confl", "goldstein"], rows)
    title = f"{series.a_name} – {series.b_name} by {series.by} ({modalities})"
    unplaced = f"\n{len(series.unplaced)} event(s) without a date at this precision" if series.unplaced else ""
    return f"{title}\n\n{text}{unplaced}"


def network_text(network: Network) -> str:
    names = {n.id: n.name or n.id for n in network.nodes}
    rows = [[names[e.source], names[e.target], e.count, _goldstein(e.mean_goldstein)] for e in network.edges]
    period = f"{network.since or '…'} to {network.until or '…'}"
    return f"Actor network, {period}: {len(network.nodes)} actors, {len(network.edges)} edges\n\n" + table(
        ["source", "target", "events", "goldstein"], rows
    )


def _quote_lines(quotes: Sequence[QuoteRow]) -> str:
    if not quotes:
        return "  none"
    return "\n".join(f"  {q.speaker or '?'}: \n{_wrap(q.text)}\n      ({_ref(q.evidence)})" for q in quotes)


def _root_table(counts: Sequence[RootCount]) -> str:
    return table(["root", "name", "events", "asserted"], [[r.root, r.name, r.count, r.asserted] for r in counts])


def profile_text(profile: Profile) -> str:
    lines = [f"{profile.name} ({profile.id}), {profile.type or 'unknown type'}"]
    if profile.aliases:
        lines.append(_wrap("aliases: " + ", ".join(profile.aliases), ""))
    lines.extend(f"  {r}" for r in profile.roles)
    lines.append("\nAs source:\n" + _root_table(profile.as_source))
    lines.append("\nAs target:\n" + _root_table(profile.as_target))
    partners = [[p.name, p.outgoing, p.incoming, _goldstein(p.mean_goldstein)] for p in profile.partners]
    lines.append("\nPartners:\n" + table(["partner", "to", "from", "goldstein"], partners))
    designations = [[d.date or "", d.designator_name, d.status, d.designee_name, _ref(d.evidence)] for d in profile.designations]
    lines.append("\nDesignations:\n" + table(["date", "designator", "status", "designee", "evidence"], designations))
    if profile.status:
        steps = [
            [s.designator_name, s.designee_name, s.status + (" (latest)" if s.current else ""), s.since or ""]
            for s in profile.status
        ]
        lines.append("\nStatus:\n" + table(["designator", "designee", "status", "since"], steps))
    lines.append("\nQuotes by:\n" + _quote_lines(profile.quotes_by))
    lines.append("\nQuotes about:\n" + _quote_lines(profile.quotes_about))
    return "\n".join(lines)


def sources_text(view: SourcesView) -> str:
    if not view.claims:
        return "no reports"
    blocks = []
    for claim in view.claims:
        head = f"{claim.source_name or '?'} -> {claim.target_name or '?'}  {claim.base_code} {claim.code_name}"
        if claim.disputed:
            head += f"\n  DISPUTED: {claim.disagreement}"
        reports = [
            f"  {r.outlet or r.doc_id} {r.published or ''} [{r.modality}]\n{_wrap(r.evidence.text)}\n      ({_ref(r.evidence)})"
            for r in claim.reports
        ]
        blocks.append(head + "\n" + "\n".join(reports))
    return "\n\n".join(blocks)


def search_text(view: SearchView) -> str:
    if not view.results:
        return f"no sentence matches {view.query!r}"
    return "\n".join(
        f"{r.doc_id} {r.published or ''} {r.outlet or ''}\n{_wrap(r.evidence.text)}\n      ({_ref(r.evidence)})"
        for r in view.results
    )
