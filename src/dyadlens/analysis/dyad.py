"""Everything about one dyad in one object: the dyad page and the report both show it."""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, QuoteRow
from dyadlens.analysis.series import Series, dyad_series
from dyadlens.analysis.sources import SourcesView, sources_side_by_side
from dyadlens.analysis.status import StatusEntry, status_entries
from dyadlens.analysis.timeline import Timeline, dyad_timeline


@dataclass(frozen=True, slots=True)
class DyadBrief:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    timeline: Timeline
    series: Series
    status: list[StatusEntry]
    quotes: list[QuoteRow]
    sources: SourcesView


def dyad_brief(
    ctx: AnalysisContext,
    a: str,
    b: str,
    by: str = "month",
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    count: str = "events",
) -> DyadBrief:
    """Timeline (all modalities), series (``modalities``), status, key quotes and sources; the timeline
    and the series count real events (``count="events"``) or every report (``"reports"``)."""
    return DyadBrief(
        a=a,
        a_name=ctx.actor_name(a),
        b=b,
        b_name=ctx.actor_name(b),
        timeline=dyad_timeline(ctx, a, b, count=count),
        series=dyad_series(ctx, a, b, by=by, modalities=modalities, count=count),
        status=status_entries(ctx, a, b) + status_entries(ctx, b, a),
        quotes=dyad_quotes(ctx, a, b),
        sources=sources_side_by_side(ctx, a, b),
    )


def dyad_quotes(ctx: AnalysisContext, a: str, b: str) -> list[QuoteRow]:
    """Quotes by one side in a sentence that mentions the other side."""
    found = []
    for speaker, other in ((a, b), (b, a)):
        for quote in ctx.store.quotes(speaker_actor=speaker):
            mentioned = {m.actor_id for m in ctx.mentions(quote.doc_id) if m.sentence_index == quote.sentence_index}
            if other in mentioned:
                found.append(ctx.quote_row(quote))
    return sorted(found, key=lambda q: (q.published is None, q.published or "", q.doc_id, q.start))
