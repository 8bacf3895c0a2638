"""A peer suite that brings its own verb file codes with that file alone (PETRARCH reads one
verbs dictionary and has no noun triggers); ``own_verbs_only=False`` adds the packaged entries.
The sentences are written for this test; the dictionaries are tiny invented ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import PETRARCH_UNITTEST, run_suites
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow


def _cases(folder: Path) -> Path:
    dictionaries = folder / "dictionaries"
    dictionaries.mkdir()
    (dictionaries / "PETR.Validate.actors.txt").write_text("ARNOR [ARN]\nGONDOR [GON]\n", encoding="utf-8")
    (dictionaries / "PETR.Validate.agents.txt").write_text("SOLDIER [~MIL]\n", encoding="utf-8")
    (dictionaries / "PETR.Validate.verbs.txt").write_text("--- CONDEMN [122] ---\nCONDEMN\n", encoding="utf-8")
    rows = [
        {"id": "own", "suite": PETRARCH_UNITTEST, "text": "Arnor condemned Gondor.", "date": "19950105",
         "expected": [{"source": "ARN", "target": "GON", "event": "122"}]},
        {"id": "packaged", "suite": PETRARCH_UNITTEST, "text": "Arnor criticized Gondor.", "date": "19950105",
         "expected": []},
    ]
    cases = folder / "cases.jsonl"
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return cases


def _run(cases: Path, own_verbs_only: bool) -> tuple[int, int]:
    [result] = run_suites(cases, lambda kb, verbs: Resources(kb_files=kb, verb_files=verbs), own_verbs_only)
    assert result.notes == []
    return result.exact.tp, result.exact.system


def test_the_suite_verb_file_alone_decides_by_default(tmp_path: Path) -> None:
    assert _run(_cases(tmp_path), own_verbs_only=True) == (1, 1)


def test_packaged_entries_code_what_the_suite_file_lacks_when_asked(tmp_path: Path) -> None:
    assert _run(_cases(tmp_path), own_verbs_only=False) == (1, 2)
