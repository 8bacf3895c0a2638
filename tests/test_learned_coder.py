"""The learned coder as a pipeline stage: rules, model and hybrid, chosen by --coder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.model import RawInput
from dyadlens.pipeline import PipelineConfig, build_pipeline
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow

ARTICLE = """Ministers meet in Ankara as Kyiv and Moscow trade accusations

ANKARA, March 3 — Turkey hosted the foreign ministers of Ukraine and Russia on Tuesday for talks on a prisoner exchange.
Ukraine accused Russia of shelling a hospital in Kharkiv, and Russia denied the charge.
Poland said it would send more air defence systems to Ukraine next month.
The European Union urged both sides to respect the ceasefire that Qatar helped broker in January.
"""


def cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("learned")
    path = folder / "ankara.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def events_with(coder: str, article: Path, tmp: Path, *extra: str) -> list[dict[str, Any]]:
    db = tmp / f"{coder}-{len(extra)}.db"
    cli("--db", str(db), "--coder", coder, *extra, "ingest", str(article), "--json")
    return list(cli("--db", str(db), "--json", "events", "--limit", "500"))


def test_the_rules_mode_changes_nothing(article: Path, tmp_path: Path) -> None:
    with_stage = events_with("rules", article, tmp_path)
    db = tmp_path / "without.db"
    cli("--db", str(db), "ingest", str(article), "--json")
    assert with_stage and with_stage == list(cli("--db", str(db), "--json", "events", "--limit", "500"))
    assert {e["coder"] for e in with_stage} == {"rules"}


def test_the_model_mode_keeps_only_the_models_events_each_with_its_score(article: Path, tmp_path: Path) -> None:
    found = events_with("model", article, tmp_path)
    assert found, "the model codes events in this article"
    explained = cli("--db", str(tmp_path / "model-0.db"), "--json", "explain", found[0]["id"])
    assert explained["coder"] == "model" and explained["dictionary_entry"]["id"] == "model"
    for event in found:
        assert event["coder"] == "model"
        assert 0.5 <= event["confidence"] <= 1.0
        assert event["source"] != event["target"]
        assert event["date"] is None or event["date"].startswith("20")


def test_the_hybrid_keeps_the_rules_and_adds_pairs_they_did_not_code(article: Path, tmp_path: Path) -> None:
    rules = events_with("rules", article, tmp_path)
    hybrid = events_with("hybrid", article, tmp_path)
    rule_ids = {e["id"] for e in rules}
    assert rule_ids <= {e["id"] for e in hybrid}
    coded = {(e["sentence"], frozenset((e["source"], e["target"]))) for e in rules}
    for added in (e for e in hybrid if e["id"] not in rule_ids):
        assert added["coder"] == "model"
        assert (added["sentence"], frozenset((added["source"], added["target"]))) not in coded


def test_a_higher_threshold_never_adds_model_events(article: Path, resources: Resources) -> None:
    def model_events(threshold: float) -> dict[str, float]:
        config = PipelineConfig.default().with_option("learned", "mode", "model")
        pipeline = build_pipeline(resources, config=config.with_option("learned", "threshold", threshold))
        records = pipeline(RawInput(doc_id="ankara", path=str(article), format="txt", data=article.read_bytes(),
                                    meta={"published": "2026-03-03"}))
        return {e.id: e.confidence for e in records.events}

    low, strict = model_events(0.3), model_events(0.9)
    assert len(low) > len(strict)
    assert set(strict) <= set(low)
    assert all(score >= 0.9 for score in strict.values())


def test_an_unknown_mode_and_a_pipeline_without_the_stage_are_clear_errors(article: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "--coder", "oracle", "ingest", str(article)])
    assert result.exit_code == 2 and "oracle" in result.output
    pipeline = tmp_path / "short.toml"
    pipeline.write_text('[[stage]]\nname = "clean"\nfactory = "dyadlens.clean.v1"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "y.db"), "--coder", "model", "ingest",
                                       "--pipeline", str(pipeline), str(article)])
    assert result.exit_code == 2 and "unknown stage 'learned'" in result.output
