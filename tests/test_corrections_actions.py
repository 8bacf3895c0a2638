"""The corrections beyond an event's code: redate, actor merge and alias, outlet, report merge and split,
and the export of corrected sentences as training sources. Each one is made through the CLI on
the hand-written analysis corpus, and must hold after its documents are written again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from analysis_corpus import DocBuilder, corpus, ledger
from dyadlens.cli import main
from dyadlens.model import ActorRef, DocumentRecords, Mention, stable_id, unresolved_id
from dyadlens.store import open_store

VELMORA = unresolved_id("Velmora Foundation")


def velmora() -> DocumentRecords:
    """A document naming an organisation the KB does not know."""
    doc = DocBuilder("velmora-0610", ["The Velmora Foundation sent medicine to the Taliban in June 2024."],
                     "2024-06-10", "Aid Monitor", "Medicine for Kabul")
    doc.mention(0, "Taliban", "taliban")
    start, end = doc.span(0, "Velmora Foundation")
    doc.records.mentions.append(Mention(stable_id("velmora", start, "m"), doc.doc_id, start, end, 0, VELMORA, "ORG",
                                        "unresolved"))
    doc.records.actors.append(ActorRef(VELMORA, "Velmora Foundation", "unknown", resolved=False))
    doc.event(0, "sent", VELMORA, "taliban", "073", "asserted", "2024-06")
    return doc.records


def write(db: Path, *documents: DocumentRecords) -> None:
    store = open_store(db)
    try:
        for records in documents:
            store.write(records, replace=True)
    finally:
        store.close()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    write(path, *corpus(), velmora())
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def cli(db: Path, *args: str) -> Any:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def events_of(db: Path, doc_id: str) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in cli(db, "--json", "events", "--doc", doc_id, "--limit", "100")}


def event_id(db: Path, doc_id: str, code: str) -> str:
    [found] = [e["id"] for e in events_of(db, doc_id).values() if e["code"] == code]
    return str(found)


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_redate_and_recode_in_one_go_hold_after_a_rewrite(db: Path) -> None:
    listing = event_id(db, "ledger-0312", "172")
    saved = cli(db, "--json", "correct", listing, "--date", "2003-02", "--code", "173", "--note", "the decree",
                "--analyst", "R. Okafor")
    assert [(c["action"], c["was_date"], c["date"], c["analyst"]) for c in saved] == [
        ("recode", None, None, "R. Okafor"), ("redate", "2003", "2003-02", "R. Okafor")]
    write(db, ledger())
    event = events_of(db, "ledger-0312")[listing]
    assert (event["code"], event["date"]) == ("173", "2003-02")
    assert run(db, "correct", listing, "--date", "2003-15").exit_code == 1


def test_an_actor_merge_holds_in_every_document_and_in_later_ones(db: Path) -> None:
    saved = cli(db, "--json", "correct", "actor", "merge", "TTP", "Taliban", "--note", "one movement")
    assert (saved["action"], saved["doc_id"], saved["source"], saved["value"]) == ("actor_merge", "", "ttp", "taliban")
    for table, column in [("events", "target"), ("mentions", "actor_id")]:
        assert rows(db, f"select count(*) from {table} where {column} = 'ttp'") == [(0,)]
    write(db, ledger(), *corpus())
    assert rows(db, "select count(*) from mentions where actor_id = 'ttp'") == [(0,)]
    assert rows(db, "select count(*) from actors where id = 'ttp'") == [(0,)]
    assert rows(db, "select count(*) from mentions where actor_id = 'taliban' and doc_id = 'ledger-0312'") == [(5,)]


def test_an_alias_resolves_an_unknown_name_in_events_mentions_and_quotes(db: Path) -> None:
    assert run(db, "correct", "actor", "alias", "Nobody Known", "Russia").exit_code == 1
    cli(db, "correct", "actor", "alias", "Velmora Foundation", "Pakistan", "--note", "a state charity")
    write(db, velmora())
    [event] = events_of(db, "velmora-0610").values()
    assert (event["source"], event["target"]) == ("pakistan", "taliban")
    assert rows(db, f"select count(*) from mentions where actor_id = '{VELMORA}'") == [(0,)]
    timeline = cli(db, "--json", "timeline", "Pakistan", "Taliban")
    assert event["id"] in json.dumps(timeline)


def test_an_outlet_correction_holds_after_a_rewrite(db: Path) -> None:
    assert run(db, "correct", "outlet", "no-such-doc", "X").exit_code == 1
    cli(db, "correct", "outlet", "frontier-0402", "Frontier Weekly", "--note", "masthead")
    write(db, *corpus())
    assert rows(db, "select outlet from documents where id = 'frontier-0402'") == [("Frontier Weekly",)]
    assert [c["action"] for c in cli(db, "--json", "corrections")] == ["outlet"]


def test_merge_and_split_record_both_reports_by_evidence(db: Path) -> None:
    delisting, denial = event_id(db, "ledger-0312", "081"), event_id(db, "frontier-0402", "081")
    merged = cli(db, "--json", "correct", "merge", delisting, denial, "--note", "one delisting")
    other = json.loads(merged["other"])
    assert (merged["action"], merged["doc_id"], merged["code"]) == ("merge", "ledger-0312", "081")
    assert (other["doc_id"], other["code"], other["source"], other["target"]) == (
        "frontier-0402", "081", "russia", "taliban")
    clusters = rows(db, f"select distinct cluster from events where id in ('{delisting}', '{denial}')")
    assert len(clusters) == 1 and clusters[0][0] is not None  # the clusters follow the merge at once
    split = cli(db, "--json", "correct", "split", delisting, event_id(db, "ledger-0312", "172"))
    assert split["action"] == "split" and json.loads(split["other"])["code"] == "172"
    assert run(db, "correct", "merge", delisting, delisting).exit_code == 1
    assert run(db, "correct", "split", delisting, "no-such-event").exit_code == 1


def test_a_colleague_imports_store_wide_corrections(db: Path, tmp_path: Path) -> None:
    cli(db, "correct", "actor", "merge", "TTP", "Taliban")
    shared = tmp_path / "corrections.jsonl"
    cli(db, "corrections", "--export", str(shared))
    colleague = tmp_path / "colleague.db"
    write(colleague, *corpus())
    assert "imported 1 new correction(s)" in cli(colleague, "corrections", "--import", str(shared))
    assert rows(colleague, "select count(*) from mentions where actor_id = 'ttp'") == [(0,)]


def test_corrected_sentences_export_as_training_sources_that_the_checker_accepts(db: Path, tmp_path: Path) -> None:
    cli(db, "correct", event_id(db, "ledger-0312", "112"), "--reject")
    cli(db, "correct", event_id(db, "frontier-0402", "071"), "--code", "0711", "--date", "2023-01-15")
    folder = tmp_path / "training"
    assert "wrote 2 corrected sentence(s) in 2 source(s)" in cli(db, "corrections", "--training", str(folder))
    ledger_source = (folder / "ledger-0312.dyad").read_text(encoding="utf-8")
    assert "[[Pakistan]] accused the [[Taliban]] of sheltering [[TTP]] fighters" in ledger_source
    assert " > " not in ledger_source  # the rejected event is gone: its pair is a "no event" example
    frontier_source = (folder / "frontier-0402.dyad").read_text(encoding="utf-8")
    assert "  Russia > Taliban 0711 asserted 2023-01-15" in frontier_source.splitlines()
    checked = subprocess.run([sys.executable, "-m", "dyadlens.learned.corpus", "check", str(folder)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("ok: ") == 2


def test_a_shared_merge_that_names_no_second_report_is_refused(db: Path, tmp_path: Path) -> None:
    delisting = event_id(db, "ledger-0312", "081")
    merged = cli(db, "--json", "correct", "merge", delisting, event_id(db, "frontier-0402", "081"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({**merged, "id": "other-id", "other": "not json"}) + "\n", encoding="utf-8")
    result = run(db, "corrections", "--import", str(broken))
    assert result.exit_code == 1 and "not a corrections file" in result.output and "Traceback" not in result.output
