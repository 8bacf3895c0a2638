"""A PETRARCH verb entry reads its target anywhere in the verb phrase: an object that names no
actor of its own takes the first actor of the prepositional phrases nested in it.
The sentences are written for this test; the dictionaries are tiny invented ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import PETRARCH_UNITTEST, run_suites
from dyadlens.resources import Resources

pytestmark = pytest.mark.slow

ACTORS = "ARNOR [ARN]\nGONDOR [GON]\nROHAN [ROH]\n"
VERBS = "--- WELCOME [041] ---\nWELCOME\n\n--- ACT [100] ---\nACT\n"


def _score(
    tmp_path: Path, text: str, expected: list[tuple[str, str]], code: str = "041", verbs: str = VERBS
) -> tuple[int, int, int]:
    dictionaries = tmp_path / "dictionaries"
    dictionaries.mkdir()
    (dictionaries / "PETR.Validate.actors.txt").write_text(ACTORS, encoding="utf-8")
    (dictionaries / "PETR.Validate.agents.txt").write_text("SOLDIER [~MIL]\n", encoding="utf-8")
    (dictionaries / "PETR.Validate.verbs.txt").write_text(verbs, encoding="utf-8")
    row = {"id": "x", "suite": PETRARCH_UNITTEST, "text": text, "date": "19950105",
           "expected": [{"source": s, "target": t, "event": code} for s, t in expected]}
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [result] = run_suites(cases, lambda kb, verbs: Resources(kb_files=kb, verb_files=verbs))
    return result.exact.tp, result.exact.system, result.exact.gold


def test_a_nested_phrase_names_the_target(tmp_path: Path) -> None:
    text = "Arnor welcomed a resumption of trade ties with Gondor last week."
    assert _score(tmp_path, text, [("ARN", "GON")]) == (1, 1, 1)


def test_a_coordinated_phrase_gives_each_target(tmp_path: Path) -> None:
    text = "Arnor welcomed the renewal of trade ties between Gondor and Rohan."
    assert _score(tmp_path, text, [("ARN", "GON"), ("ARN", "ROH")]) == (2, 2, 2)


def test_a_phrase_nested_in_the_verbs_own_phrase_names_the_target(tmp_path: Path) -> None:
    text = "Arnor acted with the support of Rohan on Monday."
    assert _score(tmp_path, text, [("ARN", "ROH")], "100") == (1, 1, 1)


PHRASAL_VERBS = "--- END [161] ---\n+BREAK_OFF {+BROKE_OFF +BREAKING_OFF}\n"


@pytest.mark.parametrize(
    ("text", "coded"),
    [("Arnor broke off trade talks with Gondor on Monday.", 1), ("Arnor broke trade talks with Gondor on Monday.", 0)],
)
def test_a_multi_word_verb_line_is_read_with_its_particle(tmp_path: Path, text: str, coded: int) -> None:
    assert _score(tmp_path, text, [("ARN", "GON")], "161", PHRASAL_VERBS)[:2] == (coded, coded)
