"""The analysis views over a small hand-made store (see analysis_corpus.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.actors import UnknownActorError
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.analysis.document import document_view
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.search import search_sentences
from dyadlens.analysis.series import dyad_series, period_of
from dyadlens.analysis.sources import sources_side_by_side
from dyadlens.analysis.timeline import dyad_timeline
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import check_date, overlaps
from dyadlens.resources import Resources
from dyadlens.store import open_store
from postgres_server import STORE_BACKENDS, new_store_target


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def store_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """The hand-made store, on SQLite and on PostgreSQL (a URL, which ``open_store`` takes as a path)."""
    return build_store(new_store_target(request, tmp_path_factory.mktemp("analysis"), "corpus.db"))


@pytest.fixture()
def ctx(store_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(store_path)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def test_timeline_has_both_directions_in_date_order_with_undated_at_document_date(ctx: AnalysisContext) -> None:
    timeline = dyad_timeline(ctx, "taliban", "russia")
    assert [(e.sort_date, e.code, e.modality) for e in timeline.events] == [
        ("2003", "172", "asserted"),
        ("2023-01", "071", "asserted"),
        ("2024-03", "081", "asserted"),
        ("2024-03-12", "046", "planned"),
        ("2024-04", "081", "negated"),
    ]
    undated = timeline.events[3]
    assert undated.date is None and undated.dated_by == "document"
    assert {e.source for e in timeline.events} == {"russia"}


def test_timeline_rows_carry_code_names_and_evidence(ctx: AnalysisContext) -> None:
    first = dyad_timeline(ctx, "russia", "taliban", modalities=("asserted",)).events[0]
    assert first.code_name.startswith("Impose administrative sanctions")
    assert first.evidence.text == "Russia had listed the Taliban as a terrorist organisation in 2003."
    document = ctx.require_document(first.doc_id)
    assert document.text[first.evidence.start : first.evidence.end] == first.evidence.text
    assert first.outlet == "The Daily Ledger"


def test_timeline_period_filter(ctx: AnalysisContext) -> None:
    events = dyad_timeline(ctx, "russia", "taliban", since="2024", until="2024-03").events
    assert [e.code for e in events] == ["081", "046"]


@pytest.mark.parametrize(
    ("by", "periods"),
    [("month", ["2023-01", "2024-03"]), ("quarter", ["2023-Q1", "2024-Q1"]), ("year", ["2003", "2023", "2024"])],
)
def test_series_buckets_asserted_events_by_period(ctx: AnalysisContext, by: str, periods: list[str]) -> None:
    series = dyad_series(ctx, "russia", "taliban", by=by)
    assert [p.period for p in series.points] == periods
    assert all(p.count == sum(p.by_quad.values()) for p in series.points)


def test_series_keeps_coarse_dates_out_of_finer_periods(ctx: AnalysisContext) -> None:
    series = dyad_series(ctx, "russia", "taliban", by="month", with_ids=True)
    listing = next(e for e in dyad_timeline(ctx, "russia", "taliban").events if e.code == "172")
    assert series.unplaced == [listing.id] and series.unplaced_count == 1


def test_series_reads_event_ids_only_when_asked(ctx: AnalysisContext) -> None:
    counted, listed = dyad_series(ctx, "russia", "taliban"), dyad_series(ctx, "russia", "taliban", with_ids=True)
    assert [(p.period, p.count, p.by_quad) for p in counted.points] == [
        (p.period, p.count, p.by_quad) for p in listed.points]
    assert all(not p.event_ids for p in counted.points) and counted.unplaced == []
    assert all(0 < len(p.event_ids) <= p.count for p in listed.points)


def test_series_modality_filter_and_goldstein(ctx: AnalysisContext) -> None:
    series = dyad_series(ctx, "russia", "taliban", by="year", modalities=("any",))
    year_2024 = next(p for p in series.points if p.period == "2024")
    assert year_2024.count == 3  # asserted delisting, planned talks, negated delisting
    assert year_2024.mean_goldstein == pytest.approx((5.0 + 7.0 + 5.0) / 3, abs=0.01)
    assert year_2024.by_quad == {1: 1, 2: 2, 3: 0, 4: 0}
    with pytest.raises(DyadlensError, match="unknown modality"):
        dyad_series(ctx, "russia", "taliban", modalities=("rumoured",))


def test_period_of() -> None:
    assert period_of("2024-08-15", "quarter") == "2024-Q3"
    assert period_of("2024", "month") is None
    assert period_of(None, "year") is None


def test_network_edges_are_weighted_and_directed(ctx: AnalysisContext) -> None:
    network = actor_network(ctx)
    edges = {(e.source, e.target): e for e in network.edges}
    assert set(edges) == {("russia", "taliban"), ("pakistan", "taliban"), ("kazakhstan", "taliban")}
    assert edges[("russia", "taliban")].count == 3
    assert edges[("pakistan", "taliban")].mean_goldstein == -2.0
    assert {n.id for n in network.nodes} == {"russia", "taliban", "pakistan", "kazakhstan"}


def test_network_filters_by_period_and_quad_class(ctx: AnalysisContext) -> None:
    conflict = actor_network(ctx, quad_classes=(3, 4))
    assert sorted((e.source, e.count) for e in conflict.edges) == [("pakistan", 1), ("russia", 1)]
    recent = actor_network(ctx, since="2024-05")
    assert [(e.source, e.target) for e in recent.edges] == [("kazakhstan", "taliban")]


def test_profile_collects_kb_events_partners_quotes_and_designations(ctx: AnalysisContext) -> None:
    profile = actor_profile(ctx, "taliban")
    assert "Islamic Emirate of Afghanistan" in profile.aliases
    assert profile.as_source == []
    assert {r.root: r.count for r in profile.as_target}["08"] == 2
    assert profile.partners[0].id == "russia"
    assert [q.text for q in profile.quotes_about] == ["We will keep talking to Kabul about security."]
    assert sorted(d.status for d in profile.designations) == ["delisted", "listed"]
    russia = actor_profile(ctx, "russia")
    assert [q.speaker for q in russia.quotes_by] == ["Russian envoy"]
    assert russia.quotes_about == []


def test_sources_side_by_side_flags_assertion_against_negation(ctx: AnalysisContext) -> None:
    view = sources_side_by_side(ctx, "russia", "taliban")
    first = view.claims[0]
    assert first.base_code == "081" and first.disputed
    assert first.outlets == ["Frontier Review", "The Daily Ledger"]
    assert first.disagreement == "asserted by The Daily Ledger; negated by Frontier Review"
    assert not any(c.disputed for c in view.claims[1:])


def test_sources_by_event_code(ctx: AnalysisContext) -> None:
    view = sources_side_by_side(ctx, code="11")
    assert [(c.source, c.target, c.base_code) for c in view.claims] == [("pakistan", "taliban", "112")]
    with pytest.raises(DyadlensError):
        sources_side_by_side(ctx, "russia")


def test_search_filters_by_actor_document_and_period(ctx: AnalysisContext) -> None:
    everything = search_sentences(ctx, "Taliban")
    assert len(everything.results) >= 6
    by_pakistan = search_sentences(ctx, "Taliban", actor="pakistan")
    assert {r.doc_id for r in by_pakistan.results} == {"ledger-0312", "frontier-0402"}
    assert all("Pakistan" in r.evidence.text for r in by_pakistan.results)
    in_doc = search_sentences(ctx, "Taliban", doc_id="hostile-0505")
    assert [r.evidence.sentence_index for r in in_doc.results] == [0]
    assert {r.doc_id for r in search_sentences(ctx, "Taliban", since="2024-04").results} == {
        "frontier-0402",
        "hostile-0505",
    }
    with pytest.raises(DyadlensError):
        search_sentences(ctx, "  ")


def test_overview_counts_and_top_dyads(ctx: AnalysisContext) -> None:
    overview = corpus_overview(ctx)
    assert overview.totals["documents"] == 3 and overview.totals["events"] == 8
    assert (overview.dyads[0].a, overview.dyads[0].b, overview.dyads[0].events) == ("russia", "taliban", 5)


def test_document_view_keeps_offsets_and_records(ctx: AnalysisContext) -> None:
    view = document_view(ctx, "ledger-0312")
    assert len(view.sentences) == 4 and len(view.events) == 4 and len(view.quotes) == 1
    assert all(view.text[m.start : m.end] for m in view.mentions)


@pytest.mark.parametrize(
    ("text", "expected"), [("russia", "russia"), ("Russian Federation", "russia"), ("TALIBAN", "taliban")]
)
def test_resolve_actor_by_id_alias_or_name(ctx: AnalysisContext, text: str, expected: str) -> None:
    assert ctx.resolve_actor(text) == expected


def test_unknown_actor_is_a_clear_error(ctx: AnalysisContext) -> None:
    with pytest.raises(UnknownActorError, match="Atlantis"):
        ctx.resolve_actor("Atlantis")


@pytest.mark.parametrize(
    ("date", "since", "until", "inside"),
    [("2024-03", "2024", None, True), ("2023-12-31", "2024", None, False), ("2024", None, "2024-02", True),
     ("2024-03-01", None, "2024-02", False), (None, "2024", None, False), (None, None, None, True)],
)
def test_overlaps_is_prefix_aware(date: str | None, since: str | None, until: str | None, inside: bool) -> None:
    assert overlaps(date, since, until) is inside


def test_views_are_json_ready(ctx: AnalysisContext) -> None:
    payload = to_jsonable(dyad_series(ctx, "russia", "taliban"))
    assert payload["points"][0]["by_quad"] == {"1": 0, "2": 1, "3": 0, "4": 0}


def test_designation_status_comes_from_the_status_history(ctx: AnalysisContext) -> None:
    from dyadlens.analysis.dyad import dyad_brief

    steps = actor_profile(ctx, "taliban").status
    assert [(s.designator, s.status, s.since, s.current) for s in steps] == [
        ("russia", "listed", "2003", False),
        ("russia", "delisted", "2024-03", True),
    ]
    assert steps[1].evidence.text.startswith("Russia removed the Taliban")
    brief = dyad_brief(ctx, "taliban", "russia")
    assert [s.status for s in brief.status] == ["listed", "delisted"]
    assert [q.speaker for q in brief.quotes] == ["Russian envoy"]


def test_search_results_locate_the_matched_words(ctx: AnalysisContext) -> None:
    result = search_sentences(ctx, "wheat").results[0]
    assert [result.evidence.text[s:e] for s, e in result.matches] == ["wheat"]
    assert result.actor_names == ["Russia", "Taliban"]


@pytest.mark.parametrize("value", ["2024", "2024-02", "2024-02-29", " 2024-03 "])
def test_check_date_accepts_calendar_prefixes(value: str) -> None:
    assert check_date(value, "since") == value.strip()


@pytest.mark.parametrize("value", ["24", "2024-13", "2024-00", "2023-02-29", "March 2024", "2024/03", "0000"])
def test_check_date_names_the_option_and_the_bad_value(value: str) -> None:
    with pytest.raises(DyadlensError, match=f"until: '{value}' is not a date"):
        check_date(value, "until")


def test_views_refuse_a_bad_period(ctx: AnalysisContext) -> None:
    with pytest.raises(DyadlensError, match="since"):
        dyad_timeline(ctx, "russia", "taliban", since="2024-13")
    with pytest.raises(DyadlensError, match="until"):
        actor_network(ctx, until="soon")
    with pytest.raises(DyadlensError, match="no document 'missing'"):
        search_sentences(ctx, "Taliban", doc_id="missing")


def test_rows_name_the_claimant(ctx: AnalysisContext) -> None:
    claimed = [e for e in dyad_timeline(ctx, "russia", "taliban").events if e.claimant]
    assert [(e.claimant, e.claimant_name) for e in claimed] == [("russia", "Russia")]


def test_overview_counts_mentions_and_sorts_by_events_then_mentions(ctx: AnalysisContext) -> None:
    actors = {a.id: a for a in corpus_overview(ctx).actors}
    assert (actors["taliban"].events, actors["taliban"].mentions) == (8, 8)
    assert actors["ttp"].events == 0 and actors["ttp"].mentions == 2


def test_the_read_side_imports_no_presentation() -> None:
    """analysis/ and exports/ hand data to the CLI, the web UI and the report; they never render it."""
    import ast

    import dyadlens

    presentation = ("dyadlens.cli", "dyadlens.web", "jinja2", "markupsafe")
    package = Path(dyadlens.__file__).parent
    for module in [*package.joinpath("analysis").glob("*.py"), *package.joinpath("exports").glob("*.py")]:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [name for name in imported if name.startswith(presentation)], module.name
