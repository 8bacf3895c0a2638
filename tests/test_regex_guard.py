"""The first-character guard leaves every match of the timeline's rules as it was (issue #13, speed)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from dyadlens.nlp import timex
from dyadlens.nlp.regex_guard import first_character_guard

REPO = Path(__file__).resolve().parent.parent
#: Pieces the rules are made of, so random sentences meet them often.
PIECES = ["in", "May", "2024", "1999", "the", "last", "next", "week", "months", "ago", "later", "early", "mid-",
          "since", "January", "Jan.", "3rd", "of", "Resolution", "No.", "summer", "fall", "'90s", "1990s", "FY",
          "fiscal", "Monday", "today", "now", "that", "year", "between", "and", "-", "–", ",", ".", " ", "  ",
          "\n", "ſ", "İ", "12", "31", "2001-09-11", "on", "following", "day", "before", "after", "$", "#", "people"]


def _rules() -> list[timex._Rule]:
    return [*timex.RULES, timex.DATELINE, *timex.discourse_rules(("talks", "summit"))]


def _texts() -> list[str]:
    corpus = sorted((REPO / "examples" / "corpus").glob("*.txt"))
    seeds = sorted((REPO.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
    lines = [line for p in corpus + seeds for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(11)
    made = ["".join(rng.choice(PIECES) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 14)))
            for _ in range(3000)]
    return lines + made


@pytest.mark.fast
def test_guarded_rules_match_as_the_plain_ones() -> None:
    texts = _texts()
    guarded = 0
    for rule in _rules():
        plain = _unguarded(rule.pattern.pattern)
        guarded += first_character_guard(plain, rule.pattern.flags) != plain
        bare, fast = re.compile(plain, rule.pattern.flags), rule.pattern
        for text in texts:
            expected = [(m.span(), m.groups(), m.groupdict()) for m in bare.finditer(text)]
            assert [(m.span(), m.groups(), m.groupdict()) for m in fast.finditer(text)] == expected, (rule.name, text)
    assert guarded > 20


def _unguarded(pattern: str) -> str:
    """The rule's own pattern: what follows the guard's ``(?=[...])(?:`` (its class holds only
    escapes, ranges and categories), without the closing parenthesis."""
    if not pattern.startswith("(?=["):
        return pattern
    return pattern[pattern.index("])(?:") + len("])(?:") : -1]


@pytest.mark.fast
@pytest.mark.parametrize("pattern", [
    r"a?",  # may match empty
    r".b",  # any character first
    r"[^a]b",  # a negated set
    r"(?i:may)\b",  # scoped flags
    r"(?i)may",  # global flags must open the pattern
])
def test_patterns_it_cannot_guard_are_left_alone(pattern: str) -> None:
    assert first_character_guard(pattern) == pattern


@pytest.mark.fast
def test_the_guard_covers_every_alternative() -> None:
    guarded = first_character_guard(r"(?<!x)\bfoo|b?ar|\d+|[x-z]")
    assert re.compile(guarded).findall("a foo bar ar 12 y") == ["foo", "bar", "ar", "12", "y"]
    assert re.compile(guarded).findall("a foo bar ar 12 y") == re.findall(r"(?<!x)\bfoo|b?ar|\d+|[x-z]",
                                                                          "a foo bar ar 12 y")
