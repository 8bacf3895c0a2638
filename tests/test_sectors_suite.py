"""The PETRARCH suites scored on full actor codes, with the suite's own dictionaries deciding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import PETRARCH_UNITTEST, run_suites
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow

ACTORS = "ARNOR [ARN]\nGONDOR [GON]\nFRANCE [FRX]\n"
AGENTS = "SOLDIER [~MIL]\nCHARITY_WORKER [NGO~]\n"


def _dictionaries(folder: Path) -> Path:
    folder.mkdir()
    (folder / "PETR.Validate.actors.txt").write_text(ACTORS, encoding="utf-8")
    (folder / "PETR.Validate.agents.txt").write_text(AGENTS, encoding="utf-8")
    (folder / "PETR.Validate.verbs.txt").write_text("--- CONDEMN [122] ---\nCONDEMN\n", encoding="utf-8")
    return folder


def test_the_unit_test_suite_is_scored_on_sector_codes(tmp_path: Path) -> None:
    folder = _dictionaries(tmp_path / "dictionaries")
    rows = [
        {"id": "a", "suite": PETRARCH_UNITTEST, "text": "Arnor soldiers condemned Gondor.", "date": "19950105",
         "expected": [{"source": "ARNMIL", "target": "GON", "event": "122"}]},
        {"id": "b", "suite": PETRARCH_UNITTEST, "text": "France condemned Gondor on Monday.", "date": "19950105",
         "expected": [{"source": "FRX", "target": "GON", "event": "122"}]},
    ]
    cases = folder.parent / "cases.jsonl"
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    [result] = run_suites(cases, lambda kb, verbs: Resources(kb_files=kb, verb_files=verbs))
    assert result.notes == []
    # France: the dictionary's FRX, not the shipped KB's code (a later KB file wins a shared name)
    assert (result.exact.tp, result.exact.gold) == (2, 2)
