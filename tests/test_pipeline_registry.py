"""The open pipeline: registered factories, pipeline configs checked at build
time, and an event coder from outside the package run through ``ingest
--workers 2`` and ``eval``, chosen by ``--pipeline``, by ``imports`` or by an
entry point."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dyadlens import registry
from dyadlens.pipeline import STAGES, PipelineConfig, PipelineConfigError, build_pipeline, planned_stages
from dyadlens.resources import Resources
from dyadlens.state import STATE_FIELDS
from dyadlens.store import open_store

REPO = Path(__file__).resolve().parent.parent
EXTENSIONS = Path(__file__).resolve().parent / "extensions"
DEFAULT_TOML = (REPO / "src" / "dyadlens" / "pipeline.toml").read_text(encoding="utf-8")


def keyword_config(imports: bool = True) -> str:
    """The default pipeline with the keyword coder of ``tests/extensions`` in place of the rule coder
    (and without the discourse stages that code more events after it: gatherings, event_context)."""
    text = DEFAULT_TOML.replace('factory = "dyadlens.events.rules.v1"', 'factory = "tests.events.keywords.v1"')
    for stage in ("gatherings", "event_context"):
        text = re.sub(rf'\[\[stage\]\]\nname = "{stage}"\nfactory = "[^"]+"\n', "", text)
    return ('imports = ["keyword_events"]\n' if imports else "") + text


def test_the_default_config_names_registered_factories_in_a_runnable_order() -> None:
    planned = planned_stages(PipelineConfig.default())
    assert tuple(stage.name for stage, _ in planned) == STAGES
    assert all(factory.name.startswith("dyadlens.") and factory.name[-3:-1] == ".v" for _, factory in planned)
    assert set(registry.names()) >= {factory.name for _, factory in planned}


def test_a_stage_whose_requirement_comes_later_is_refused_at_build() -> None:
    swapped = DEFAULT_TOML.replace('name = "parse"\nfactory = "dyadlens.parse.spacy.v1"', "TMP").replace(
        'name = "actors"\nfactory = "dyadlens.actors.kb.v1"', 'name = "parse"\nfactory = "dyadlens.parse.spacy.v1"'
    ).replace("TMP", 'name = "actors"\nfactory = "dyadlens.actors.kb.v1"')
    config = PipelineConfig.parse(swapped, source="swapped.toml")
    refused = r"swapped.toml: stage 'actors' .* requires doc, quote_spans, which no earlier"
    with pytest.raises(PipelineConfigError, match=refused):
        build_pipeline(Resources(), config=config)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[stage]]\nname = 'clean'\nfactory = 'nobody.v1'\n", "no component factory named 'nobody.v1'"),
        ("[[stage]]\nname = 'clean'\n", "needs a 'name' and a 'factory'"),
        ("[[stage]]\nname = 'a'\nfactory = 'dyadlens.clean.v1'\ncolour = 1\n", "unknown keys colour"),
        ("imports = ['no_such_module_here']\n[[stage]]\nname = 'a'\nfactory = 'dyadlens.clean.v1'\n", "cannot import"),
        ("title = 'no stages'\n", "no [[stage]] tables"),
        ("[[stage]\n", "not valid TOML"),
    ],
)
def test_bad_configs_are_clear_errors(text: str, problem: str) -> None:
    with pytest.raises(PipelineConfigError, match=problem.replace("[", r"\[")):
        planned_stages(PipelineConfig.parse(text, source="mine.toml"))


def test_upto_stops_after_a_stage_and_names_the_stages_it_knows() -> None:
    assert PipelineConfig.default().upto("sentences").stage_names == ("clean", "sentences")
    with pytest.raises(PipelineConfigError, match="stages are clean, sentences"):
        PipelineConfig.default().upto("parse").upto("quotes")


def test_registering_needs_real_state_fields_and_a_free_name() -> None:
    with pytest.raises(registry.RegistryError, match="colours not fields of the document state"):
        registry.component("tests.bad.v1", assigns=("colours",))
    with pytest.raises(registry.RegistryError, match="registered already"):
        registry.component("dyadlens.clean.v1", assigns=("regions",))(lambda resources: None)
    assert {"document", "events", "doc"} <= STATE_FIELDS


def _run(args: list[str], tmp_path: Path, extra_path: list[Path]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in extra_path)}
    command = [sys.executable, "-c", "from dyadlens.cli import run; run()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600, check=False)


@pytest.mark.slow
def test_an_outside_event_coder_runs_with_two_workers_and_through_eval(
    tmp_path: Path, examples_dir: Path, shared_dir: Path
) -> None:
    config = tmp_path / "keyword.toml"
    config.write_text(keyword_config(), encoding="utf-8")
    db = tmp_path / "k.db"
    ingest = ["--db", str(db), "--json", "ingest", "--pipeline", str(config), "--workers", "2", str(examples_dir)]
    done = _run(ingest, tmp_path, [EXTENSIONS])
    assert done.returncode == 0, done.stderr
    assert "events@keyword-1" in json.loads(done.stdout)["pipeline"]
    with open_store(db) as store:
        events = store.events()
        assert events and all(event.entry.startswith("keyword:") for event in events)
        assert store.integrity_check() == []

    gold = REPO / "examples" / "gold.jsonl"
    evaluated = _run(
        ["--json", "eval", "--pipeline", str(config), "--gold", str(gold), "--docs", str(examples_dir),
         "--actors", str(shared_dir / "eval" / "actors.tsv")],
        tmp_path,
        [EXTENSIONS],
    )
    assert evaluated.returncode == 0, evaluated.stderr
    strict = json.loads(evaluated.stdout)["layers"]["events_strict"]
    assert strict["system"] > 0 and 0 < strict["tp"] < strict["gold"]


@pytest.mark.slow
def test_an_entry_point_registers_a_factory_without_imports(tmp_path: Path, examples_dir: Path) -> None:
    site = tmp_path / "site"
    dist = site / "acme_keywords-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-keywords\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[dyadlens.components]\nkeywords = keyword_events\n", encoding="utf-8")
    config = tmp_path / "keyword.toml"
    config.write_text(keyword_config(imports=False), encoding="utf-8")
    db = tmp_path / "k.db"
    done = _run(
        ["--db", str(db), "ingest", "--pipeline", str(config), str(examples_dir / "2021-10-moscow-talks.txt")],
        tmp_path,
        [site, EXTENSIONS],
    )
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        assert store.events() and all(event.entry.startswith("keyword:") for event in store.events())


def test_record_kinds_are_declared_once_and_everything_agrees_with_them(tmp_path: Path) -> None:
    from dataclasses import fields

    from dyadlens.model import RECORD_KINDS, DocumentRecords
    from dyadlens.runner import COUNTED
    from dyadlens.state import DocState
    from dyadlens.store.codec import RECORD_TYPES
    from dyadlens.store.schema import RECORD_TABLES

    names = [kind.name for kind in RECORD_KINDS]
    assert [f.name for f in fields(DocumentRecords)] == ["document", *names]
    assert set(names) <= STATE_FIELDS and set(names) <= {f.name for f in fields(DocState)}
    assert [table.name for table in RECORD_TABLES] == names == list(RECORD_TYPES)
    assert set(COUNTED) <= set(names)
    with open_store(tmp_path / "kinds.db") as store:
        assert set(names) <= set(store.stats())
