"""Time-aware disagreement: reports disagree only about the same event at the same time.

Each test writes a few invented documents (DocumentRecords built by hand, see analysis_corpus.py)
into a temporary store and reads the claims back through ``sources_side_by_side``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.sources import Claim, sources_side_by_side
from dyadlens.cli import main
from dyadlens.model import DocumentRecords, Event
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from test_web_app import get


def report(
    doc_id: str, published: str, outlet: str, sentence: str, trigger: str, code: str, modality: str, date: str | None
) -> tuple[DocumentRecords, Event]:
    """One invented document of one sentence in which Kazakhstan acts on Pakistan."""
    doc = DocBuilder(doc_id, [sentence], published, outlet, f"{outlet} on {published}")
    doc.mention(0, "Kazakhstan", "kazakhstan")
    doc.mention(0, "Pakistan", "pakistan")
    event = doc.event(0, trigger, "kazakhstan", "pakistan", code, modality, date)
    return doc.records, event


def claims_of(db_path: Path, resources: Resources, *records: DocumentRecords) -> list[Claim]:
    store = open_store(db_path)
    try:
        for record in records:
            store.write(record)
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        return sources_side_by_side(ctx, "kazakhstan", "pakistan").claims
    finally:
        store.close()


def set_clusters(db_path: Path, clusters: dict[str, str | None]) -> None:
    """Cluster the reports as the identity step would (it may have clustered them on write already)."""
    with sqlite3.connect(db_path) as connection:
        connection.executemany("UPDATE events SET cluster = ? WHERE id = ?", [(c, i) for i, c in clusters.items()])


def test_a_later_change_is_not_a_dispute(db_path: Path, resources: Resources) -> None:
    not_yet, _ = report(
        "ledger-2024", "2024-07-10", "Harbour Review", "Kazakhstan has not lifted its ban on Pakistan's airline yet.",
        "lifted", "081", "negated", None,
    )
    lifted, _ = report(
        "brief-2025", "2025-02-03", "Daily Ledger", "Kazakhstan lifted its ban on Pakistan's airline in February.",
        "lifted", "081", "asserted", "2025-02",
    )
    (claim,) = claims_of(db_path, resources, not_yet, lifted)
    assert claim.modalities == ["asserted", "negated"]
    assert not claim.disputed and claim.disagreements == [] and claim.disagreement is None


def test_an_assertion_and_a_denial_about_the_same_day_disagree(db_path: Path, resources: Resources) -> None:
    shelled, first = report(
        "wire-0315", "2023-03-15", "Steppe Post", "Kazakhstan shelled a Pakistan convoy on 12 March.",
        "shelled", "195", "asserted", "2023-03-12",
    )
    denied, second = report(
        "times-0316", "2023-03-16", "Valley Times", "Kazakhstan did not shell a Pakistan convoy on 12 March.",
        "shell", "195", "negated", "2023-03-12",
    )
    claims_of(db_path, resources, shelled, denied)
    set_clusters(db_path, {first.id: None, second.id: None})  # no identity step: matched by claim and date
    (claim,) = claims_of(db_path, resources)
    assert claim.disputed and claim.disagreement == "asserted by Steppe Post; negated by Valley Times"
    (pair,) = claim.disagreements
    assert pair.asserted.outlet == "Steppe Post" and pair.denied.outlet == "Valley Times"
    assert "did not shell" in pair.denied.evidence.text and not pair.same_cluster


def test_possible_against_asserted_is_never_a_dispute(db_path: Path, resources: Resources) -> None:
    maybe, _ = report(
        "brief-0101", "2022-01-10", "Policy Brief", "Kazakhstan may expel Pakistan's envoy.",
        "expel", "174", "possible", None,
    )
    expelled, _ = report(
        "wire-0110", "2022-01-10", "Steppe Post", "Kazakhstan expelled Pakistan's envoy on Monday.",
        "expelled", "174", "asserted", "2022-01-10",
    )
    (claim,) = claims_of(db_path, resources, maybe, expelled)
    assert not claim.disputed


@pytest.mark.parametrize(("published", "disputed"), [("2021-06-03", True), ("2019-02-11", False)])
def test_an_undated_allegation_speaks_of_its_documents_date(
    db_path: Path, resources: Resources, published: str, disputed: bool
) -> None:
    seized, _ = report(
        "wire-0601", "2021-06-02", "Steppe Post", "Kazakhstan seized a Pakistan cargo ship in June 2021.",
        "seized", "1711", "asserted", "2021-06",
    )
    alleged, _ = report(
        "times-alleged", published, "Valley Times", "Kazakhstan seized a Pakistan cargo ship, officials alleged.",
        "seized", "1711", "alleged", None,
    )
    (claim,) = claims_of(db_path, resources, seized, alleged)
    assert claim.disputed is disputed


def test_a_present_denial_contradicts_an_earlier_assertion(db_path: Path, resources: Resources) -> None:
    opened, _ = report(
        "ledger-0305", "2020-03-05", "Daily Ledger", "Kazakhstan opened its border with Pakistan in March 2020.",
        "opened", "087", "asserted", "2020-03",
    )
    never, _ = report(
        "times-0420", "2020-04-20", "Valley Times", "Kazakhstan has not opened its border with Pakistan.",
        "opened", "087", "negated", None,
    )
    (claim,) = claims_of(db_path, resources, opened, never)
    assert claim.disputed


def test_event_clusters_tell_same_time_reports_of_different_events_apart(db_path: Path, resources: Resources) -> None:
    hosted, first = report(
        "wire-0901", "2019-09-01", "Steppe Post", "Kazakhstan hosted Pakistan's negotiators on 30 August.",
        "hosted", "043", "asserted", "2019-08-30",
    )
    denied, second = report(
        "times-0915", "2019-09-15", "Valley Times", "Kazakhstan did not host Pakistan's generals on 30 August.",
        "host", "043", "negated", "2019-08-30",
    )
    claims_of(db_path, resources, hosted, denied)
    set_clusters(db_path, {first.id: "talks", second.id: "generals"})
    assert not claims_of(db_path, resources)[0].disputed
    set_clusters(db_path, {first.id: "talks", second.id: "talks"})
    (claim,) = claims_of(db_path, resources)
    assert claim.disputed and claim.disagreements[0].same_cluster


def test_one_cluster_still_needs_the_same_time(db_path: Path, resources: Resources) -> None:
    not_yet, first = report(
        "ledger-0610", "2018-06-10", "Daily Ledger", "Kazakhstan has not yet signed the water accord with Pakistan.",
        "signed", "057", "negated", None,
    )
    signed, second = report(
        "wire-1102", "2018-11-02", "Steppe Post", "Kazakhstan signed the water accord with Pakistan on 1 November.",
        "signed", "057", "asserted", "2018-11-01",
    )
    claims_of(db_path, resources, not_yet, signed)
    set_clusters(db_path, {first.id: "accord", second.id: "accord"})
    assert not claims_of(db_path, resources)[0].disputed


def test_the_sources_command_lists_disputes_first_with_both_sentences(db_path: Path, resources: Resources) -> None:
    records = [
        report("a", "2023-03-15", "Steppe Post", "Kazakhstan shelled a Pakistan convoy on 12 March.", "shelled",
               "195", "asserted", "2023-03-12")[0],
        report("b", "2023-03-16", "Valley Times", "Kazakhstan did not shell a Pakistan convoy on 12 March.", "shell",
               "195", "negated", "2023-03-12")[0],
        report("c", "2023-05-01", "Policy Brief", "Kazakhstan praised Pakistan's mediation.", "praised", "051",
               "asserted", None)[0],
        report("d", "2023-05-02", "Daily Ledger", "Kazakhstan praised Pakistan's mediation again.", "praised", "051",
               "asserted", None)[0],
    ]
    claims_of(db_path, resources, *records)
    result = CliRunner().invoke(main, ["--db", str(db_path), "sources", "Kazakhstan", "Pakistan"])
    assert result.exit_code == 0, result.output
    assert result.output.index("DISPUTED") < result.output.index("051")
    assert "asserts: Steppe Post" in result.output and "denies:  Valley Times" in result.output
    assert "did not shell a Pakistan convoy" in result.output


def test_the_sources_page_shows_both_sides_of_a_dispute(db_path: Path, resources: Resources) -> None:
    shelled, _ = report("wire-0402", "2023-04-02", "Steppe Post", "Kazakhstan shelled a Pakistan depot on 1 April.",
                        "shelled", "195", "asserted", "2023-04-01")
    denied, _ = report("times-0403", "2023-04-03", "Valley Times",
                       "Kazakhstan did not shell a Pakistan <b>depot</b> on 1 April.", "shell", "195", "negated",
                       "2023-04-01")
    claims_of(db_path, resources, shelled, denied)
    with open_store(db_path) as store:
        status, _, body = get(WebApp(store, resources.ontology, resources.kb), "/dyad/kazakhstan/pakistan/sources")
    assert status == "200 OK"
    disagreeing = body[body.index('class="side-by-side disagreeing"'):]
    assert disagreeing.index("asserts") < disagreeing.index("Steppe Post") < disagreeing.index("denies")
    assert disagreeing.index("denies") < disagreeing.index("Valley Times")
    assert "&lt;b&gt;depot&lt;/b&gt;" in body and "<b>depot</b>" not in body
