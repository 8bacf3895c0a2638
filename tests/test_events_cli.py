"""The events and explain commands over a store written from sentences made up for the test."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.model import RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.store import open_store

TEXT = "In March 2023, Norway hosted Colombia in Oslo.\n\nEgypt did not criticize Israel."


def stored(resources: Resources, db_path: Path) -> None:
    raw = RawInput(doc_id="cli", path="cli.txt", format="txt", data=TEXT.encode(), meta={"published": "2024-05-10"})
    store = open_store(db_path)
    try:
        store.write(build_pipeline(resources, upto="event_context")(raw))
    finally:
        store.close()


def invoke(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_events_filters_by_actor_name_and_modality(resources: Resources, db_path: Path) -> None:
    stored(resources, db_path)
    code, output = invoke(db_path, "--json", "events", "--source", "Norway")
    rows = json.loads(output)
    assert code == 0 and [(r["source"], r["code"], r["target"], r["date"]) for r in rows] == [
        ("norway", "043", "colombia", "2023-03")
    ]
    code, output = invoke(db_path, "events", "--modality", "negated")
    assert code == 0 and "Egypt -> 111" in output and "did not criticize" in output


def test_explain_shows_the_chain(resources: Resources, db_path: Path) -> None:
    stored(resources, db_path)
    rows = json.loads(invoke(db_path, "--json", "events", "--code", "04")[1])
    code, output = invoke(db_path, "explain", rows[0]["id"])
    assert code == 0
    for part in ("source: Norway [norway]", "trigger: 'hosted' (route: subject; source subject, target object)",
                 "dictionary entry: verbs:", "Goldstein 2.8", "modality: asserted", "date: 2023-03",
                 "claimant: the author"):
        assert part in output
    negated = json.loads(invoke(db_path, "--json", "events", "--modality", "negated")[1])
    payload = json.loads(invoke(db_path, "--json", "explain", negated[0]["id"])[1])
    assert payload["modality"] == {"value": "negated", "cue": "not"}
    assert payload["trigger"]["route"] == "subject" and payload["dictionary_entry"]["id"].startswith("verbs:")


def test_bad_date_and_unknown_event_are_clear_errors(resources: Resources, db_path: Path) -> None:
    stored(resources, db_path)
    code, output = invoke(db_path, "events", "--since", "March")
    assert code != 0 and "--since" in output
    code, output = invoke(db_path, "explain", "no-such-id")
    assert code != 0 and "no event 'no-such-id'" in output
