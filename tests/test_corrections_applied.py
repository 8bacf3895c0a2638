"""The analyst's corrections hold in every view and export, and across re-ingesting."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dyadlens.cli import main

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent


def cli(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def series_count(db: Path) -> int:
    periods = cli(db, "--json", "series", "Russia", "Taliban", "--by", "year", "--modality", "any",
                  "--count", "reports")
    return sum(p["count"] for p in periods["points"])


def exported_ids(db: Path, tmp: Path) -> set[str]:
    out = tmp / "events.csv"
    cli(db, "export", "--table", "events", "--format", "csv", "-o", str(out))
    with out.open(encoding="utf-8") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


@pytest.fixture()
def corrected(tmp_path: Path, store_url: str) -> dict[str, Any]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article = corpus / "2021-10-moscow-talks.txt"
    shutil.copy(REPO / "examples" / "corpus" / article.name, article)
    sidecar = (REPO / "examples" / "corpus" / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    (corpus / "meta.jsonl").write_text("".join(f"{row}\n" for row in sidecar if article.name in row), encoding="utf-8")
    db = store_url  # a SQLite file or a PostgreSQL database
    cli(db, "ingest", str(corpus), "--json")
    events = cli(db, "--json", "events", "--source", "Russia", "--target", "Taliban", "--limit", "500", "--count",
                 "reports")
    assert len(events) >= 3
    rejected, recoded = events[0], events[1]
    before = {"series": series_count(db), "exported": exported_ids(db, tmp_path)}
    cli(db, "--json", "correct", rejected["id"], "--reject", "--note", "a report, not a new act")
    cli(db, "--json", "correct", recoded["id"], "--code", "036", "--note", "an offer, not a meeting")
    shown = cli(db, "--json", "show", article.stem)
    last = max(line["sentence_index"] for line in shown["lines"] if line["kind"] == "sentence")
    cli(db, "--json", "correct", "--add", f"{article.stem}:{last}", "--source", "China", "--target", "Taliban",
        "--code", "042", "--note", "the coders missed it")
    return {"db": db, "article": article, "corpus": corpus, "rejected": rejected, "recoded": recoded,
            "before": before, "tmp": tmp_path}


def check_views(c: dict[str, Any]) -> None:
    db = c["db"]
    listed = {e["id"]: e for e in cli(db, "--json", "events", "--limit", "500", "--count", "reports")}
    assert c["rejected"]["id"] not in listed
    assert listed[c["recoded"]["id"]]["code"] == "036"
    added = [e for e in listed.values() if e["coder"] == "analyst"]
    assert [(e["source"], e["target"], e["code"]) for e in added] == [("china", "taliban", "042")]
    timeline = cli(db, "--json", "timeline", "Russia", "Taliban")
    assert c["rejected"]["id"] not in json.dumps(timeline)
    assert series_count(db) == c["before"]["series"] - 1
    exported = exported_ids(db, c["tmp"])
    assert c["rejected"]["id"] not in exported and added[0]["id"] in exported


def test_corrections_hold_in_the_views_and_the_exports(corrected: dict[str, Any]) -> None:
    check_views(corrected)


def test_corrections_survive_re_ingesting_an_edited_document(corrected: dict[str, Any]) -> None:
    article: Path = corrected["article"]
    article.write_text(article.read_text(encoding="utf-8") + "\nA paragraph added by the editor.\n",
                       encoding="utf-8")
    report = cli(corrected["db"], "ingest", "--replace", str(corrected["corpus"]), "--json")
    assert report["stored"] == [article.stem]
    check_views(corrected)


def test_a_team_shares_corrections_as_a_file(corrected: dict[str, Any], tmp_path: Path) -> None:
    shared = tmp_path / "corrections.jsonl"
    cli(corrected["db"], "corrections", "--export", str(shared))
    rows = [json.loads(line) for line in shared.read_text(encoding="utf-8").splitlines()]
    assert sorted(row["action"] for row in rows) == ["add", "recode", "reject"]
    colleague = tmp_path / "colleague.db"
    cli(colleague, "ingest", str(corrected["corpus"]), "--json")
    assert "imported 3 new correction(s)" in cli(colleague, "corrections", "--import", str(shared))
    assert "imported 0 new correction(s)" in cli(colleague, "corrections", "--import", str(shared))
    check_views(corrected | {"db": colleague})


def test_a_correction_says_who_made_it_and_a_bad_file_is_refused(corrected: dict[str, Any], tmp_path: Path) -> None:
    event = cli(corrected["db"], "--json", "events", "--limit", "1")[0]
    saved = cli(corrected["db"], "--json", "correct", event["id"], "--modality", "possible", "--analyst", "R. Okafor")
    assert saved["analyst"] == "R. Okafor" and saved["action"] == "recode"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"action": "delete everything"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(corrected["db"]), "corrections", "--import", str(bad)])
    assert result.exit_code == 1 and "not a corrections file" in result.output
