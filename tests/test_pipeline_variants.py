"""Ablations: a pipeline less one stage, or with one option set, from ``eval --without/--set``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.pipeline import PipelineConfig, PipelineConfigError, planned_stages

pytestmark = pytest.mark.fast


def test_without_leaves_one_stage_out_and_keeps_the_rest_in_order() -> None:
    default = PipelineConfig.default()
    varied = default.without("designations")
    assert varied.stage_names == tuple(n for n in default.stage_names if n != "designations")
    assert "without designations" in varied.source
    assert "designations" in default.stage_names  # the default itself is untouched


def test_leaving_out_a_stage_others_need_is_refused_when_the_plan_is_checked() -> None:
    varied = PipelineConfig.default().without("parse")
    with pytest.raises(PipelineConfigError, match="requires"):
        planned_stages(varied, None)


def test_with_option_sets_one_stage_option_only() -> None:
    default = PipelineConfig.default()
    varied = default.with_option("timeline", "example_switch", False)
    changed = {s.name: dict(s.options) for s in varied.stages}
    assert changed["timeline"]["example_switch"] is False
    assert all("example_switch" not in s.options for s in varied.stages if s.name != "timeline")
    with pytest.raises(PipelineConfigError, match="unknown stage 'nowhere'"):
        default.with_option("nowhere", "x", 1)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--without", "nowhere"], "unknown stage 'nowhere'"),
        (["--set", "timeline=false"], "expected STAGE.OPTION=VALUE"),
        (["--without", "sentences"], "requires"),
    ],
)
def test_eval_refuses_a_bad_variant_before_reading_anything(tmp_path: Path, args: list[str], problem: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--docs", str(tmp_path), *args])
    assert result.exit_code == 2
    assert problem in result.output
