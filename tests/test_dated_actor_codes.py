"""An actor of a PETRARCH dictionary whose code is date-restricted is scored with the code valid
on the case's date, its sectors following that code. The dictionaries are tiny invented ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import PETRARCH_UNITTEST, run_suites
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow

ACTORS = """ARNOR [ARN]
GONDOR [GON]
BOROMIR [GON]
\t[GONMIL 19900101-19941231]
\t[GONGOV >19950101]
"""


def _coded(tmp_path: Path, date: str, expected_source: str) -> int:
    dictionaries = tmp_path / "dictionaries"
    dictionaries.mkdir()
    (dictionaries / "PETR.Validate.actors.txt").write_text(ACTORS, encoding="utf-8")
    (dictionaries / "PETR.Validate.agents.txt").write_text("SOLDIER [~MIL]\n", encoding="utf-8")
    (dictionaries / "PETR.Validate.verbs.txt").write_text("--- CONDEMN [122] ---\nCONDEMN\n", encoding="utf-8")
    row = {"id": "x", "suite": PETRARCH_UNITTEST, "text": "Boromir condemned Arnor on Monday.", "date": date,
           "expected": [{"source": expected_source, "target": "ARN", "event": "122"}]}
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [result] = run_suites(cases, lambda kb, verbs: Resources(kb_files=kb, verb_files=verbs))
    assert result.notes == []
    return result.exact.tp


@pytest.mark.parametrize(("date", "code"), [("19920301", "GONMIL"), ("19960301", "GONGOV")])
def test_the_code_of_the_case_date_is_scored(tmp_path: Path, date: str, code: str) -> None:
    assert _coded(tmp_path, date, code) == 1
