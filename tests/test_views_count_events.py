"""Views count real events, not reports (issue #12): one row per cluster of reports by default,
every report with ``count="reports"``, standing facts never counted as acts and shown as observations.

The store is built from invented documents: three outlets report one expulsion (one real event),
the first also says Valoria "still bans" Tarsk's broadcaster (a standing fact) and reports earlier
talks (an unrelated event). The clusters come from the store's own identity step (``Store.write``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from analysis_corpus import ACTORS, DocBuilder
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.series import dyad_series
from dyadlens.analysis.timeline import dyad_timeline
from dyadlens.cli import main
from dyadlens.errors import DyadlensError
from dyadlens.exports.gdelt import write_gdelt
from dyadlens.model import ActorRef, DocumentRecords
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, Store, open_store, schema
from dyadlens.web.views import dyad_page, network_page, overview_page
from postgres_server import STORE_BACKENDS, new_store_target

ACTORS.setdefault("valoria", ActorRef("valoria", "Valoria", "state"))
ACTORS.setdefault("tarsk", ActorRef("tarsk", "Tarsk", "state"))


def _mentions(doc: DocBuilder) -> None:
    for index in range(len(doc.sentences)):
        doc.mention(index, "Valoria", "valoria")
        doc.mention(index, "Tarsk", "tarsk")


def wire() -> DocumentRecords:
    doc = DocBuilder("wire-a", [
        "Valoria expelled the ambassador of Tarsk on 2 May 2024.",
        "Valoria still bans the state broadcaster of Tarsk.",
        "Officials of Valoria and Tarsk had held talks in March 2023.",
    ], "2024-05-03", "Northern Wire", "Valoria expels envoy")
    _mentions(doc)
    doc.event(0, "expelled", "valoria", "tarsk", "172", "asserted", "2024-05-02")
    ban = doc.event(1, "bans", "valoria", "tarsk", "172", "asserted", "2024-05")
    doc.records.events[-1] = dataclasses.replace(ban, standing=True)
    doc.event(2, "held talks", "valoria", "tarsk", "040", "asserted", "2023-03")
    return doc.records


def courier() -> DocumentRecords:
    doc = DocBuilder("courier-b", ["Valoria expelled the Tarsk ambassador on Thursday, officials said."],
                     "2024-05-04", "Daily Courier", "Envoy expelled")
    _mentions(doc)
    doc.event(0, "expelled", "valoria", "tarsk", "172", "asserted", "2024-05-02")
    return doc.records


def gazette() -> DocumentRecords:
    doc = DocBuilder("gazette-c", ["The envoy of Tarsk was expelled by Valoria last week."],
                     "2024-05-10", "Harbor Gazette", "A week after the expulsion")
    _mentions(doc)
    doc.event(0, "expelled", "valoria", "tarsk", "172", "asserted", "2024-05")
    return doc.records


@pytest.fixture()
def db(store_url: str) -> str:
    """The three reports of one expulsion, on each backend."""
    path = store_url
    with open_store(path) as store:
        for records in (wire(), courier(), gazette()):
            store.write(records)
    return path


@pytest.fixture()
def ctx(db: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(db)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def test_the_identity_step_makes_the_three_reports_one_event(ctx: AnalysisContext) -> None:
    expulsions = ctx.store.events(EventQuery(code="172", standing=False))
    assert len({e.cluster for e in expulsions}) == 1 and expulsions[0].cluster is not None


def test_series_counts_the_event_once_and_never_the_standing_fact(ctx: AnalysisContext) -> None:
    events = {p.period: p for p in dyad_series(ctx, "valoria", "tarsk", by="year").points}
    reports = {p.period: p for p in dyad_series(ctx, "valoria", "tarsk", by="year", count="reports").points}
    assert (events["2024"].count, events["2024"].by_quad[4]) == (1, 1)
    assert (reports["2024"].count, reports["2024"].by_quad[4]) == (3, 3)  # the "still bans" report is not one
    assert events["2023"].count == reports["2023"].count == 1


def test_series_places_a_real_event_at_its_consolidated_date(ctx: AnalysisContext) -> None:
    months = {p.period: p.count for p in dyad_series(ctx, "valoria", "tarsk", by="month").points}
    assert months == {"2023-03": 1, "2024-05": 1}


def test_timeline_lists_one_row_per_event_with_its_reports_and_the_observation(ctx: AnalysisContext) -> None:
    timeline = dyad_timeline(ctx, "valoria", "tarsk")
    kinds = [(r.date, r.code, r.kind) for r in timeline.events]  # "2024-05" sorts before "2024-05-02"
    assert kinds == [("2023-03", "040", "event"), ("2024-05", "172", "observation"), ("2024-05-02", "172", "event")]
    expulsion = timeline.events[2]
    assert expulsion.counts is not None
    assert (expulsion.counts.reports, expulsion.counts.documents, expulsion.counts.outlets) == (3, 3, 3)
    assert {r.outlet for r in expulsion.reports} == {"Northern Wire", "Daily Courier", "Harbor Gazette"}
    assert {r.date for r in expulsion.reports} == {"2024-05-02", "2024-05"}
    assert expulsion.counts_text == "3 reports · 3 outlets"


def test_timeline_counting_reports_lists_every_report(ctx: AnalysisContext) -> None:
    rows = dyad_timeline(ctx, "valoria", "tarsk", count="reports").events
    assert len(rows) == 5
    assert [r.kind for r in rows].count("observation") == 1
    assert all(r.counts is None and not r.reports for r in rows)


def test_network_and_overview_count_events_or_reports(ctx: AnalysisContext) -> None:
    edge = actor_network(ctx).edges[0]
    assert (edge.source, edge.target, edge.count) == ("valoria", "tarsk", 2)
    assert actor_network(ctx, count="reports").edges[0].count == 4
    overview, by_report = corpus_overview(ctx), corpus_overview(ctx, count="reports")
    assert (overview.totals["events"], by_report.totals["events"]) == (2, 4)
    assert (overview.dyads[0].events, by_report.dyads[0].events) == (2, 4)
    assert {d.id: d.events for d in overview.documents}["wire-a"] == 2
    assert {d.id: d.events for d in by_report.documents}["wire-a"] == 3


def test_goldstein_means_weigh_each_event_once(ctx: AnalysisContext) -> None:
    talks, expulsion = ctx.code("040"), ctx.code("172")
    assert talks is not None and expulsion is not None
    once = round((talks.goldstein + expulsion.goldstein) / 2, 2)
    assert actor_network(ctx).edges[0].mean_goldstein == once
    assert corpus_overview(ctx).dyads[0].mean_goldstein == once
    by_report = round((talks.goldstein + 3 * expulsion.goldstein) / 4, 2)
    assert actor_network(ctx, count="reports").edges[0].mean_goldstein == by_report


def test_profile_counts_roots_by_event(ctx: AnalysisContext) -> None:
    roots = {r.root: r.count for r in actor_profile(ctx, "valoria").as_source}
    assert roots == {"04": 1, "17": 1}
    assert {r.root: r.count for r in actor_profile(ctx, "valoria", count="reports").as_source} == {"04": 1, "17": 3}


def test_stats_count_events_reports_and_observations(db: Path) -> None:
    with open_store(db) as store:
        stats, by_report = store.stats(), store.stats(count="reports")
    assert (stats["events"], stats["reports"], stats["observations"]) == (2, 5, 1)
    assert by_report["events"] == 5


def test_gdelt_rows_are_real_events_with_their_counts(ctx: AnalysisContext) -> None:
    out = io.StringIO()
    assert write_gdelt(ctx, out) == 2
    rows = {r["EventCode"]: r for r in csv.DictReader(io.StringIO(out.getvalue()), delimiter="\t")}
    expulsion = rows["172"]
    assert (expulsion["NumMentions"], expulsion["NumSources"], expulsion["NumArticles"]) == ("3", "3", "3")
    assert expulsion["SQLDATE"] == "20240502"
    assert rows["040"]["NumMentions"] == "1"
    reports = io.StringIO()
    assert write_gdelt(ctx, reports, count="reports") == 5
    kinds = [r["kind"] for r in csv.DictReader(io.StringIO(reports.getvalue()), delimiter="\t")]
    assert kinds.count("observation") == 1


def _forget_clusters(store: Store) -> None:
    """The store as migrated from before event identity: no cluster anywhere."""
    with store.transaction() as conn:
        conn.execute(update(schema.events).values(cluster=None))
        conn.execute(schema.clusters.delete())


def test_unclustered_reports_count_as_their_own_events(ctx: AnalysisContext) -> None:
    _forget_clusters(ctx.store)
    assert sum(p.count for p in dyad_series(ctx, "valoria", "tarsk", by="year").points) == 4
    rows = dyad_timeline(ctx, "valoria", "tarsk").events
    assert [r.kind for r in rows].count("event") == 4 and [r.kind for r in rows].count("observation") == 1
    assert all(r.counts is not None and r.counts.reports == 1 for r in rows if r.kind == "event")
    assert ctx.store.stats()["events"] == 4


def test_an_unknown_count_is_refused(ctx: AnalysisContext) -> None:
    with pytest.raises(DyadlensError, match="count"):
        dyad_series(ctx, "valoria", "tarsk", count="mentions")


def test_web_pages_take_the_count(ctx: AnalysisContext) -> None:
    brief = dyad_page(ctx, ["valoria", "tarsk"], {"count": ["reports"], "by": ["year"]}).payload
    assert brief.series.count == "reports" and brief.series.points[-1].count == 3
    assert dyad_page(ctx, ["valoria", "tarsk"], {"by": ["year"]}).payload.series.points[-1].count == 1
    assert network_page(ctx, [], {"count": ["reports"]}).payload.edges[0].count == 4
    assert overview_page(ctx, [], {}).payload.totals["events"] == 2
    with pytest.raises(DyadlensError):
        overview_page(ctx, [], {"count": ["everything"]})


def _cli(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_series_and_timeline_count_events_unless_asked(db: Path) -> None:
    series = json.loads(_cli(db, "--json", "series", "Valoria", "Tarsk", "--by", "year"))
    assert [p["count"] for p in series["points"]] == [1, 1]
    by_report = json.loads(_cli(db, "--json", "series", "Valoria", "Tarsk", "--by", "year", "--count", "reports"))
    assert [p["count"] for p in by_report["points"]] == [1, 3]
    timeline = json.loads(_cli(db, "--json", "timeline", "Valoria", "Tarsk"))
    assert [len(e["reports"]) for e in timeline["events"] if e["kind"] == "event"] == [1, 3]
    text = _cli(db, "timeline", "Valoria", "Tarsk", "--reports")
    assert "2 events, 1 observations" in text and "3 reports · 3 outlets" in text
    assert "observation: Valoria -> Tarsk" in text and "- Harbor Gazette, 2024-05-10" in text


def test_cli_events_and_stats_take_the_count(db: Path) -> None:
    events = json.loads(_cli(db, "--json", "events", "--code", "172"))
    assert len(events) == 1 and events[0]["counts"]["reports"] == 3
    assert len(json.loads(_cli(db, "--json", "events", "--code", "172", "--count", "reports"))) == 4
    assert json.loads(_cli(db, "--json", "stats"))["events"] == 2
    assert json.loads(_cli(db, "--json", "stats", "--count", "reports"))["events"] == 5


# --- the done-when checks on the sample corpus plus the seeds ---------------------------------


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def sample_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, examples_dir: Path,
                 seeds_dir: Path) -> str:
    db = new_store_target(request, tmp_path_factory.mktemp("sample"), "store.db")
    _cli(db, "ingest", str(examples_dir), str(seeds_dir))
    return db


def _yearly(db: Path, *count: str) -> dict[str, dict[str, object]]:
    series = json.loads(_cli(db, "--json", "series", "Russia", "Taliban", "--by", "year", *count))
    return {p["period"]: p for p in series["points"]}


@pytest.mark.slow
def test_sample_series_counts_the_2003_listing_once_and_no_standing_conflict(sample_store: Path) -> None:
    events, reports = _yearly(sample_store), _yearly(sample_store, "--count", "reports")
    assert events["2003"]["by_quad"]["4"] == 1
    assert reports["2003"]["by_quad"]["4"] == 3
    for year in ("2020", "2021", "2023"):
        assert events.get(year, {"by_quad": {"4": 0}})["by_quad"]["4"] == 0  # type: ignore[index]
        assert reports.get(year, {"by_quad": {"4": 0}})["by_quad"]["4"] == 0  # type: ignore[index]


@pytest.mark.slow
def test_sample_timeline_shows_the_standing_statements_as_observations(sample_store: Path) -> None:
    timeline = json.loads(_cli(sample_store, "--json", "timeline", "Russia", "Taliban", "--until", "2003"))
    listing = [e for e in timeline["events"] if e["code"] == "172" and e["kind"] == "event"]
    assert len(listing) == 1 and listing[0]["counts"]["reports"] == 3 and len(listing[0]["reports"]) == 3
    everything = json.loads(_cli(sample_store, "--json", "timeline", "Russia", "Taliban"))
    assert any(e["kind"] == "observation" for e in everything["events"])
