"""dyadlens train: corrections become training pairs; new weights are installed only when better."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dyadlens.cli import main

pytestmark = pytest.mark.slow
pytest.importorskip("torch", reason="dyadlens train needs the train extra (torch)")

# Sentences the shipped coder codes as events; the analyst of this store rejects every one.
PAIRS = [("Chile", "Peru"), ("Kenya", "Uganda"), ("Norway", "Sweden"), ("Egypt", "Jordan"), ("Japan", "Vietnam"),
         ("Ghana", "Togo"), ("Brazil", "Argentina"), ("Poland", "Lithuania"), ("India", "Nepal"),
         ("Morocco", "Tunisia"), ("Canada", "Mexico"), ("Spain", "Portugal")]


def cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


@pytest.fixture()
def corrected_store(tmp_path: Path) -> Path:
    text = "\n\n".join(f"{a} and {b} signed a fisheries agreement in Geneva on Monday." for a, b in PAIRS)
    article = tmp_path / "fisheries.txt"
    article.write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    cli("--db", str(db), "--coder", "model", "ingest", str(article), "--json")
    events = cli("--db", str(db), "--json", "events", "--limit", "500")
    assert len({e["sentence"] for e in events}) >= 10, "the shipped coder codes these sentences"
    for event in events:
        cli("--db", str(db), "--json", "correct", event["id"], "--reject", "--note", "not an event in this store")
    return db


def test_corrections_are_listed_and_name_their_sentence(corrected_store: Path) -> None:
    found = cli("--db", str(corrected_store), "--json", "corrections")
    assert found and {c["action"] for c in found} == {"reject"}
    assert all(c["end"] > c["start"] and c["event_id"] for c in found)


def test_weights_that_do_not_beat_the_current_coder_are_not_installed(corrected_store: Path) -> None:
    report = cli("--db", str(corrected_store), "--json", "train", "--epochs", "0", "--corpus-share", "0")
    assert report["installed"] is False
    assert report["new"] == report["current"]
    from dyadlens.store import open_store
    from dyadlens.store.corrections import active_weights

    with open_store(corrected_store) as store:
        assert active_weights(store) is None


def test_weights_that_learn_the_corrections_are_installed_for_this_store(corrected_store: Path) -> None:
    report = cli("--db", str(corrected_store), "--json", "train", "--epochs", "6", "--corpus-share", "0")
    assert report["held_out_pairs"] >= 3
    assert report["new"] > report["current"] and report["installed"] is True
    from dyadlens.cli.app import with_store_coder
    from dyadlens.store import open_store
    from dyadlens.store.corrections import active_weights

    with open_store(corrected_store) as store:
        stored = active_weights(store)
        assert stored is not None and stored.report["new"] == report["new"]
        config = with_store_coder(None, store)
    assert config is not None
    [learned] = [stage for stage in config.stages if stage.name == "learned"]
    assert stored.id in learned.options["weights"]
