"""System output in the gold format: records -> gold lines, through the store and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.errors import InputError
from dyadlens.evaluation.gold import export_gold_lines, read_gold_lines, records_to_gold, write_gold_lines
from dyadlens.model import ActorRef, Designation, Document, DocumentRecords, Event, Mention, Quote, Sentence

TEXT = 'Borduria banned the Zmyhk Front in 2018. "We will not talk to them," the Bordurian envoy said.'
QUOTED = "We will not talk to them,"


def make_records() -> DocumentRecords:
    first_end = TEXT.index(".") + 1
    second_start = first_end + 1
    quote_start = TEXT.index(QUOTED)
    return DocumentRecords(
        document=Document(id="b1", path="b1.txt", format="txt", text=TEXT, published="2020-02"),
        sentences=[Sentence("s0", "b1", 0, 0, first_end, 0), Sentence("s1", "b1", 1, second_start, len(TEXT), 0)],
        actors=[
            ActorRef("borduria", "Borduria", "state"),
            ActorRef("zmyhk-front", "Zmyhk Front", "armed_group"),
            ActorRef("syldavia", "Syldavia", "state"),
            ActorRef("unresolved:envoy", "envoy", "unknown", resolved=False),
        ],
        mentions=[
            Mention("m2", "b1", 20, 31, 0, "zmyhk-front", "ORG", "alias"),
            Mention("m1", "b1", 0, 8, 0, "borduria", "GPE", "alias"),
            Mention("m3", "b1", 80, 85, 1, "unresolved:envoy", "PERSON", "none"),
        ],
        events=[Event("e1", "b1", 0, first_end, 0, 9, 15, "borduria", "zmyhk-front", "172", "asserted", "2018")],
        quotes=[Quote("q1", "b1", quote_start, quote_start + len(QUOTED), 1, "direct", "envoy", "borduria")],
        designations=[Designation("d1", "b1", 0, first_end, "borduria", "zmyhk-front", "listed", "2018")],
    )


def test_records_become_one_gold_line_with_offsets() -> None:
    line = records_to_gold(make_records())
    assert line["doc"] == "b1" and line["published"] == "2020-02"
    assert line["actors"] == ["Borduria", "Zmyhk Front"]  # first-mention order; unmentioned and unresolved left out
    assert line["events"] == [{
        "sentence": "Borduria banned the Zmyhk Front in 2018.", "source": "Borduria", "target": "Zmyhk Front",
        "cameo": "17", "code": "172", "modality": "asserted", "date": "2018", "start": 0, "end": 40}]
    assert line["quotes"][0]["text"] == QUOTED
    assert line["quotes"][0]["speaker_actor"] == "Borduria"
    assert TEXT[line["quotes"][0]["start"]:line["quotes"][0]["end"]] == QUOTED
    assert line["designations"][0] == {
        "designator": "Borduria", "designee": "Zmyhk Front", "status": "listed", "date": "2018",
        "sentence": "Borduria banned the Zmyhk Front in 2018.", "start": 0, "end": 40}


def test_gold_lines_round_trip_through_the_store(tmp_path: Path) -> None:
    from dyadlens.store import open_store

    with open_store(tmp_path / "s.db") as store:
        store.write(make_records())
        lines = list(export_gold_lines(store))
    assert lines == [records_to_gold(make_records())]


def test_a_broken_gold_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc": "a"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl: line 2"):
        read_gold_lines(path)


def write_fixture(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "b1.txt").write_text(TEXT, encoding="utf-8")
    line = records_to_gold(make_records())
    gold, system = tmp_path / "gold.jsonl", tmp_path / "system.jsonl"
    write_gold_lines([line], gold)
    write_gold_lines([{**line, "events": []}], system)
    actors = tmp_path / "actors.tsv"
    actors.write_text("name\ttype\taliases\nBorduria\tstate\tBordurian\nZmyhk Front\tarmed_group\t\n", "utf-8")
    return docs, gold, system, actors


def test_score_command_prints_counts_and_errors(tmp_path: Path) -> None:
    docs, gold, system, actors = write_fixture(tmp_path)
    args = ["score", str(system), str(gold), "--docs", str(docs), "--actors", str(actors), "--errors", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["layers"]["events_strict"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "system": 0, "gold": 1}
    assert payload["layers"]["quotes"]["f1"] == 1.0
    assert [e["kind"] for e in payload["errors"]] == ["miss"]
    table = CliRunner().invoke(main, args[:-1])
    assert "events_strict" in table.output and "Borduria banned" in table.output


def test_score_command_without_an_actors_table_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs, gold, system, _ = write_fixture(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["score", str(system), str(gold), "--docs", str(docs)])
    assert result.exit_code != 0
    assert "actors table not found" in result.output


def test_evaluate_ingests_exports_and_scores(tmp_path: Path) -> None:
    """The harness end to end, with the pipeline stopped after sentence splitting (no model)."""
    from dyadlens.evaluation.harness import evaluate
    from dyadlens.resources import Resources

    docs, gold, _, actors = write_fixture(tmp_path)
    report = evaluate(gold, docs, Resources(), actors, upto="sentences")
    assert [d.doc for d in report.documents] == ["b1"]
    assert (report.counts("events_strict").gold, report.counts("events_strict").system) == (1, 0)
    assert report.counts("actors").gold == 2
    assert report.warnings == []


def test_gold_export_maps_statuses_onto_the_six_of_the_guidelines() -> None:
    from dyadlens.model import ActorRef, Designation, Document, DocumentRecords

    text = "A court in Ruritania suspended the ban on the Blue Front. Ruritania accepted the envoy."
    designation = Designation(
        id="d1", doc_id="doc", start=0, end=57, designator="ruritania", designee="blue-front", status="ban_suspended"
    )
    accredited = Designation(
        id="d2", doc_id="doc", start=58, end=87, designator="ruritania", designee="blue-front",
        status="ambassador_accredited",
    )
    records = DocumentRecords(
        document=Document(id="doc", path="doc.txt", format="txt", text=text),
        actors=[ActorRef("ruritania", "Ruritania", "state"), ActorRef("blue-front", "Blue Front", "armed_group")],
        designations=[designation, accredited],
    )
    line = records_to_gold(records)
    assert [(d["status"], d["designee"]) for d in line["designations"]] == [("delisted", "Blue Front")]
