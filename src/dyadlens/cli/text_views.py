"""Plain-text renderings of the analysis views for a terminal: what the commands print without --json.

Long evidence is wrapped and indented under its row so tables stay readable.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from dyadlens.analysis.common import EventRow, Evidence, QuoteRow
from dyadlens.analysis.network import Network
from dyadlens.analysis.profile import Profile, RootCount
from dyadlens.analysis.search import SearchView
from dyadlens.analysis.series import Series, empty_periods_between, period_label, period_number
from dyadlens.analysis.sources import Disagreement, SourcesView
from dyadlens.analysis.status import PairStatus, StatusEntry, StatusReport, TrackStep
from dyadlens.analysis.timeline import Timeline

WIDTH = 100


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned table with a header rule; cells are str()-ed."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    return "\n".join(lines)


def _wrap(text: str, indent: str = "      ") -> str:
    flat = " ".join(text.split())
    return textwrap.fill(flat, width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def _ref(evidence: Evidence) -> str:
    return f"{evidence.doc_id} [{evidence.start}:{evidence.end}]"


def _goldstein(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def event_lines(rows: Sequence[EventRow], show_reports: bool = False) -> str:
    """Each row: date, dyad, code, modality, Goldstein and how often it was told, then its sentence;
    an observation (a standing fact) is marked as one; ``show_reports`` lists each event's reports."""
    if not rows:
        return "no events"
    blocks = []
    for row in rows:
        date = row.date or (f"{row.sort_date}*" if row.sort_date else "undated")
        observed = "observation: " if row.kind == "observation" else ""
        told = f"  ({row.counts_text})" if row.counts_text else ""
        head = (
            f"{date:<11} {observed}{row.source_name or '?'} -> {row.target_name or '?'}  "
            f"{row.code} {row.code_name}  [{row.modality}] {_goldstein(row.goldstein)}{told}"
        )
        head = textwrap.fill(head, width=WIDTH, subsequent_indent=" " * 12, break_on_hyphens=False)
        blocks.append(f"{head}\n{_wrap(row.evidence.text)}\n      ({_ref(row.evidence)})")
        if show_reports and len(row.reports) > 1:
            blocks.extend(_report_lines(row))
    if any(r.dated_by == "document" for r in rows):
        blocks.append("* undated in the text: placed at the document's publication date")
    return "\n".join(blocks)


def _report_lines(row: EventRow) -> list[str]:
    """The reports of one event, indented under it: outlet, publication, date and modality, sentence."""
    return [
        f"        - {r.outlet or r.doc_id}, {r.published or 'undated'}: {r.date or 'undated'} [{r.modality}]\n"
        f"{_wrap(r.evidence.text, ' ' * 10)}"
        for r in row.reports
    ]


def timeline_text(timeline: Timeline, show_reports: bool = False) -> str:
    title = f"{timeline.a_name} – {timeline.b_name} ({_modality_words(timeline.modalities)})"
    if not timeline.events:
        return f"{title}: no events"
    observations = sum(1 for r in timeline.events if r.kind == "observation")
    shown = len(timeline.events) - observations
    what = f"{shown} {'reports' if timeline.count == 'reports' else 'events'}"
    noted = f", {observations} observations" if observations else ""
    return f"{title}: {what}{noted}\n\n{event_lines(timeline.events, show_reports)}"


def series_text(series: Series) -> str:
    modalities = _modality_words(series.modalities)
    rows: list[list[object]] = []
    # Each point with the one before it (None for the first); the longer list's last item is never a `previous`.
    for previous, p in zip([None, *series.points], series.points, strict=False):
        if previous is not None and empty_periods_between(previous.period, p.period, series.by) > 0:
            first = period_number(previous.period, series.by) + 1
            last = period_number(p.period, series.by) - 1
            span = period_label(first, series.by) + ("" if first == last else f" to {period_label(last, series.by)}")
            rows.append([span, 0, "", "", "", "", ""])
        rows.append(
            [p.period, p.count, p.by_quad[1], p.by_quad[2], p.by_quad[3], p.by_quad[4], _goldstein(p.mean_goldstein)]
        )
    text = table(["period", series.count, "verb.coop", "mat.coop", "verb.confl", "mat.confl", "goldstein"], rows)
    title = f"{series.a_name} – {series.b_name} by {series.by} ({modalities}{_counting(series.count)})"
    unplaced = (f"\n{series.unplaced_count} event(s) without a date at this precision"
                if series.unplaced_count else "")
    return f"{title}\n\n{text}{unplaced}"


def network_text(network: Network) -> str:
    names = {n.id: n.name or n.id for n in network.nodes}
    rows = [[names[e.source], names[e.target], e.count, _goldstein(e.mean_goldstein)] for e in network.edges]
    title = (f"Actor network, {_period_words(network.since, network.until)} "
             f"({_modality_words(network.modalities)}{_counting(network.count)})")
    summary = f"{title}: {len(network.nodes)} actors, {len(network.edges)} edges"
    if not rows:
        return summary
    return f"{summary}\n\n" + table(["source", "target", "events", "goldstein"], rows)


def _period_words(since: str | None, until: str | None) -> str:
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"from {since}"
    if until:
        return f"up to {until}"
    return "all dates"


def _counting(count: str) -> str:
    """Nothing when each real event counts once (the default); the other count named."""
    return "" if count == "events" else f"; counting {count}"


def _modality_words(modalities: Sequence[str] | None) -> str:
    return ", ".join(modalities) if modalities else "any modality"


def _quote_lines(quotes: Sequence[QuoteRow]) -> str:
    if not quotes:
        return "  none"
    return "\n".join(f"  {q.speaker or '?'}:\n{_wrap(_quoted(q.text))}\n      ({_ref(q.evidence)})" for q in quotes)


def _quoted(text: str) -> str:
    return f"“{' '.join(text.split())}”"


def _section(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A titled table of a profile; an empty one says ``none`` instead of a bare header."""
    return f"\n{title}:\n" + (table(headers, rows) if rows else "  none")


def _root_table(counts: Sequence[RootCount]) -> str:
    if not counts:
        return "  none"
    return table(["root", "name", "events", "asserted"], [[r.root, r.name, r.count, r.asserted] for r in counts])


def profile_text(profile: Profile) -> str:
    lines = [f"{profile.name} [{profile.id}] {profile.type or 'unknown type'}"]
    if profile.aliases:
        lines.append(_wrap("aliases: " + ", ".join(profile.aliases), ""))
    lines.extend(f"  {r}" for r in profile.roles)
    lines.append("\nAs source:\n" + _root_table(profile.as_source))
    lines.append("\nAs target:\n" + _root_table(profile.as_target))
    partners = [[p.name, p.outgoing, p.incoming, _goldstein(p.mean_goldstein)] for p in profile.partners]
    lines.append(_section("Partners", ["partner", "to partner", "from partner", "goldstein"], partners))
    designations = [
        [d.date or "", d.designator_name, d.status, d.designee_name, _ref(d.evidence)] for d in profile.designations
    ]
    lines.append(_section("Designations", ["date", "designator", "status", "designee", "evidence"], designations))
    if profile.status:
        steps = [
            [s.designator_name, s.designee_name, s.status + _in_force(s), s.since or ""] for s in profile.status
        ]
        lines.append(_section("Status", ["designator", "designee", "status", "since"], steps))
    lines.append("\nQuotes by:\n" + _quote_lines(profile.quotes_by))
    lines.append("\nQuotes about:\n" + _quote_lines(profile.quotes_about))
    return "\n".join(lines)


def status_text(status: PairStatus, display_name: Callable[[str], str]) -> str:
    """The pair's tracks step by step, or, with ``as_of``, each track's state in force and open proposals."""
    when = f" as of {status.as_of}" if status.as_of else ""
    lines = [f"{status.designator_name} -> {status.designee_name}{when}"]
    if not status.tracks:
        lines.append("  no status found")
    if status.on is not None:
        for on in status.on:
            state = _step_words(on.state) if on.state else "no state in force"
            lines.append(f"  {on.name}: {state}")
            lines.extend(_lead_lines(on.state, display_name, "      ") if on.state else [])
            for pending in on.pending:
                lines.append(f"    pending: {_step_words(pending)}")
                lines.extend(_lead_lines(pending, display_name, "      "))
        return "\n".join(lines)
    for track in status.tracks:
        lines.append(f"  {track.name}")
        for step in track.steps:
            ended = f"until {step.until}" if step.until else ("open" if step.role == "pending" else "in force")
            lines.append(f"    {_since(step):<11} {step.status:<25} {ended:<17} {_backing_counts(step)}")
            lines.extend(_lead_lines(step, display_name, "        "))
    return "\n".join(lines)


def _since(step: TrackStep) -> str:
    return step.since or (f"by {step.observed_from}" if step.observed_from else "undated")


def _step_words(step: TrackStep) -> str:
    since = f"since {step.since}" if step.since else f"observed from {step.observed_from or 'an undated report'}"
    return f"{step.status} {since} ({_backing_counts(step)})"


def _backing_counts(step: TrackStep) -> str:
    parts = [counted(len(step.reports), "report"), counted(len(step.observations), "observation")]
    return f"{', '.join(p for p in parts if p)}; {counted(len(step.outlets), 'source')}"


def counted(n: int, noun: str) -> str:
    """``1 report``, ``3 reports``; empty for none."""
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


def _lead_lines(step: TrackStep, display_name: Callable[[str], str], indent: str) -> list[str]:
    """The report that dates the step (its sentence and where it comes from) and the names of its sources."""
    lead: StatusReport = step.lead
    claim = f", claimed by {display_name(lead.claimant)}" if lead.claimant else ""
    kind = "observed" if lead.observation else "reported"
    return [
        _wrap(lead.sentence, indent),
        f"{indent}({kind} by {lead.source}, {lead.observed or 'undated'}{claim})",
        _wrap("sources: " + ", ".join(step.outlets), indent),
    ]


def _in_force(step: StatusEntry) -> str:
    if not step.current:
        return ""
    return " (open)" if step.role == "pending" else " (in force)"


def sources_text(view: SourcesView) -> str:
    """Disputed claims first, each disagreement with the asserting and the denying sentence side by side."""
    if not view.claims:
        return "no reports"
    blocks = []
    for claim in view.claims:
        head = f"{claim.source_name or '?'} -> {claim.target_name or '?'}  {claim.base_code} {claim.code_name}"
        if claim.disputed:
            head += f"\n  DISPUTED: {claim.disagreement}"
            head += "".join(f"\n{_disagreement_lines(d)}" for d in claim.disagreements)
            head += "\n  all reports:"
        reports = [f"  {_report_line(r)}\n{_wrap(r.evidence.text)}\n      ({_ref(r.evidence)})" for r in claim.reports]
        blocks.append(head + "\n" + "\n".join(reports))
    return "\n\n".join(blocks)


def _report_line(row: EventRow) -> str:
    dated = f", dated {row.date}" if row.date else ""
    return f"{row.outlet or row.doc_id}, {row.published or 'undated'} [{row.modality}{dated}]"


def _disagreement_lines(disagreement: Disagreement) -> str:
    """The two sentences that disagree, each under the outlet that says it and its dates."""
    how = "same event cluster" if disagreement.same_cluster else "same claim, overlapping dates"
    return "\n".join([
        f"  - {how}:",
        f"    asserts: {_report_line(disagreement.asserted)}",
        _wrap(disagreement.asserted.evidence.text, "        "),
        f"    denies:  {_report_line(disagreement.denied)}",
        _wrap(disagreement.denied.evidence.text, "        "),
    ])


def search_text(view: SearchView) -> str:
    if not view.results:
        return f"no sentence matches {view.query!r}" if view.total == 0 else f"no sentence here; {view.total} in all"
    shown = f"{view.window.shown} sentences\n" if view.window else ""
    if view.total_is_lower_bound:
        shown += (f"more than {view.total:,} match: these, their order and the counts are over the "
                  f"{view.total:,} most recently stored\n")
    return shown + "\n".join(
        f"{r.outlet or r.doc_id}, {r.published or 'undated'}"
        f"{f' (duplicate of {r.duplicate_of})' if r.duplicate_of else ''}\n"
        f"{_wrap(r.evidence.text)}\n      ({_ref(r.evidence)})"
        for r in view.results
    )
