"""The sanctions track: read from coded events (CAMEO 163, 1312, 085, 081), not from designation rows.

Each test writes invented one-sentence documents (DocumentRecords built by hand, see analysis_corpus.py)
into a temporary store, in two theatres: the European Union and Belarus, the United States and
Venezuela (plus Iran for a rejected report and Pakistan and the TTP for a listing).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder
from dyadlens.analysis.status import Track, status_on, status_tracks
from dyadlens.analysis.status_kinds import EVENT_STATUS_KINDS, EVENT_STATUSES, STATUS_KINDS, event_status, kind_of
from dyadlens.cli import main
from dyadlens.model import DocumentRecords, Event
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.store.corrections import event_corrections, record_correction
from dyadlens.web.app import WebApp
from test_web_app import get


@dataclasses.dataclass(frozen=True)
class Told:
    """One invented sentence of one outlet about what ``source`` did to ``target``."""

    doc_id: str
    published: str
    outlet: str
    sentence: str
    trigger: str
    source: str
    target: str
    code: str
    modality: str = "asserted"
    date: str | None = None
    standing: bool = False


def document(told: Told) -> tuple[DocumentRecords, Event]:
    doc = DocBuilder(told.doc_id, [told.sentence], told.published, told.outlet, f"{told.outlet}, {told.published}")
    event = doc.event(0, told.trigger, told.source, told.target, told.code, told.modality, told.date)
    event = dataclasses.replace(event, standing=told.standing)
    doc.records.events[-1] = event
    return doc.records, event


def write(db: Path, *reports: Told) -> list[Event]:
    store = open_store(db)
    try:
        found = []
        for told in reports:
            records, event = document(told)
            store.write(records)
            found.append(event)
        return found
    finally:
        store.close()


def tracks(db: Path, designator: str, designee: str) -> dict[str, Track]:
    store = open_store(db)
    try:
        return {t.track: t for t in status_tracks(store, designator, designee)}
    finally:
        store.close()


EU_IMPOSED = [
    Told("wire-0622", "2021-06-22", "Minsk Wire", "The European Union imposed sanctions on Belarus on 21 June 2021.",
         "imposed", "european-union", "belarus", "163", date="2021-06-21"),
    Told("ledger-0623", "2021-06-23", "Daily Ledger", "The European Union imposed new sanctions on Belarus in June.",
         "imposed", "european-union", "belarus", "163", date="2021-06"),
    Told("review-0625", "2021-06-25", "Harbour Review", "The EU hit Belarus with sanctions on Monday.",
         "hit", "european-union", "belarus", "163", date="2021-06-21"),
]
EU_STILL = Told("ledger-2023", "2023-05-02", "Daily Ledger", "Belarus remains under European Union sanctions.",
                "remains", "european-union", "belarus", "163", date="2023-05-02", standing=True)
EU_EASED = Told(
    "wire-2024", "2024-02-14", "Minsk Wire", "The European Union eased its sanctions on Belarus on 12 February.",
    "eased", "european-union", "belarus", "085", date="2024-02-12",
)


def test_sanctions_imposed_then_eased_answer_by_date(db_path: Path) -> None:
    write(db_path, *EU_IMPOSED, EU_EASED)
    sanctions = tracks(db_path, "european-union", "belarus")["sanctions"]
    assert [(s.status, s.role, s.since, s.until) for s in sanctions.steps] == [
        ("sanctioned", "state", "2021-06-21", "2024-02-12"),
        ("sanctions_eased", "state", "2024-02-12", None),
    ]
    assert sanctions.state_on("2021-05") is None
    assert sanctions.state_on("2022-01").status == "sanctioned"  # type: ignore[union-attr]
    assert sanctions.state_on("2024-03").status == "sanctions_eased"  # type: ignore[union-attr]


def test_one_sanctions_told_by_three_outlets_is_one_step_with_three_reports(db_path: Path) -> None:
    events = write(db_path, *EU_IMPOSED)
    (step,) = tracks(db_path, "european-union", "belarus")["sanctions"].steps
    assert len(step.reports) == 3 and step.observations == ()
    assert step.outlets == ["Daily Ledger", "Harbour Review", "Minsk Wire"]
    assert {r.event_id for r in step.reports} == {e.id for e in events}
    assert all(r.designation_id is None and r.rule == "event:163:asserted" for r in step.reports)
    assert len({r.cluster for r in step.reports}) == 1 and step.reports[0].cluster is not None


def test_an_undated_report_of_a_clustered_event_takes_the_date_of_the_real_event(db_path: Path) -> None:
    undated = Told("gazette-0630", "2021-06-30", "Steppe Gazette", "The European Union imposed sanctions on Belarus.",
                   "imposed", "european-union", "belarus", "163")
    write(db_path, EU_IMPOSED[0], undated)
    (step,) = tracks(db_path, "european-union", "belarus")["sanctions"].steps
    told = {r.outlet: r for r in step.backing}
    assert told["Steppe Gazette"].cluster == told["Minsk Wire"].cluster is not None
    assert (told["Steppe Gazette"].date, told["Steppe Gazette"].observation) == ("2021-06-21", False)
    assert len(step.reports) == 2 and step.since == "2021-06-21"


def test_a_standing_observation_backs_the_sanctions_and_starts_no_step(db_path: Path) -> None:
    write(db_path, *EU_IMPOSED[:1], EU_STILL, EU_EASED)
    sanctions = tracks(db_path, "european-union", "belarus")["sanctions"]
    assert [s.status for s in sanctions.steps] == ["sanctioned", "sanctions_eased"]
    imposed = sanctions.steps[0]
    assert [o.outlet for o in imposed.observations] == ["Daily Ledger"] and imposed.observations[0].observation
    assert imposed.since == "2021-06-21"


def test_an_observation_alone_is_known_from_its_document(db_path: Path) -> None:
    write(db_path, EU_STILL)
    (step,) = tracks(db_path, "european-union", "belarus")["sanctions"].steps
    assert (step.status, step.since, step.observed_from, len(step.reports)) == ("sanctioned", None, "2023-05-02", 0)


US_THREAT = Told("post-0110", "2019-01-10", "Caracas Post", "The United States threatened Venezuela with sanctions.",
                 "threatened", "united-states", "venezuela", "1312", date="2019-01-09")
US_MAY = Told("ledger-0301", "2019-03-01", "Daily Ledger", "The United States may impose sanctions on Venezuela soon.",
              "impose", "united-states", "venezuela", "163", modality="possible", date="2019-03-01")
US_IMPOSED = Told(
    "review-0806", "2019-08-06", "Harbour Review", "The United States imposed sanctions on Venezuela on 5 August.",
    "imposed", "united-states", "venezuela", "163", date="2019-08-05",
)


def test_a_threat_is_pending_until_the_sanctions_are_imposed(db_path: Path) -> None:
    write(db_path, US_THREAT, US_MAY, US_IMPOSED)
    sanctions = tracks(db_path, "united-states", "venezuela")["sanctions"]
    (threat,) = [s for s in sanctions.steps if s.role == "pending"]
    assert (threat.status, threat.since, threat.until, len(threat.reports)) == (
        "sanctions_threatened", "2019-01-09", "2019-08-05", 2,
    )
    spring = status_on([sanctions], "2019-04")[0]
    assert spring.state is None and [p.status for p in spring.pending] == ["sanctions_threatened"]
    autumn = status_on([sanctions], "2019-09")[0]
    assert autumn.state is not None and autumn.state.status == "sanctioned" and autumn.pending == []


def test_a_rejected_sanctions_report_does_not_count(db_path: Path) -> None:
    (wrong,) = write(db_path, Told(
        "wire-0402", "2020-04-02", "Gulf Wire", "The United States imposed sanctions on Iran's oil buyers.",
        "imposed", "united-states", "iran", "163", date="2020-04-01",
    ))
    assert "sanctions" in tracks(db_path, "united-states", "iran")
    store = open_store(db_path)
    try:
        for correction in event_corrections(wrong, reject=True, note="the buyers, not Iran"):
            record_correction(store, correction)
    finally:
        store.close()
    assert tracks(db_path, "united-states", "iran") == {}


def test_an_eased_ban_with_a_designation_stays_on_the_listing_track(db_path: Path) -> None:
    doc = DocBuilder("frontier-0501", ["Pakistan suspended its ban on the TTP in May 2022."], "2022-05-10",
                     "Frontier Review", "A ban suspended")
    suspended = doc.event(0, "suspended", "pakistan", "ttp", "081", "asserted", "2022-05")
    doc.designation(0, "pakistan", "ttp", "ban_suspended", "2022-05", suspended)
    store = open_store(db_path)
    try:
        store.write(doc.records)
    finally:
        store.close()
    assert list(tracks(db_path, "pakistan", "ttp")) == ["listing"]


def test_an_eased_administrative_sanction_without_designation_is_a_sanctions_step(db_path: Path) -> None:
    write(db_path, Told(
        "post-0303", "2023-03-03", "Caracas Post", "The United States eased its restrictions on Venezuela.",
        "eased", "united-states", "venezuela", "081", date="2023-03-02",
    ))
    (step,) = tracks(db_path, "united-states", "venezuela")["sanctions"].steps
    assert (step.status, step.since) == ("sanctions_eased", "2023-03-02")


@pytest.mark.fast
def test_the_event_table_maps_codes_and_modalities_to_sanctions_statuses() -> None:
    assert event_status("163", "asserted") == "sanctioned"
    assert event_status("163", "planned") == "sanctions_threatened"
    assert event_status("085", "possible") == "sanctions_easing_proposed"
    assert event_status("163", "negated") is None and event_status("190", "asserted") is None
    assert {kind_of(s).track for m in EVENT_STATUSES.values() for s in m.values()} == {"sanctions"}
    assert not set(EVENT_STATUS_KINDS) & set(STATUS_KINDS)
    assert kind_of("sanctions_threatened").role == "pending" and kind_of("sanctioned").role == "state"


# --- the views -------------------------------------------------------------------------


def test_the_status_command_shows_the_sanctions_track(db_path: Path) -> None:
    write(db_path, *EU_IMPOSED, EU_EASED)
    runner = CliRunner()
    before = runner.invoke(main, ["--db", str(db_path), "status", "European Union", "Belarus", "--as-of", "2022-01"])
    assert before.exit_code == 0, before.output
    assert "sanctions: sanctioned since 2021-06-21 (3 reports; 3 sources)" in before.output
    after = runner.invoke(
        main, ["--db", str(db_path), "--json", "status", "European Union", "Belarus", "--as-of", "2024-03"]
    )
    assert after.exit_code == 0, after.output
    (on,) = json.loads(after.output)["on"]
    assert (on["track"], on["state"]["status"], on["state"]["since"]) == ("sanctions", "sanctions_eased", "2024-02-12")


def test_the_actor_and_dyad_pages_show_the_sanctions_track(db_path: Path, resources: Resources) -> None:
    write(db_path, US_THREAT, US_IMPOSED)
    store = open_store(db_path)
    try:
        app = WebApp(store, resources.ontology, resources.kb)
        pages = [get(app, url)[2] for url in ("/actor/venezuela", "/dyad/united-states/venezuela")]
    finally:
        store.close()
    for body in pages:
        tracks_table = body.split('class="status status-tracks"')[1]
        assert tracks_table.count('data-track="sanctions"') == 2
        assert "sanctions threatened" in tracks_table and "evidence-link" in tracks_table
