"""What an analyst meets at the terminal: clean one-line errors, consistent flags, readable text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analysis_corpus import build_store
from dyadlens.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("ux") / "corpus.db")


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def assert_clean_error(result: Result, exit_code: int, words: str) -> None:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    error_lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1 and words in error_lines[0], result.output


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--source", "Nobody Atall"),
        ("events", "--target", "Nobody Atall"),
        ("quotes", "--actor", "Nobody Atall"),
        ("status", "Russia", "Nobody Atall"),
        ("timeline", "Russia", "Nobody Atall"),
        ("profile", "Nobody Atall"),
        ("sources", "Nobody Atall", "Russia"),
    ],
)
def test_an_unknown_actor_is_an_error_not_an_empty_list(db: Path, args: tuple[str, ...]) -> None:
    assert_clean_error(run(db, *args), 1, "no actor named 'Nobody Atall'")


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--since", "2025-13"),
        ("events", "--until", "junk"),
        ("timeline", "Russia", "Taliban", "--since", "2024-02-30"),
        ("network", "--until", "2024-00"),
        ("search", "ban", "--since", "24"),
        ("status", "Russia", "Taliban", "--as-of", "March 2024"),
        ("export-events", "--format", "gdelt", "-o", "-", "--since", "2024-1"),
    ],
)
def test_a_bad_date_is_refused_with_one_line(db: Path, args: tuple[str, ...]) -> None:
    assert_clean_error(run(db, *args), 2, "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


@pytest.mark.parametrize("args", [("events", "--doc", "no-such-doc"), ("quotes", "--doc", "no-such-doc"),
                                  ("search", "ban", "--doc", "no-such-doc"), ("show", "no-such-doc")])
def test_an_unknown_document_is_an_error(db: Path, args: tuple[str, ...]) -> None:
    assert_clean_error(run(db, *args), 1, "no document 'no-such-doc'")


def test_a_missing_store_is_one_clean_line(tmp_path: Path) -> None:
    for args in (("events",), ("timeline", "Russia", "Taliban"), ("status", "Russia", "Taliban")):
        assert_clean_error(run(tmp_path / "absent.db", *args), 1, "no store at")
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("events",),
        ("quotes",),
        ("status", "Russia", "Taliban"),
        ("docs",),
        ("actors",),
        ("timeline", "Russia", "Taliban"),
    ],
)
def test_json_works_after_the_command_and_before_it(db: Path, args: tuple[str, ...]) -> None:
    after = run(db, *args, "--json")
    before = run(db, "--json", *args)
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)


def test_explain_has_its_own_json_flag_and_names_the_claimant(db: Path) -> None:
    events = json.loads(run(db, "events", "--json").stdout)
    claimed = next(e for e in events if e["claimant"])
    payload = json.loads(run(db, "explain", claimed["id"], "--json").stdout)
    assert payload["event"] == claimed["id"]
    text = run(db, "explain", claimed["id"]).stdout
    assert "claimant: Russia" in text
    assert "(claimed by Russia)" in " ".join(run(db, "events", "--source", "russia").stdout.split())


def test_status_json_names_both_actors(db: Path) -> None:
    payload = json.loads(run(db, "status", "Russia", "Taliban", "--json").stdout)
    assert (payload["designator_name"], payload["designee_name"]) == ("Russia", "Taliban")
    assert [s["status"] for s in payload["steps"]] == ["listed", "delisted"]


def test_sources_of_a_dyad_and_of_a_code(db: Path) -> None:
    dyad = run(db, "sources", "Russia", "Taliban")
    assert dyad.exit_code == 0, dyad.output
    assert "DISPUTED: asserted by The Daily Ledger; negated by Frontier Review" in dyad.stdout
    code = json.loads(run(db, "sources", "--code", "081", "--json").stdout)
    assert {c["base_code"] for c in code["claims"]} == {"081"}


def test_export_takes_the_output_as_an_argument(db: Path, tmp_path: Path) -> None:
    to_stdout = run(db, "export", "--table", "events", "-")
    assert to_stdout.exit_code == 0, to_stdout.output
    rows = [json.loads(line) for line in to_stdout.stdout.splitlines()]
    assert len(rows) == 8 and all("code" in r for r in rows)
    target = tmp_path / "events.csv"
    assert run(db, "export", "--table", "events", "--format", "csv", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("id,doc_id,")


def test_docs_lists_oldest_first(db: Path) -> None:
    ids = [d["id"] for d in json.loads(run(db, "docs", "--json").stdout)]
    assert ids == ["ledger-0312", "frontier-0402", "hostile-0505"]


def test_network_text_names_its_period_and_modality(db: Path) -> None:
    everything = run(db, "network").stdout
    assert everything.startswith("Actor network, all dates (asserted):")
    empty = run(db, "network", "--since", "2030")
    assert empty.stdout.strip() == "Actor network, from 2030 (asserted): 0 actors, 0 edges"


def test_profile_says_none_for_empty_sections(db: Path) -> None:
    text = run(db, "profile", "Kazakhstan").stdout
    assert text.startswith("Kazakhstan [kazakhstan] state")
    assert "As target:\n  none" in text and "Designations:\n  none" in text


def test_terminal_lines_stay_within_100_columns(db: Path) -> None:
    for args in (("events",), ("quotes",), ("status", "Russia", "Taliban"), ("timeline", "Russia", "Taliban"),
                 ("explain", json.loads(run(db, "events", "--json").stdout)[0]["id"])):
        long_lines = [line for line in run(db, *args).stdout.splitlines() if len(line) > 100]
        assert not long_lines, (args, long_lines)


def test_show_names_the_sentences_a_repeat_copies(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    paragraph = "The border crossing reopened on Monday. Traders queued from dawn."
    text = f"{paragraph}\n\nOfficials promised longer hours.\n\n{paragraph}\n"
    (tmp_path / "in" / "crossing.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "repeat.db"
    assert run(db, "ingest", str(tmp_path / "in"), "--upto", "sentences").exit_code == 0
    assert "[excluded repeat: repeat of sentences 0-1]" in run(db, "show", "crossing").stdout


def test_the_manual_has_a_section_for_every_command() -> None:
    manual = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `dyadlens ([a-z-]+)", manual, flags=re.MULTILINE))
    assert documented == set(main.commands)


def test_series_shows_the_stretches_without_events(db: Path) -> None:
    lines = run(db, "series", "Russia", "Taliban", "--by", "year").stdout.splitlines()
    periods = [line.split("  ")[0] for line in lines[4:]]
    assert periods == ["2003", "2004 to 2022", "2023", "2024"]
    assert lines[5].split() == ["2004", "to", "2022", "0"]


def test_sources_without_a_dyad_or_a_code_is_a_usage_error(db: Path) -> None:
    assert_clean_error(run(db, "sources"), 2, "give two actors (A B), or --code CAMEO")


def test_show_wraps_long_sentences_under_their_number_on_a_terminal() -> None:
    from dyadlens.cli.render import fit as _fit

    line = "  12 | " + " ".join(["convoy"] * 30)
    wrapped = _fit(line, 60).splitlines()
    assert wrapped[0].startswith("  12 | ") and all(w.startswith("     | ") for w in wrapped[1:])
    assert max(len(w) for w in wrapped) <= 60
    assert _fit(line, None) == line
