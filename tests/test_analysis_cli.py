"""The analysis commands: readable tables on a terminal, JSON with --json, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analysis_corpus import build_store
from dyadlens.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("cli") / "corpus.db")


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_timeline_table_wraps_evidence_under_each_event(db: Path) -> None:
    result = run(db, "timeline", "Russia", "Taliban")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Russia – Taliban (any modality): 5 events"
    assert any(line.startswith("2003") and "172" in line for line in lines)
    assert "      Russia had listed the Taliban as a terrorist organisation in 2003." in lines
    assert "(ledger-0312 [80:146])" in result.output
    assert "placed at the document's publication date" in result.output
    assert max(len(line) for line in lines if line.startswith("      ")) <= 100


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["--json", "timeline", "russia", "taliban"], "events"),
        (["series", "russia", "taliban", "--by", "year", "--json"], "points"),
        (["--json", "network", "--since", "2024"], "edges"),
        (["profile", "taliban", "--json"], "partners"),
        (["--json", "sources", "russia", "taliban"], "claims"),
        (["search", "Taliban", "--actor", "Pakistan", "--json"], "results"),
    ],
)
def test_json_output_for_machines(db: Path, args: list[str], key: str) -> None:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[key]


def test_series_table_and_modality_option(db: Path) -> None:
    asserted = run(db, "series", "russia", "taliban", "--by", "quarter")
    assert asserted.exit_code == 0 and "2024-Q1" in asserted.output and "2024-Q2" not in asserted.output
    everything = run(db, "series", "russia", "taliban", "--by", "quarter", "--modality", "any")
    assert "2024-Q2" in everything.output


def test_sources_marks_disputed_claims(db: Path) -> None:
    result = run(db, "sources", "russia", "taliban")
    assert "DISPUTED: asserted by The Daily Ledger; negated by Frontier Review" in result.output
    by_code = run(db, "sources", "--code", "043")
    assert "Kazakhstan -> Taliban  043" in by_code.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "Atlantis", "Taliban"], "no actor named 'Atlantis'"),
        (["sources", "russia"], "give two actors"),
        (["series", "russia", "taliban", "--by", "decade"], "Invalid value"),
        (["search", " "], "empty search query"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(db: Path, args: list[str], message: str) -> None:
    result = run(db, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_commands_need_an_existing_store(tmp_path: Path) -> None:
    result = run(tmp_path / "missing.db", "network")
    assert result.exit_code != 0 and "no store" in result.output
    assert not (tmp_path / "missing.db").exists()
