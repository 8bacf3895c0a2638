"""Metadata read from the text itself: bylines, dated header lines, titles."""

from __future__ import annotations

import pytest

from dyadlens.ingest.meta import parse_date, read_text_meta
from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("29 Jun 2023", "2023-06-29"),
        ("June 29, 2023", "2023-06-29"),
        ("Sept. 3, 2021", "2021-09-03"),
        ("3rd March 2020", "2020-03-03"),
        ("June 2023", "2023-06"),
        ("2024-10", "2024-10"),
        ("2024", "2024"),
        ("2024-10-05T10:00:00Z", "2024-10-05"),
        ("sometime soon", None),
        ("31 Foo 2020", None),
        ("2024-13", None),
    ],
)
def test_parse_date_keeps_precision(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("header", "author", "published"),
    [
        ("by Lena Ortiz on 14 Feb 2022 3 Comments", "Lena Ortiz", "2022-02-14"),
        ("By Lena Ortiz | June 29, 2023", "Lena Ortiz", "2023-06-29"),
        ("By Kwame A. Mensah, June 2023", "Kwame A. Mensah", "2023-06"),
        ("By Lena Ortiz", "Lena Ortiz", None),
    ],
)
def test_byline(header: str, author: str, published: str | None) -> None:
    meta = read_text_meta(f"Talks resume in Doha\n{header}\n\nThe talks resumed on Monday.")
    assert meta.title == "Talks resume in Doha"
    assert meta.author == author
    assert meta.published == published
    assert meta.published_source == ("byline" if published else None)


def test_byline_word_and_name_on_separate_lines_with_dated_header() -> None:
    text = "POLICY BRIEF\n\nBy\nAmira Haddad\nResearch Fellow\n\nMarch 3, 2022\n\nThe brief begins here."
    meta = read_text_meta(text)
    assert meta.author == "Amira Haddad"
    assert (meta.published, meta.published_source) == ("2022-03-03", "header")


def test_published_label_header_line() -> None:
    meta = read_text_meta("A headline\nPublished: 12 October 2021\n\nBody.")
    assert (meta.published, meta.published_source) == ("2021-10-12", "header")


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    meta = read_text_meta("Notes\nby the end of the year the road was finished.\n")
    assert meta.author is None


def test_first_line_that_is_a_sentence_is_not_a_title() -> None:
    assert read_text_meta("Officials met on Monday.\nThey talked.").title is None
    assert read_text_meta("Only one line").title is None


def test_reader_uses_text_meta_only_where_nothing_better_exists() -> None:
    text = "Kabul talks end\nBy Lena Ortiz | June 29, 2023\n\nThe talks ended on Thursday."
    plain = read_document(RawInput("d", "d.txt", "txt", text.encode()))
    assert (plain.author, plain.published, plain.published_source) == ("Lena Ortiz", "2023-06-29", "byline")
    given = read_document(RawInput("d", "d.txt", "txt", text.encode(), meta={"published": "2023-07"}))
    assert (given.author, given.published, given.published_source) == ("Lena Ortiz", "2023-07", "sidecar")


def test_horizontal_rules_are_not_front_matter() -> None:
    from dyadlens.ingest.meta import front_matter_end, read_front_matter

    text = "---\nThe talks went on. They ended late.\n\n---\nMore text.\n"
    assert front_matter_end(text) is None and read_front_matter(text).fields == {}
    assert front_matter_end("---\ntitle: X\n---\nBody.") == len("---\ntitle: X\n---\n")
