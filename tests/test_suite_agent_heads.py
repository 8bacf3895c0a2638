"""In a PETRARCH suite's run, the head nouns of its agents dictionary stand for the actor that
qualifies them ("Arnor cleric" -> ARN + REL). The dictionaries are tiny invented ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import PETRARCH_UNITTEST, agent_heads, run_suites
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow

AGENTS = "CLERIC [~REL]\nHUMAN_RIGHTS_ACTIVIST [~OPP]\n"


def _folder(tmp_path: Path) -> Path:
    dictionaries = tmp_path / "dictionaries"
    dictionaries.mkdir()
    (dictionaries / "PETR.Validate.actors.txt").write_text("ARNOR [ARN]\nGONDOR [GON]\n", encoding="utf-8")
    (dictionaries / "PETR.Validate.agents.txt").write_text(AGENTS, encoding="utf-8")
    (dictionaries / "PETR.Validate.verbs.txt").write_text("--- CONDEMN [122] ---\nCONDEMN\n", encoding="utf-8")
    return dictionaries


def test_the_head_nouns_of_the_agent_terms(tmp_path: Path) -> None:
    assert agent_heads([_folder(tmp_path) / "PETR.Validate.agents.txt"]) == {"cleric", "activist"}


def test_an_agent_noun_qualified_by_a_state_stands_for_it(tmp_path: Path) -> None:
    _folder(tmp_path)
    row = {"id": "x", "suite": PETRARCH_UNITTEST, "text": "The Arnor cleric condemned Gondor on Monday.",
           "date": "19950105", "expected": [{"source": "ARNREL", "target": "GON", "event": "122"}]}
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [result] = run_suites(cases, lambda kb, verbs: Resources(kb_files=kb, verb_files=verbs))
    assert (result.exact.tp, result.exact.system) == (1, 1)
