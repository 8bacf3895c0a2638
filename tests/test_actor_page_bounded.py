"""The actor page's status track, designations, root counts and partners, read bounded, against the reads they
replace, on the hand-written corpus and a small synthetic store, on SQLite and PostgreSQL: the same steps,
rows and counts in the same order, whatever the number of steps or rows asked for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import or_, select

from dyadlens.analysis import actor_status, profile, status
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.shown_rows import designation_rows
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, schema, summaries
from test_bounded_reads import _synthetic_store

G = schema.designations


@pytest.fixture()
def ctx(corpus_ctx: AnalysisContext) -> AnalysisContext:
    return corpus_ctx


@pytest.fixture()
def synthetic(tmp_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(_synthetic_store(tmp_path / "s.db"))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _status_actors(ctx: AnalysisContext) -> list[str]:
    """Every actor on a side of a designation, and of an event of the demo corpus."""
    sides = ctx.store.read(select(G.c.designator, G.c.designee))
    events = ctx.store.read(select(schema.events.c.source, schema.events.c.target))
    return sorted({actor for row in [*sides, *events] for actor in row if actor})


def _compare_status(ctx: AnalysisContext) -> tuple[int, int]:
    """Every actor's steps read pair by pair against one read of all its pairs, at several limits: how many
    actors have steps, and how many have steps of several pairs."""
    stepped, paired = 0, 0
    for actor in _status_actors(ctx):
        every = status.designation_status(ctx, actor, limit=None)
        assert actor_status.designation_status(ctx, actor, limit=None) == every, actor
        for limit in (1, 2, 5, status.STATUS_LISTED):
            assert actor_status.designation_status(ctx, actor, limit=limit) == every[:limit], (actor, limit)
        stepped += len(every) > 1
        paired += len({(e.designator, e.designee) for e in every}) > 1
    return stepped, paired


def test_the_status_track_read_pair_by_pair_is_the_one_read(ctx: AnalysisContext) -> None:
    assert _compare_status(ctx)[0] >= 2


def test_the_status_track_of_many_pairs_on_a_synthetic_store(synthetic: AnalysisContext) -> None:
    stepped, paired = _compare_status(synthetic)
    assert stepped >= paired >= 5


def _compare_lists(ctx: AnalysisContext, actors: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Designations (the first few, and all), root counts and partners, bounded and as they were read."""
    compared = 0
    for actor in actors:
        for listed in (2, profile.LISTED):
            monkeypatch.setattr(profile, "LISTED", listed)
            old = designation_rows(ctx, or_(G.c.designee == actor, G.c.designator == actor), limit=listed)
            page = profile.actor_profile(ctx, actor)
            assert page.designations == old, (actor, listed)
            compared += len(old) > 1
        for count in ("events", "reports"):
            page = profile.actor_profile(ctx, actor, count=count)
            with summaries.bypassed():
                before = profile.actor_profile(ctx, actor, count=count)
            assert (page.as_source, page.as_target) == (before.as_source, before.as_target), (actor, count)
            assert page.partners == before.partners, (actor, count)
            acts = EventQuery(actor=actor, count=count, standing=False)
            source = dataclasses.replace(acts, actor=None, source=actor)
            assert sum(r.count for r in page.as_source) == len(ctx.store.events(source)), (actor, count)
    return compared


def test_designations_roots_and_partners_are_the_unbounded_ones(ctx: AnalysisContext,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert _compare_lists(ctx, _status_actors(ctx), monkeypatch) >= 1


def test_designations_roots_and_partners_on_a_synthetic_store(synthetic: AnalysisContext,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    busiest = [row[0] for row in synthetic.store.read(
        select(schema.summary_actors.c.actor).order_by(schema.summary_actors.c.events_involved.desc()).limit(4))]
    assert _compare_lists(synthetic, [*busiest, _status_actors(synthetic)[-1]], monkeypatch) >= 2
