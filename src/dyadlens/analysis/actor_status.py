"""The actor page's status track: the first steps of the pairs where the actor is a side, read pair by pair.

:func:`dyadlens.analysis.status.designation_status` builds the tracks of every pair of the actor from one read
of all their reports, then keeps the first steps: at 10M events Russia has 1,134 such pairs and 26,000 reports
(2.4 s CPU) for the 50 steps the page shows, which come from its first few pairs. Here the pairs are listed
first (two ``DISTINCT`` reads), then read in the same order one at a time through the pair's own indexes
until the steps are there. A pair's tracks need every report of that pair, and the reports of one pair are
the same whether read alone or among all the actor's pairs, so the steps are the same, in the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.status import STATUS_LISTED, StatusEntry, Track, TrackStep, build_tracks, entries_of
from dyadlens.analysis.status_reads import Sides, designation_pairs, event_pairs, reports_by_pair


def designation_status(ctx: AnalysisContext, actor: str, limit: int | None = STATUS_LISTED) -> list[StatusEntry]:
    """The first ``limit`` steps (None: all) of the tracks of every pair where ``actor`` is the designee or the
    designator, pair by pair: what :func:`dyadlens.analysis.status.designation_status` gives."""
    return entries_of(ctx, list(itertools.islice(_steps(ctx, actor), limit)))


def _steps(ctx: AnalysisContext, actor: str) -> Iterator[tuple[Track, TrackStep]]:
    """The steps of the actor's pairs in order, each pair's reports read when its turn comes."""
    sides = Sides(actor=actor)
    for designator, designee in sorted(designation_pairs(ctx.store, sides) | event_pairs(ctx.store, sides)):
        reports = reports_by_pair(ctx.store, Sides(designator=designator, designee=designee))
        for track in build_tracks(designator, designee, reports.get((designator, designee), [])):
            yield from ((track, step) for step in track.steps)
