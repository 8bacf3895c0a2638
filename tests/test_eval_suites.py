"""Peer-suite scoring (PETRARCH cases, PLOVER records) on invented cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.suites import SuiteCase, SuiteResult, case_date, read_cases, run_suites, score_case
from dyadlens.resources import Resources


def case(expected: list[dict], no_event: bool = False) -> SuiteCase:
    return SuiteCase("c1", "demo", "Arnor praised Gondor.", "1995-01-01", tuple(expected), no_event)


@pytest.mark.parametrize("raw, iso", [("19950101", "1995-01-01"), ("2000-01-01", "2000-01-01"),
                                      ("121108", None), (None, None)])
def test_case_dates_become_iso(raw: str | None, iso: str | None) -> None:
    assert case_date(raw) == iso


def test_petrarch_exact_and_root_matches() -> None:
    result = SuiteResult("demo")
    expected = [{"source": "ARN", "target": "GON", "event": "051"}, {"source": "ARN", "target": "---", "event": "010"}]
    score_case(case(expected), [("ARN", "GON", "051"), ("ARN", "---", "012"), ("GON", "ARN", "051")], result, False)
    assert (result.exact.tp, result.exact.system, result.exact.gold) == (1, 3, 2)
    assert result.root.tp == 2
    assert (result.no_event.tp, result.no_event.system, result.no_event.gold) == (0, 0, 0)


def test_a_duplicated_system_triple_matches_once() -> None:
    result = SuiteResult("demo")
    score_case(case([{"source": "ARN", "target": "GON", "event": "051"}]), [("ARN", "GON", "051")] * 2, result, False)
    assert (result.exact.tp, result.exact.system) == (1, 2)


def test_no_event_precision_and_recall() -> None:
    result = SuiteResult("demo")
    score_case(case([], no_event=True), [], result, False)  # right: nothing expected, nothing coded
    score_case(case([{"source": "ARN", "target": "GON", "event": "051"}]), [], result, False)  # a miss
    score_case(case([], no_event=True), [("ARN", "GON", "051")], result, False)  # a false alarm
    assert (result.no_event.tp, result.no_event.system, result.no_event.gold) == (1, 2, 2)


def test_plover_compares_categories_and_any_expected_iso3_code() -> None:
    result = SuiteResult("plover_demo")
    expected = [{"source": [{"actorText": "Japan", "code": "JPN"}, {"actorText": "Korea", "code": "KOR"}],
                 "target": [], "event": "AGREE"}]
    score_case(case(expected), [("KOR", "---", "AGREE"), ("FRA", "---", "AGREE")], result, True)
    assert (result.exact.tp, result.root.tp, result.exact.system) == (1, 1, 2)


def test_read_cases_names_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    row = {"id": "x", "suite": "s", "text": "Arnor left.", "date": "19950101", "expected": [], "expect_no_event": True}
    path.write_text(json.dumps(row) + "\n{broken\n", encoding="utf-8")
    from dyadlens.errors import InputError

    with pytest.raises(InputError, match="line 2"):
        read_cases(path)


@pytest.mark.slow
def test_running_a_suite_counts_every_case(tmp_path: Path, resources: Resources) -> None:
    path = tmp_path / "cases.jsonl"
    rows = [
        {"id": "a", "suite": "invented", "text": "Russia condemned Pakistan on Monday.", "date": "20200105",
         "expected": [{"source": "RUS", "target": "PAK", "event": "111"}], "expect_no_event": False},
        {"id": "b", "suite": "invented", "text": "The weather was mild.", "date": "20200105",
         "expected": [], "expect_no_event": True},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    [result] = run_suites(path, lambda kb, verbs: resources)
    assert (result.suite, result.cases, result.exact.gold, result.no_event.gold) == ("invented", 2, 1, 1)
    assert result.no_event.tp <= result.no_event.system <= 2


def test_petrarch_country_level_ignores_sector_suffixes() -> None:
    result = SuiteResult("demo")
    score_case(case([{"source": "USAGOV", "target": "---LEG", "event": "042"}]), [("USA", "---", "043")], result, False)
    assert (result.exact.tp, result.root.tp, result.country.tp) == (0, 0, 1)


@pytest.mark.parametrize(
    ("gold", "system", "same"),
    [
        ("DEMAND", "REQUEST", True),
        ("FIGHT", "ASSAULT", True),
        ("disapprove", "ACCUSE", True),
        ("AGREE", "REQUEST", False),
    ],
)
def test_plover_categories_compare_across_the_0_5b1_renames(gold: str, system: str, same: bool) -> None:
    from dyadlens.evaluation.suites import plover_category

    assert (plover_category(gold) == plover_category(system)) is same
