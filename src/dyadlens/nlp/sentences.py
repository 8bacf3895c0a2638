"""Split a document into sentences with document offsets.

The rule is the one of the gold guidelines, read as a human would:

- a sentence ends at ``.``, ``?`` or ``!`` followed by a space or a line end,
  and at every line end (a heading on its own line is its own sentence);
- a closing quote mark, bracket or footnote marker right after the stop stays
  with the sentence (``.” ``, ``.² ``, ``.[3] ``);
- abbreviations and initials do not end a sentence (``U.S.``, ``St.``,
  ``Gen.``, ``George W. Bush``, ``e.g.``, ``No. 5``), nor does a stop followed
  by a lower-case word; the abbreviation lists are data
  (``data/abbreviations.yaml``, documented at its top);
- a line that only wraps a paragraph (it ends mid-clause and the next line
  starts in lower case) does not end its sentence;
- a list item's marker (``•``, ``-``, ``*`` at the start of a line) is left out
  of its sentence, so a summary bullet is coded like any sentence (and, short
  and without a final stop, is a heading like a title).

Sentence spans never include leading or trailing whitespace. ``paragraph``
counts blank-line separated paragraphs from 0. Sentences inside the
Cleaner's regions take their kind: ``furniture`` and ``repeat`` are not
analysed, ``footnote`` is.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

import yaml

from dyadlens.errors import DataFileError
from dyadlens.model import Region, Sentence, stable_id
from dyadlens.state import DocState

#: Longest line (in words) that can be a heading.
MAX_HEADING_WORDS = 20
#: How far (characters) around a full stop the splitter looks for the words on either side.
_LOOK_AROUND = 80

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_BOUNDARY = re.compile(
    r"(?P<stop>[.?!]+)"
    r"(?:(?<=[^\d\s][.?!])\d{1,2}(?=\s+[\"“A-Z]))?"  # a plain-digit footnote mark: "Moscow.4 The"
    rf"(?P<trail>(?:[”’\"'»)\]]|[{_SUPERSCRIPTS}]+|[{_SUBSCRIPTS}]+|\[\d{{1,3}}\])*)"
    r"(?=\s|$)"
)
_WORD_BEFORE = re.compile(r"[^\s(\[“\"'‘]*$")
_NEXT_WORD = re.compile(r"\s*[\"“‘'(\[]*(?P<word>[^\s\"”’)\]]*)")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
#: A list item's marker at the start of a line ("• ", "- ", "* "): not part of the item's sentence.
_BULLET_MARK = r"[^\S\n]*[•▪‣◦●*–-][^\S\n]+"
_BULLET = re.compile(_BULLET_MARK + r"(?=\S)")
_BULLET_BEFORE = re.compile(_BULLET_MARK)
#: A list or section number at the start of a sentence ("1.", "iv.", "b.") is not a sentence.
_ENUMERATOR = re.compile(r"\s*[-*•]?\s*(?:\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,6}|[a-z])\.", re.I)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")
_TERMINAL_END = re.compile(r"[.?!:;,…][”’\"')\]]*$")
_KIND_PRIORITY = ("furniture", "repeat", "footnote")


@dataclass(frozen=True, slots=True)
class Abbreviations:
    """The word lists of ``abbreviations.yaml`` (lower case, no final full stop)."""

    titles: frozenset[str]
    words: frozenset[str]
    numbered: frozenset[str]
    ambiguous: frozenset[str]
    starters: frozenset[str]


def default_abbreviations_file() -> Path:
    return Path(str(importlib_resources.files("dyadlens.nlp").joinpath("data/abbreviations.yaml")))


def load_abbreviations(path: Path) -> Abbreviations:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), [str(exc)]) from None
    keys = ("titles", "words", "numbered", "ambiguous", "starters")
    if not isinstance(data, dict):
        raise DataFileError(str(path), ["expected a mapping of word lists"])
    problems = [f"'{key}' must be a list of words" for key in keys if not _is_word_list(data.get(key))]
    if problems:
        raise DataFileError(str(path), problems)
    lists = {key: frozenset(str(w).lower().rstrip(".") for w in data[key]) for key in keys}
    return Abbreviations(**lists)


def _is_word_list(value: object) -> bool:
    """A list of strings (an unquoted ``no`` in YAML is a boolean, which is caught here)."""
    return isinstance(value, list) and all(isinstance(w, str) for w in value)


@dataclass(frozen=True, slots=True)
class Segment:
    """Lines of one paragraph that read as one run of text (wrapped lines joined)."""

    start: int
    end: int
    paragraph: int
    markdown_heading: bool = False


class SentenceSplitter:
    """Pipeline component ``sentences``."""

    name = "sentences"
    version = "1"

    def __init__(self, abbreviations_file: Path | None = None) -> None:
        self.abbreviations = load_abbreviations(abbreviations_file or default_abbreviations_file())

    def __call__(self, state: DocState) -> None:
        document = state.document
        regions = RegionIndex(state.regions)
        for index, (start, end, paragraph, heading) in enumerate(self.spans(document.text)):
            kind, analysed = _kind_for(regions.kinds_at(start), heading)
            state.sentences.append(
                Sentence(
                    id=stable_id(document.id, start, end, self.name, self.version),
                    doc_id=document.id,
                    index=index,
                    start=start,
                    end=end,
                    paragraph=paragraph,
                    kind=kind,
                    analysed=analysed,
                )
            )

    def spans(self, text: str) -> Iterator[tuple[int, int, int, bool]]:
        """``(start, end, paragraph, is_heading)`` of every sentence of ``text``."""
        for segment in segments(text):
            pieces = list(self._split_segment(text, segment))
            for start, end in pieces:
                heading = segment.markdown_heading or (len(pieces) == 1 and _looks_like_heading(text[start:end]))
                yield start, end, segment.paragraph, heading

    def _split_segment(self, text: str, segment: Segment) -> Iterator[tuple[int, int]]:
        start = segment.start
        hashes = _MARKDOWN_HEADING.match(text, start) if segment.markdown_heading else None
        if hashes:
            start = hashes.end()
        bullet = _BULLET.match(text, start)
        if bullet:
            start = bullet.end()
        cursor = start
        for match in _BOUNDARY.finditer(text, start, segment.end):
            if not _ENUMERATOR.fullmatch(text, cursor, match.end()) and self._ends_sentence(text, match, segment.end):
                yield from _stripped(text, cursor, match.end())
                cursor = match.end()
        yield from _stripped(text, cursor, segment.end)

    def _ends_sentence(self, text: str, match: re.Match[str], limit: int) -> bool:
        rest = text[match.end() : min(limit, match.end() + _LOOK_AROUND)]
        found = _NEXT_WORD.match(rest)
        next_word = found.group("word") if found else ""
        if not next_word:
            return True
        if next_word[0].islower():
            return False
        if match.group("stop") != "." or match.group("trail"):
            return True
        return not self._is_abbreviation(text[max(0, match.start() - _LOOK_AROUND) : match.start()], next_word)

    def _is_abbreviation(self, before: str, next_word: str) -> bool:
        found = _WORD_BEFORE.search(before)
        word = found.group() if found else ""
        lowered = word.lower()
        rules = self.abbreviations
        if len(word) == 1 and word.isupper():
            return True
        if lowered in rules.titles or lowered in rules.words:
            return True
        if lowered in rules.numbered and next_word[0].isdigit():
            return True
        if lowered in rules.ambiguous or _DOTTED_ACRONYM.fullmatch(lowered):
            return next_word.lower().strip(",;:") not in rules.starters
        return False


def segments(text: str) -> list[Segment]:
    """Runs of text that sentences never cross: lines, with wrapped lines joined.

    Paragraphs are separated by blank lines; in a text without any blank line
    (one paragraph per line, as many exports are) every line is a paragraph.
    """
    line_paragraphs = not _BLANK_LINE.search(text.strip())
    result: list[Segment] = []
    paragraph = 0
    blank_before = False
    for start, end in _line_spans(text):
        line = text[start:end]
        if not line.strip():
            blank_before = blank_before or bool(result)
            continue
        if result and not blank_before and _continues(text, result[-1], line):
            result[-1] = Segment(result[-1].start, end, result[-1].paragraph)
        else:
            if result and (blank_before or line_paragraphs):
                paragraph += 1
            result.append(Segment(start, end, paragraph, bool(_MARKDOWN_HEADING.match(line))))
        blank_before = False
    return result


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _continues(text: str, previous: Segment, line: str) -> bool:
    """Whether ``line`` wraps the sentence of the segment before it.

    The segment is read in place, not copied: it grows with every wrapped
    line, so a copy per line would cost quadratic time on a long paragraph.
    """
    if _MARKDOWN_HEADING.match(text, previous.start, previous.end):
        return False
    last = previous.end - 1
    while last >= previous.start and text[last].isspace():
        last -= 1
    head = line.lstrip()
    tail = text[last] if last >= previous.start else ""
    return bool(tail) and bool(head) and (tail.isalnum() or tail in ",;-–") and head[0].islower()


def is_bullet_item(text: str, start: int) -> bool:
    """Whether the sentence starting at ``start`` is a list item (summary bullets under a title)."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_BULLET_BEFORE.fullmatch(text, line_start, start))


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    content = piece.strip()
    if content:
        offset = start + (len(piece) - len(piece.lstrip()))
        yield offset, offset + len(content)


def _looks_like_heading(sentence: str) -> bool:
    words = sentence.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and not _TERMINAL_END.search(sentence)
        and (sentence[0].isupper() or sentence[0].isdigit())
    )


class RegionIndex:
    """Which regions cover an offset, without scanning every region for every sentence."""

    def __init__(self, regions: Sequence[Region]) -> None:
        self.regions = sorted(regions, key=lambda r: r.start)
        self.starts = [r.start for r in self.regions]
        self.reach = list(itertools.accumulate((r.end for r in self.regions), max))

    def kinds_at(self, offset: int) -> set[str]:
        kinds = set()
        i = bisect.bisect_right(self.starts, offset) - 1
        while i >= 0 and self.reach[i] > offset:
            if self.regions[i].end > offset:
                kinds.add(self.regions[i].kind)
            i -= 1
        return kinds


def _kind_for(kinds: set[str], heading: bool) -> tuple[str, bool]:
    """Kind and ``analysed`` flag: the region a sentence starts in wins over the heading test."""
    for kind in _KIND_PRIORITY:
        if kind in kinds:
            return kind, kind == "footnote"
    return ("heading" if heading else "body"), True
