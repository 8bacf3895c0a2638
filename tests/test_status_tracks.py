"""Status tracks: repeated reports merge, observations back the state in force, proposals stay pending.

The fast tests build :class:`StatusReport` rows by hand (an invented pair, Norland and the Azure
Front); the slow ones check the Russia–Taliban tracks of the sample corpus plus the seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.analysis.status import StatusReport, Track, build_tracks, status_on
from dyadlens.analysis.status_kinds import STATUS_KINDS, TRACKS
from dyadlens.cli import main
from dyadlens.model import DESIGNATION_STATUSES
from dyadlens.resources import Resources


def report(status: str, date: str | None, observed: str, outlet: str, *, standing: bool = False) -> StatusReport:
    """A designation of the Azure Front by Norland, as one document reports it."""
    doc_id = f"{outlet.lower().replace(' ', '-')}-{observed}"
    return StatusReport(
        designation_id=f"{doc_id}-{status}", status=status, date=date, observed=observed,
        observation=standing or date is None, doc_id=doc_id, outlet=outlet, title=None, claimant=None,
        sentence=f"Norland and the Azure Front: {status} ({date or 'still'}).", start=0, end=10,
        event_id=None, rule="test",
    )


def tracks(*reports: StatusReport) -> dict[str, Track]:
    return {t.track: t for t in build_tracks("norland", "azure-front", list(reports))}


@pytest.mark.fast
def test_every_status_has_a_track_and_a_role() -> None:
    assert set(STATUS_KINDS) == set(DESIGNATION_STATUSES)
    assert {kind.track for kind in STATUS_KINDS.values()} <= set(TRACKS)
    assert STATUS_KINDS["delisting_proposed"].role == "pending"
    assert STATUS_KINDS["ban_suspended"].role == "state"


@pytest.mark.fast
def test_repeated_reports_merge_into_one_step_dated_as_precisely_as_they_agree() -> None:
    listing = tracks(
        report("listed", "2011", "2015-03-02", "Harbour Review"),
        report("listed", "2011-09", "2019-01-10", "Policy Brief"),
        report("listed", "2011", "2020-05-05", "Harbour Review"),
    )["listing"]
    (step,) = listing.steps
    assert (step.status, step.since, step.until) == ("listed", "2011-09", None)
    assert len(step.reports) == 3 and step.outlets == ["Harbour Review", "Policy Brief"]
    assert step.lead.outlet == "Policy Brief"


@pytest.mark.fast
def test_an_observation_backs_the_state_in_force_and_never_starts_a_step() -> None:
    listing = tracks(
        report("listed", "2011", "2015-03-02", "Harbour Review"),
        report("listed", None, "2018-06-01", "Daily Ledger"),
        report("listed", "2018-06-01", "2018-06-01", "Policy Brief", standing=True),
        report("delisted", "2021-02", "2021-02-20", "Harbour Review"),
    )["listing"]
    assert [(s.status, s.since, s.until) for s in listing.steps] == [
        ("listed", "2011", "2021-02"),
        ("delisted", "2021-02", None),
    ]
    assert [o.outlet for o in listing.steps[0].observations] == ["Daily Ledger", "Policy Brief"]


@pytest.mark.fast
def test_a_state_only_observed_is_known_from_its_first_observation() -> None:
    (step,) = tracks(report("listed", None, "2018-06-01", "Daily Ledger"))["listing"].steps
    assert (step.since, step.observed_from, step.start) == (None, "2018-06-01", "2018-06-01")
    on = status_on(list(tracks(report("listed", None, "2018-06-01", "Daily Ledger")).values()), "2018-01")
    assert on[0].state is None


@pytest.mark.fast
def test_a_standing_statement_that_says_when_the_state_began_dates_the_step() -> None:
    (step,) = tracks(
        report("listed", "2011", "2016-04-02", "Daily Ledger", standing=True),
        report("listed", "2011-09", "2019-01-10", "Policy Brief", standing=True),
        report("listed", "2019-03-03", "2019-03-03", "Harbour Review", standing=True),
    )["listing"].steps
    assert (step.since, step.observed_from, len(step.reports), len(step.observations)) == ("2011-09", None, 0, 3)


@pytest.mark.fast
def test_a_proposal_is_pending_until_a_change_of_state_resolves_it() -> None:
    all_tracks = tracks(
        report("listed", "2011", "2015-03-02", "Harbour Review"),
        report("delisting_proposed", "2023", "2024-01-15", "Policy Brief"),
        report("delisting_proposed", "2023-05-04", "2023-05-05", "Daily Ledger"),
        report("delisting_proposed", "2023-08-01", "2023-08-01", "Harbour Review"),
        report("ban_suspended", "2024-03", "2024-03-20", "Daily Ledger"),
    )
    listing = all_tracks["listing"]
    proposal = next(s for s in listing.steps if s.status == "delisting_proposed")
    assert (proposal.since, proposal.until, len(proposal.reports)) == ("2023-05-04", "2024-03", 3)
    assert listing.state_on("2023-06").status == "listed"  # type: ignore[union-attr]
    assert [p.status for p in listing.pending_on("2023-06")] == ["delisting_proposed"]
    assert listing.pending_on("2023-04") == []
    later = status_on(list(all_tracks.values()), "2024-12")[0]
    assert later.state is not None and later.state.status == "ban_suspended" and later.pending == []


@pytest.mark.fast
def test_tracks_are_kept_apart() -> None:
    all_tracks = tracks(
        report("recognition_withheld", "2019-04", "2019-04-10", "Policy Brief"),
        report("listed", "2011", "2015-03-02", "Harbour Review"),
        report("recognized", "2022-11-30", "2022-12-01", "Daily Ledger"),
    )
    assert list(all_tracks) == ["listing", "recognition"]
    recognition = all_tracks["recognition"]
    assert [(s.status, s.until) for s in recognition.steps] == [
        ("recognition_withheld", "2022-11-30"),
        ("recognized", None),
    ]
    assert recognition.state_on("2022-11-29") is not None
    assert recognition.state_on("2022-11-29").status == "recognition_withheld"  # type: ignore[union-attr]
    assert all_tracks["listing"].in_force().status == "listed"  # type: ignore[union-attr]


# --- the sample corpus plus the seeds -------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("tracks") / "corpus.db"
    result = CliRunner().invoke(main, ["--db", str(path), "ingest", str(examples_dir), str(seeds_dir)])
    assert result.exit_code == 0, result.output
    return path


def status_json(db: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["--db", str(db), "--json", "status", "Russia", "Taliban", *args])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    return payload


@pytest.mark.slow
def test_mid_2024_the_listing_is_in_force_with_a_pending_proposal(corpus_db: Path) -> None:
    on = {t["track"]: t for t in status_json(corpus_db, "--as-of", "2024-06")["on"]}  # type: ignore[attr-defined]
    listing = on["listing"]
    assert listing["state"]["status"] == "listed" and listing["state"]["since"].startswith("2003")
    assert [(p["status"], p["since"][:7]) for p in listing["pending"]] == [("delisting_proposed", "2024-05")]
    assert on["recognition"]["state"]["status"] == "recognition_withheld"


@pytest.mark.slow
def test_end_of_2025_recognized_accredited_and_the_ban_suspended(corpus_db: Path) -> None:
    on = {t["track"]: t for t in status_json(corpus_db, "--as-of", "2025-12")["on"]}  # type: ignore[attr-defined]
    assert (on["recognition"]["state"]["status"], on["recognition"]["state"]["since"]) == ("recognized", "2025-07-03")
    assert on["listing"]["state"]["status"] == "ban_suspended"
    assert on["listing"]["state"]["since"].startswith("2025-04") and on["listing"]["pending"] == []
    assert on["accreditation"]["state"]["status"] == "ambassador_accredited"


@pytest.mark.slow
def test_the_whole_history_is_one_line_per_step(corpus_db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(corpus_db), "status", "Russia", "Taliban"])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.output.splitlines() if line.split()[1:2] == ["listed"]]
    assert len(listed) == 1 and "reports" in listed[0] and "sources" in listed[0]
    steps = status_json(corpus_db)["tracks"][0]["steps"]  # type: ignore[index]
    assert steps[0]["status"] == "listed" and len(steps) <= 5


@pytest.mark.slow
def test_the_russia_page_shows_its_tracks_as_designator(corpus_db: Path, resources: Resources) -> None:
    from dyadlens.analysis.common import AnalysisContext
    from dyadlens.analysis.profile import actor_profile
    from dyadlens.store import open_store

    store = open_store(corpus_db)
    try:
        profile = actor_profile(AnalysisContext(store, resources.ontology, resources.kb), "russia")
    finally:
        store.close()
    in_force = {(s.designee, s.track, s.status) for s in profile.status if s.current}
    assert ("taliban", "recognition", "recognized") in in_force
    assert all(s.backing and s.evidence.text for s in profile.status)


@pytest.mark.slow
def test_the_actor_and_dyad_pages_show_tracks_with_their_evidence(corpus_db: Path, resources: Resources) -> None:
    from wsgiref.util import setup_testing_defaults

    from dyadlens.store import open_store
    from dyadlens.web.app import WebApp

    store = open_store(corpus_db)
    try:
        app = WebApp(store, resources.ontology, resources.kb)
        pages = {}
        for url in ("/actor/russia", "/dyad/russia/taliban"):
            environ = {"PATH_INFO": url, "QUERY_STRING": "", "REQUEST_METHOD": "GET"}
            setup_testing_defaults(environ)
            pages[url] = b"".join(app(environ, lambda status, headers: None)).decode("utf-8")
    finally:
        store.close()
    for body in pages.values():
        assert "No designation status recorded" not in body
        assert 'data-track="recognition"' in body and "ambassador accreditation" in body
        assert "evidence-link" in body.split('class="status status-tracks"')[1]
    assert pages["/dyad/russia/taliban"].count('data-track="listing"') <= 5
