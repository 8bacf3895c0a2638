"""The brief's summary (analysis/brief.py) on the hand-written corpus, on SQLite and PostgreSQL, and the one
read side: the web brief, its JSON twin and the written report show the same summary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import build_store
from dyadlens.analysis.brief import Period, brief_summary, previous_period, speaker_rank
from dyadlens.analysis.common import AnalysisContext, Evidence, QuoteRow
from dyadlens.cli import main
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from test_web_app import get


@pytest.fixture()
def ctx(store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def test_three_numbers_count_asserted_real_events_of_the_span(ctx: AnalysisContext) -> None:
    whole = brief_summary(ctx, "russia", "taliban").relationship
    assert (whole.events, whole.mean_goldstein, whole.cooperation_percent) == (3, 2.47, 67)
    narrowed = brief_summary(ctx, "russia", "taliban", since="2024-03", until="2024-12").relationship
    assert (narrowed.events, narrowed.mean_goldstein, narrowed.cooperation_percent) == (1, 5.0, 100)


def test_events_rank_asserted_first_then_by_goldstein_times_reports(ctx: AnalysisContext) -> None:
    events = brief_summary(ctx, "russia", "taliban").events
    assert [(e.row.code, e.row.modality) for e in events] == [
        ("071", "asserted"), ("081", "asserted"), ("172", "asserted"), ("046", "planned"), ("081", "negated")]
    asserted = [e.score for e in events if e.row.modality == "asserted"]
    assert asserted == sorted(asserted, reverse=True)
    assert all(e.score == abs(e.row.goldstein or 0) * (e.row.counts.reports if e.row.counts else 1) for e in events)


def test_what_changed_compares_the_period_with_the_one_before(ctx: AnalysisContext) -> None:
    summary = brief_summary(ctx, "russia", "taliban", since="2024-03", until="2024-12")
    changes = summary.changes
    assert changes is not None
    assert changes.period == Period("2024-03", "2024-12")
    assert changes.previous == Period("2023-05", "2024-02")
    assert (changes.balance[2], changes.balance_before[2]) == (1, 0)
    assert [p.id for p in changes.new_partners] == ["pakistan", "kazakhstan"]
    assert [(r.id, r.first) for r in changes.new_event_types] == [("08", "2024-03")]
    assert [(s.status, s.since) for s in changes.status] == [("delisted", "2024-03")]
    assert [(s.track, s.status) for s in summary.state_track] == [("listing", "delisted")]


def test_without_a_period_what_changed_looks_at_the_year_up_to_the_last_event(ctx: AnalysisContext) -> None:
    changes = brief_summary(ctx, "russia", "taliban").changes
    assert changes is not None and changes.period == Period("2023-04", "2024-03")  # the last asserted: 2024-03
    assert previous_period(changes.period) == changes.previous == Period("2022-04", "2023-03")
    assert previous_period(Period("2024-11", "2025-02")) == Period("2024-07", "2024-10")


def _quote(role: str | None, actor: str | None) -> QuoteRow:
    evidence = Evidence("d", 0, 1, "x")
    return QuoteRow("q", "d", "direct", "Someone", actor, None, role, "said", "x", 0, 1, None, None, evidence)


@pytest.mark.parametrize(("role", "actor", "rank"), [
    ("Minister of Foreign Affairs", "russia", 3), ("President", None, 3),
    ("Special Presidential Envoy (Representative) for Afghanistan", "russia", 2), (None, "tass", 1), (None, None, 0),
])
def test_speaker_rank(role: str | None, actor: str | None, rank: int) -> None:
    assert speaker_rank(_quote(role, actor)) == rank


def test_the_web_brief_and_its_json_twin_show_the_summary_first(ctx: AnalysisContext) -> None:
    app = WebApp(ctx.store, ctx.ontology, ctx.kb)
    payload = json.loads(get(app, "/api/brief/russia/taliban")[2])
    assert payload["summary"]["relationship"] == {"events": 3, "mean_goldstein": 2.47, "cooperation_percent": 67}
    assert payload["detail"]["a"] == "russia" and len(payload["summary"]["events"]) == 5
    status, _, html = get(app, "/brief/Russia/Taliban")
    assert status == "200 OK" and html.count('class="brief-number"') == 3
    assert html.index('id="summary"') < html.index('id="events"')
    assert '<details class="fold" id="events">' in html  # the detail is folded
    assert "We will keep talking to Kabul about security." in html
    assert 'href="/brief/russia/taliban"' in get(app, "/dyad/russia/taliban")[2]


def test_the_written_report_opens_on_the_same_summary(tmp_path: Path) -> None:
    output = tmp_path / "brief.html"
    result = CliRunner().invoke(main, ["--db", str(build_store(tmp_path / "c.db")), "report", "Russia", "Taliban",
                                       "-o", str(output)])
    assert result.exit_code == 0, result.output
    report = output.read_text(encoding="utf-8")
    assert report.count('class="brief-number"') == 3 and report.index('id="summary"') < report.index('id="events"')
    assert '<details class="fold" id="events">' in report
