"""The sentence splitter: the guideline rule, abbreviations, headings, kinds, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.ingest.clean import Cleaner
from dyadlens.model import Document
from dyadlens.nlp.sentences import SentenceSplitter
from dyadlens.state import DocState


def split(text: str, clean: bool = False) -> DocState:
    state = DocState(document=Document(id="d", path="d.txt", format="txt", text=text))
    if clean:
        Cleaner()(state)
    SentenceSplitter()(state)
    return state


def sentences(text: str) -> list[str]:
    state = split(text)
    return [state.sentence_text(s) for s in state.sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Envoys met. They agreed.", ["Envoys met.", "They agreed."]),
        ("Did they meet? Yes! It ended.", ["Did they meet?", "Yes!", "It ended."]),
        ("The U.S. envoy arrived in Doha. He left.", ["The U.S. envoy arrived in Doha.", "He left."]),
        ("Aid came from the U.S. The talks went on.", ["Aid came from the U.S.", "The talks went on."]),
        ("Talks in St. Petersburg ended. Gen. Ortiz spoke.", ["Talks in St. Petersburg ended.", "Gen. Ortiz spoke."]),
        ("It was signed on Jan. 6 in Kabul. Then it failed.", ["It was signed on Jan. 6 in Kabul.", "Then it failed."]),
        ("Resolution No. 12 passed. Nobody objected.", ["Resolution No. 12 passed.", "Nobody objected."]),
        ("“We are ready.” The envoy smiled.", ["“We are ready.”", "The envoy smiled."]),
        ("He called it “a step.” Others disagreed.", ["He called it “a step.”", "Others disagreed."]),
        ("Trade grew last year.² Exports doubled.", ["Trade grew last year.²", "Exports doubled."]),
        ("Trade grew last year.[3] Exports doubled.", ["Trade grew last year.[3]", "Exports doubled."]),
        ("Trade grew (by a third.) Exports doubled.", ["Trade grew (by a third.)", "Exports doubled."]),
        ("Talks were held in Moscow.4 The envoy left.", ["Talks were held in Moscow.4", "The envoy left."]),
        ("It was signed in 2021. 2022 was calmer.", ["It was signed in 2021.", "2022 was calmer."]),
        ("It rose to 2.5 per cent. It fell.", ["It rose to 2.5 per cent.", "It fell."]),
        ("A line without a stop\nNext line here.", ["A line without a stop", "Next line here."]),
        ("1. Background\n2.1. Earlier talks", ["1. Background", "2.1. Earlier talks"]),
        ("II. The ban. It lasted.", ["II. The ban.", "It lasted."]),
        ("  Leading space. Trailing space.  \n", ["Leading space.", "Trailing space."]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Ali and Dr. Lee met.",
        "Exports to Peru rose while George W. Bush was in office, traders said.",
        "Routes, e.g. the northern one, i.e. the old road, stayed shut.",
        "“Why now?” he asked.",
        "The U.S. State Department and the U.N. Security Council disagreed.",
    ],
)
def test_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_wrapped_line_continues_its_sentence() -> None:
    text = "The ministers agreed that the road\nwould reopen in spring. Traders welcomed it."
    assert sentences(text) == [
        "The ministers agreed that the road\nwould reopen in spring.",
        "Traders welcomed it.",
    ]


def test_offsets_point_at_the_sentence_and_ids_are_stable() -> None:
    text = "Headline here\n\n  First one. Second one.\n\nThird paragraph, one sentence.\n"
    state = split(text)
    for sentence in state.sentences:
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip() and piece
    assert [s.index for s in state.sentences] == [0, 1, 2, 3]
    assert [s.paragraph for s in state.sentences] == [0, 1, 1, 2]
    assert [s.id for s in state.sentences] == [s.id for s in split(text).sentences]


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    state = split("A headline\nFirst paragraph. Still first.\nSecond paragraph.")
    assert [s.paragraph for s in state.sentences] == [0, 1, 1, 2]


def test_headings() -> None:
    text = "Envoys Meet In Tashkent\n\nThe envoys met on Monday.\n\nWhat comes next\n\nMore talks are due."
    state = split(text)
    kinds = [(state.sentence_text(s), s.kind) for s in state.sentences]
    assert kinds == [
        ("Envoys Meet In Tashkent", "heading"),
        ("The envoys met on Monday.", "body"),
        ("What comes next", "heading"),
        ("More talks are due.", "body"),
    ]


def test_markdown_heading_span_excludes_the_hashes() -> None:
    state = split("## Trade corridor plans\n\nThe plan is old.")
    first = state.sentences[0]
    assert (state.sentence_text(first), first.kind) == ("Trade corridor plans", "heading")


def test_region_kinds_carry_over() -> None:
    body = "Ministers met on Tuesday to discuss a rail line that would carry freight across the mountains."
    cite = '[1] "Rail talks", Example Wire, published on May 2, 2024. https://wire.example.org/rail'
    text = f"{body}\n\nShare this article\n\n{cite}\n\n{body}\n"
    state = split(text, clean=True)
    kinds = [(s.kind, s.analysed) for s in state.sentences]
    assert kinds == [("body", True), ("furniture", False), ("footnote", True), ("repeat", False)]
    assert [s.index for s in state.analysed_sentences()] == [0, 2]


def test_abbreviation_file_with_a_yaml_boolean_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "abbreviations.yaml"
    bad.write_text("titles: [mr]\nwords: [e.g]\nnumbered: [no]\nambiguous: [u.s]\nstarters: [the]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="numbered"):
        SentenceSplitter(abbreviations_file=bad)
