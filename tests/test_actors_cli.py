"""``dyadlens actors``, ``actor`` and ``kb-check`` over a small store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.model import RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.store import open_store

DOCS = {
    "note-a": (
        "2022-03-01",
        "The Kremlin welcomed the Velmora Foundation report.\n\nMoscow said it was ready to talk.",
    ),
    "note-b": ("2023-07-15", "Russian diplomats met the Velmora Foundation in Kabul."),
}


@pytest.fixture(scope="module")
def db(resources, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("actors") / "store.db"
    pipeline = build_pipeline(resources, upto="actors")
    store = open_store(path)
    try:
        for doc_id, (published, text) in DOCS.items():
            store.write(pipeline(RawInput(doc_id, f"{doc_id}.txt", "txt", text.encode(), {"published": published})))
    finally:
        store.close()
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_actors_lists_counts_documents_and_dates(db: Path) -> None:
    rows = {r["id"]: r for r in json.loads(run("--db", str(db), "actors", "--json"))}
    russia = rows["russia"]
    assert (russia["mentions"], russia["documents"], russia["first"], russia["last"]) == (
        3,
        2,
        "2022-03-01",
        "2023-07-15",
    )
    assert all(r["resolved"] for r in rows.values())


def test_actors_unresolved_lists_unknown_names_by_frequency(db: Path) -> None:
    rows = json.loads(run("--db", str(db), "actors", "--unresolved", "--json"))
    assert rows[0]["id"] == "unresolved:velmora-foundation" and rows[0]["mentions"] == 2


def test_actors_type_filter(db: Path) -> None:
    output = run("--db", str(db), "actors", "--type", "state")
    assert "russia" in output and "velmora" not in output


def test_actor_shows_aliases_and_mentions_in_context(db: Path) -> None:
    output = run("--db", str(db), "actor", "the Kremlin")
    assert output.startswith("Russia [russia] state")
    assert "[Moscow]" in output and "capital-metonym" in output


def test_actor_unknown_name_fails_clearly(db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), "actor", "Nobody At All"])
    assert result.exit_code != 0 and "no actor" in result.output


def test_kb_check_reports_collisions_of_user_files(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("- {id: moscow-club, name: Moscow Club, type: ngo, aliases: [Kremlin]}\n", encoding="utf-8")
    report = json.loads(run("--kb", str(extra), "kb-check", "--json"))
    assert any(c["alias"] == "Kremlin" and "moscow-club" in c["ids"] for c in report["collisions"])


def test_kb_check_fails_on_a_broken_user_file(tmp_path: Path) -> None:
    extra = tmp_path / "broken.yaml"
    extra.write_text("- {id: zed, name: Zed, type: state, part_of: [nowhere]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--kb", str(extra), "kb-check"])
    assert result.exit_code != 0 and "broken.yaml" in result.output and "nowhere" in result.output
