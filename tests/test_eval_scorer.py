"""The scorer's arithmetic, pinned on small invented documents, plus the real seeds gold."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from dyadlens.evaluation.align import SentenceLocator, spans_tie
from dyadlens.evaluation.gold import read_gold_lines
from dyadlens.evaluation.matching import maximum_matching
from dyadlens.evaluation.names import load_actor_names
from dyadlens.evaluation.scorer import Report, dates_agree, jaccard, names_agree, score

S1 = "Ruritania signed a trade pact with Freedonia in May."
S2 = "Freedonia later accused Ruritania of cheating.\u00b9"
S3 = "The Grand Duke said that talks would resume soon."
S4 = "Ruritania listed the Blue Hand as a terrorist group in 2019."
FOOTNOTE = " \u00b9 See the ministry statement."
TEXT = f"{S1} {S2} {S3}\n{S4}\n{FOOTNOTE}\n"

ACTORS_TSV = (
    "name\ttype\taliases\n"
    "Ruritania\tstate\tRuritanian; Strelsau; Grand Duke Rudolf\n"
    "Freedonia\tstate\tFreedonian\n"
    "Blue Hand\tarmed_group\tthe Blue Hand\n"
)


def event(sentence: str, source: str, target: str, cameo: str, **extra: Any) -> dict[str, Any]:
    return {"sentence": sentence, "source": source, "target": target, "cameo": cameo,
            "modality": "asserted", "date": "2021-05", **extra}


GOLD: dict[str, Any] = {
    "doc": "d1",
    "published": "2021-06-01",
    "actors": ["Ruritania", "Freedonia", "Blue Hand"],
    "events": [event(S1, "Ruritania", "Freedonia", "05"), event(S2, "Freedonia", "Ruritania", "11")],
    "quotes": [{"speaker": "Grand Duke Rudolf", "speaker_actor": "Ruritania", "kind": "indirect",
                "text": "talks would resume soon"}],
    "designations": [{"designator": "Ruritania", "designee": "Blue Hand", "status": "listed",
                      "date": "2019", "sentence": S4}],
}


@pytest.fixture()
def names(tmp_path: Path) -> Any:
    path = tmp_path / "actors.tsv"
    path.write_text(ACTORS_TSV, encoding="utf-8")
    return load_actor_names(path)


def run(system: dict[str, Any], names: Any, gold: dict[str, Any] = GOLD, text: str = TEXT) -> Report:
    return score([system], [gold], {"d1": text}, names)


def span_of(sentence: str, text: str = TEXT) -> dict[str, int]:
    start = text.index(sentence)
    return {"start": start, "end": start + len(sentence)}


def test_a_perfect_system_scores_one_everywhere(names: Any) -> None:
    report = run(copy.deepcopy(GOLD), names)
    for layer in ("actors", "events_strict", "events_lenient", "quotes", "designations"):
        assert report.counts(layer).f1 == 1.0, layer
    for name in ("modality", "date", "designation_date"):
        assert report.accuracy(name).value == 1.0, name
    assert report.errors == []


def test_an_empty_system_has_zero_recall_and_the_gold_counts(names: Any) -> None:
    report = run({"doc": "d1"}, names)
    assert report.counts("events_strict").as_dict() == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "system": 0, "gold": 2}
    assert (report.counts("actors").gold, report.counts("quotes").gold, report.counts("designations").gold) == (3, 1, 1)
    assert {e.kind for e in report.errors} == {"miss"}


def test_a_missing_system_line_counts_as_empty(names: Any) -> None:
    report = score([], [GOLD], {"d1": TEXT}, names)
    assert report.counts("events_strict").gold == 2
    assert report.counts("events_strict").system == 0


def test_a_reversed_dyad_is_lenient_but_not_strict(names: Any) -> None:
    system = {"doc": "d1", "events": [event(S1, "Freedonia", "Ruritania", "05", **span_of(S1))]}
    report = run(system, names)
    assert report.counts("events_strict").tp == 0
    assert report.counts("events_lenient").tp == 1


def test_a_different_root_is_not_strict(names: Any) -> None:
    system = {"doc": "d1", "events": [event(S1, "Ruritania", "Freedonia", "06", **span_of(S1))]}
    assert run(system, names).counts("events_strict").tp == 0


def test_a_duplicated_system_event_does_not_match_twice(names: Any) -> None:
    one = event(S1, "Ruritania", "Freedonia", "05", **span_of(S1))
    report = run({"doc": "d1", "events": [one, dict(one)]}, names)
    counts = report.counts("events_strict")
    assert (counts.tp, counts.system, counts.gold) == (1, 2, 2)
    assert [e.kind for e in report.errors if e.layer == "events"].count("false alarm") == 1


@pytest.mark.parametrize("system_copies, expected_tp", [(1, 1), (2, 2), (3, 2)])
def test_two_identical_gold_events_need_two_system_events(names: Any, system_copies: int, expected_tp: int) -> None:
    gold = {**GOLD, "events": [event(S1, "Ruritania", "Freedonia", "05")] * 2}
    system = {"doc": "d1", "events": [event(S1, "Ruritania", "Freedonia", "05", **span_of(S1))] * system_copies}
    counts = run(system, names, gold).counts("events_strict")
    assert (counts.tp, counts.gold) == (expected_tp, 2)


def test_matching_is_maximum_not_greedy(names: Any) -> None:
    """A system span covering S1 and S2 ties with both; S2's gold is listed first."""
    gold = {**GOLD, "events": [event(S2, "Ruritania", "Freedonia", "04"), event(S1, "Ruritania", "Freedonia", "04")]}
    merged = {"start": TEXT.index(S1), "end": TEXT.index(S2) + len(S2)}
    system = {"doc": "d1", "events": [event(S1 + " " + S2, "Ruritania", "Freedonia", "04", **merged),
                                      event(S2, "Ruritania", "Freedonia", "04", **span_of(S2))]}
    assert run(system, names, gold).counts("events_strict").tp == 2
    assert len(maximum_matching([[0, 1], [0]])) == 2


@pytest.mark.parametrize(
    "gold, system, agree",
    [
        ("2021-05", "2021-05-03", True),
        ("2021", "2021-05", True),
        ("2021-05", "2021-05", True),
        (None, None, True),
        ("2021-05-03", "2021-05", False),
        ("2021-05", "2021", False),
        ("2021-05", "2021-06-01", False),
        ("2021-1", "2021-10", False),
        (None, "2021", False),
        ("2021", None, False),
    ],
)
def test_dates_agree_at_the_gold_precision(gold: str | None, system: str | None, agree: bool) -> None:
    assert dates_agree(gold, system) is agree


def test_date_and_modality_accuracy_are_over_strict_matches(names: Any) -> None:
    system = {"doc": "d1", "events": [
        event(S1, "Ruritania", "Freedonia", "05", **span_of(S1), date="2021-05-14"),
        event(S2, "Freedonia", "Ruritania", "11", **span_of(S2), date="2021", modality="alleged"),
        event(S3, "Ruritania", "Freedonia", "03", **span_of(S3), date="1999", modality="planned"),
    ]}
    report = run(system, names)
    assert (report.accuracy("date").correct, report.accuracy("date").total) == (1, 2)
    assert (report.accuracy("modality").correct, report.accuracy("modality").total) == (1, 2)


def test_sentence_splits_that_differ_at_a_footnote_mark_still_tie(names: Any) -> None:
    without_mark = S2[:-1]
    merged_with_next = S2 + " " + S3
    for sentence in (without_mark, merged_with_next):
        system = {"doc": "d1", "events": [event(sentence, "Freedonia", "Ruritania", "11", **span_of(sentence))]}
        assert run(system, names).counts("events_strict").tp == 1, sentence


def test_a_span_in_another_sentence_does_not_tie() -> None:
    assert not spans_tie((0, 50), (51, 90))
    assert not spans_tie((0, 50), (40, 140))
    assert spans_tie((0, 50), (25, 140))


def test_an_item_without_offsets_is_located_by_its_sentence(names: Any) -> None:
    system = {"doc": "d1", "events": [event(S2, "Freedonia", "Ruritania", "11")]}
    assert run(system, names).counts("events_strict").tp == 1


def test_gold_sentences_are_located_despite_no_break_spaces(names: Any) -> None:
    text = TEXT.replace("trade pact", "trade\u00a0pact")
    system = {"doc": "d1", "events": [event(S1, "Ruritania", "Freedonia", "05", **span_of(S1.replace(
        "trade pact", "trade\u00a0pact"), text))]}
    report = run(system, names, text=text)
    assert report.counts("events_strict").tp == 1
    assert report.warnings == []


def test_repeated_sentences_are_located_forward_then_at_their_first_occurrence() -> None:
    locator = SentenceLocator("A b. C d. A b. E f.")
    assert locator.locate("C d.") == (5, 9)
    assert locator.locate("A b.") == (10, 14)
    assert locator.locate("E f.") == (15, 19)
    assert locator.locate("A b.") == (10, 14)
    assert SentenceLocator("A b. C d.").locate("Z z.") is None


def test_actor_names_map_through_aliases_case_insensitively(names: Any) -> None:
    system = {"doc": "d1", "actors": ["ruritanian", "FREEDONIA", "the Blue Hand", "Graustark"],
              "events": [event(S1, "strelsau", "Freedonian", "05", **span_of(S1))]}
    report = run(system, names)
    actors = report.counts("actors")
    assert (actors.tp, actors.system, actors.gold) == (3, 4, 3)
    assert report.counts("events_strict").tp == 1
    assert [e.item for e in report.errors if e.layer == "actors"] == ["Graustark"]


def test_a_missing_actors_table_is_a_clear_error(tmp_path: Path) -> None:
    from dyadlens.errors import InputError

    with pytest.raises(InputError, match="actors table not found"):
        load_actor_names(tmp_path / "nope.tsv")


def quote(speaker: str | None, actor: str | None, text: str) -> dict[str, Any]:
    return {"speaker": speaker, "speaker_actor": actor, "kind": "direct", "text": text}


QUOTE_TEXT = "we will never accept a settlement that divides our ancient and beloved kingdom"


@pytest.mark.parametrize(
    "system_text, matches",
    [
        (QUOTE_TEXT, True),
        ("We will never accept a settlement that divides our ancient and beloved kingdom!", True),
        ("we will never accept a settlement that divides our ancient kingdom", True),  # 11/13 > 0.8
        ("we will never accept a settlement that divides our", False),  # 9/13 < 0.8
    ],
)
def test_quote_text_needs_a_jaccard_of_at_least_0_8(names: Any, system_text: str, matches: bool) -> None:
    gold = {**GOLD, "quotes": [quote("Rudolf Elphberg", "Ruritania", QUOTE_TEXT)]}
    system = {"doc": "d1", "quotes": [quote("Rudolf Elphberg", "Ruritania", system_text)]}
    assert run(system, names, gold).counts("quotes").tp == int(matches)


def test_jaccard_is_over_lower_cased_word_tokens() -> None:
    assert jaccard("A b, c.", "a B C") == 1.0
    assert jaccard("a b c d", "a b c e") == pytest.approx(3 / 5)


@pytest.mark.parametrize(
    "gold_speaker, gold_actor, system_speaker, system_actor, agree",
    [
        ("Rudolf Elphberg", "Ruritania", "Elphberg", "Ruritania", True),  # surname only
        ("Rudolf Elphberg", "Ruritania", "King Rudolf Elphberg", None, True),  # title before the name
        ("Rudolf Elphberg", "Ruritania", "Michael Elphberg", "Ruritania", False),  # another person, same actor
        ("Blue Hand", "Blue Hand", "the Blue Hand", "Blue Hand", True),  # a canonical actor name
        ("Freedonia (Fredville)", "Freedonia", "Fredville", "freedonian", True),  # organisation: same actor
        ("Joint statement of four ministries", "Ruritania", "the statement", "Ruritania", True),
        ("Joint statement of four ministries", "Ruritania", "the statement", "Freedonia", False),
    ],
)
def test_quote_speakers(
    names: Any, gold_speaker: str, gold_actor: str, system_speaker: str, system_actor: str | None, agree: bool
) -> None:
    gold = {**GOLD, "quotes": [quote(gold_speaker, gold_actor, QUOTE_TEXT)]}
    system = {"doc": "d1", "quotes": [quote(system_speaker, system_actor, QUOTE_TEXT)]}
    assert run(system, names, gold).counts("quotes").tp == int(agree)


def test_names_agree_needs_whole_words() -> None:
    assert names_agree("Sam Smith", "Smith")
    assert not names_agree("Sam Smith", "mith")
    assert not names_agree(None, "Smith")


def test_designation_date_agreement_is_reported_separately(names: Any) -> None:
    designation = {**GOLD["designations"][0], "date": "2020", **span_of(S4)}
    report = run({"doc": "d1", "designations": [designation]}, names)
    assert report.counts("designations").tp == 1
    assert (report.accuracy("designation_date").correct, report.accuracy("designation_date").total) == (0, 1)
    assert [e.kind for e in report.errors if e.layer == "designations"] == ["date"]


def test_a_designation_with_another_status_does_not_match(names: Any) -> None:
    designation = {**GOLD["designations"][0], "status": "delisted"}
    assert run({"doc": "d1", "designations": [designation]}, names).counts("designations").tp == 0


def test_json_report_has_counts_documents_and_errors(names: Any) -> None:
    payload = run({"doc": "d1"}, names).as_dict()
    assert payload["layers"]["events_strict"]["gold"] == 2
    assert payload["documents"][0]["doc"] == "d1"
    assert payload["errors"][0]["kind"] == "miss"


def seed_texts(seeds_dir: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}


def test_the_seeds_gold_scored_against_itself_is_perfect(gold_file: Path, seeds_dir: Path, shared_dir: Path) -> None:
    gold = read_gold_lines(gold_file)
    report = score(gold, gold, seed_texts(seeds_dir), load_actor_names(shared_dir / "eval" / "actors.tsv"))
    for layer in ("actors", "events_strict", "events_lenient", "quotes", "designations"):
        assert report.counts(layer).f1 == 1.0, layer
    for name in ("modality", "date", "designation_date"):
        assert report.accuracy(name).value == 1.0, name
    assert report.warnings == []


def test_an_empty_system_against_the_seeds_gold(gold_file: Path, seeds_dir: Path, shared_dir: Path) -> None:
    gold = read_gold_lines(gold_file)
    report = score([], gold, seed_texts(seeds_dir), load_actor_names(shared_dir / "eval" / "actors.tsv"))
    gold_counts = {layer: report.counts(layer).gold for layer in ("events_strict", "quotes", "designations", "actors")}
    assert gold_counts == {"events_strict": 166, "quotes": 19, "designations": 9, "actors": 72}
    assert report.counts("events_strict").recall == 0.0
