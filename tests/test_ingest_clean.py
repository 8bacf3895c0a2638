"""The Cleaner: furniture, footnote and repeat regions, and the fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.ingest.clean import Cleaner, load_furniture_rules
from dyadlens.model import Document
from dyadlens.state import DocState

BODY = (
    "Ministers from three neighbouring countries met on Tuesday to discuss a rail line "
    "that would carry freight across the mountains to a southern port."
)
SECOND = (
    "The project has been discussed for years, but financing has never been agreed, "
    "and the route crosses areas where armed groups remain active."
)


def cleaned(text: str, author: str | None = None) -> DocState:
    state = DocState(document=Document(id="d", path="d.txt", format="txt", text=text, author=author))
    Cleaner()(state)
    return state


def region_texts(state: DocState) -> dict[str, tuple[str, str, bool]]:
    return {state.text[r.start : r.end]: (r.kind, r.label, r.excluded) for r in state.regions}


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Share this article", "share prompt"),
        ("Click to share on Twitter (Opens in new window)", "share prompt"),
        ("Please use the share buttons below to send this story to a friend.", "share prompt"),
        ("Leave a comment", "comment prompt"),
        ("12 Comments", "comment prompt"),
        ("Back to Top", "navigation"),
        ("Related Articles", "navigation"),
        ("You may also like", "navigation"),
        ("Tags: diplomacy, trade, Central Asia", "navigation"),
        ("Special Report:", "section label"),
        ("* * *", "separator"),
        ("© 2024 Example Media Group. All rights reserved.", "copyright notice"),
        ("Copyright 2023 by the publisher.", "copyright notice"),
        ("The views expressed in this article are the author's own.", "disclaimer"),
        ("Disclaimer: the publisher is not responsible for the accuracy of this piece.", "disclaimer"),
        ("This piece was first posted by Example Weekly.", "republication note"),
        ("Featured image: a border crossing at dawn", "republication note"),
        ("Sign up for our newsletter and get the daily briefing.", "newsletter prompt"),
        ("Subscribe to our podcast for weekly analysis.", "newsletter prompt"),
        ("Become a Member of Example Media", "newsletter prompt"),
        ("For media inquiries: press@example.org", "contact details"),
        ("Phone: +1 555 0100", "contact details"),
    ],
)
def test_furniture_kinds(line: str, label: str) -> None:
    text = f"A headline\n\n{BODY}\n\n{line}\n\n{SECOND}\n"
    state = cleaned(text)
    assert region_texts(state) == {line: ("furniture", label, True)}


def test_body_text_mentioning_sharing_or_comments_is_not_furniture() -> None:
    text = (
        "The two states agreed to share intelligence on armed groups, officials said.\n\n"
        "He declined to comment on the talks, and related articles in the state press were brief.\n"
    )
    assert cleaned(text).regions == []


def test_author_bio_after_about_the_author_and_by_name() -> None:
    text = (
        f"A headline\n\n{BODY}\n\n{SECOND}\n\n{BODY}x\n\n"
        "About the author:\n\nRosa Imbert writes about the politics of water in the region.\n\n"
        "Rosa Imbert is a senior researcher at a policy institute.\n"
    )
    labels = region_texts(cleaned(text, author="Rosa Imbert"))
    assert labels["About the author:"] == ("furniture", "author bio", True)
    assert labels["Rosa Imbert writes about the politics of water in the region."][1] == "author bio"
    assert labels["Rosa Imbert is a senior researcher at a policy institute."][1] == "author bio"


def test_generic_bio_only_in_the_tail() -> None:
    bio = "Tomas Reyes is a freelance journalist based in the capital."
    early = cleaned(f"{bio}\n\n{BODY}\n\n{SECOND}\n\n{BODY} More.\n")
    late = cleaned(f"{BODY}\n\n{SECOND}\n\n{BODY} More.\n\n{bio}\n")
    assert early.regions == []
    assert region_texts(late) == {bio: ("furniture", "author bio", True)}


def test_footnotes_are_marked_but_kept() -> None:
    cite = '[2] "Ministers agree on rail link", Example Wire, published on May 2, 2024. https://wire.example.org/rail'
    link = "https://wire.example.org/rail-link"
    text = f"{BODY}\n\n{cite}\n\n{link}\n\n{SECOND}\n"
    labels = region_texts(cleaned(text))
    assert labels == {cite: ("footnote", "citation", False), link: ("footnote", "reference link", False)}


def test_repeated_paragraph_is_marked_with_the_first_copy_offsets() -> None:
    text = f"A headline\n\n{BODY}\n\n{SECOND}\n\n{BODY}\n"
    state = cleaned(text)
    [region] = state.regions
    first = text.index(BODY)
    assert (region.kind, region.excluded) == ("repeat", True)
    assert region.start == text.rindex(BODY) and region.end == region.start + len(BODY)
    assert region.label == f"repeat of {first}-{first + len(BODY)}"


def test_short_repeated_lines_are_not_repeats() -> None:
    text = f"Analysis\n\n{BODY}\n\nAnalysis\n\n{SECOND}\n"
    assert cleaned(text).regions == []


def test_text_and_offsets_are_unchanged() -> None:
    text = f"  Title  \n\n{BODY}\n\nShare this article\n\n{SECOND}\n"
    state = cleaned(text)
    assert state.text == text
    [region] = state.regions
    assert text[region.start : region.end] == "Share this article"


def test_fingerprint_ignores_furniture_titles_and_case() -> None:
    one = cleaned(f"First outlet headline\n\n{BODY}\n\nShare this article\n\n{SECOND}\n")
    two = cleaned(f"ANOTHER HEADLINE\nBy Someone Else\n\n{BODY.upper()}\n\n{SECOND}\n\n© 2024 Other Site\n")
    three = cleaned(f"First outlet headline\n\n{BODY}\n")
    assert one.document.fingerprint == two.document.fingerprint
    assert one.document.fingerprint != three.document.fingerprint
    assert len(one.document.fingerprint) == 40


def test_region_ids_are_deterministic() -> None:
    text = f"{BODY}\n\nShare this article\n"
    assert cleaned(text).regions == cleaned(text).regions


def test_malformed_furniture_file_is_a_data_file_error(tmp_path: Path) -> None:
    bad = tmp_path / "furniture.yaml"
    bad.write_text("rules:\n  - label: x\n    kind: furniture\n    patterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad pattern"):
        load_furniture_rules(bad)
