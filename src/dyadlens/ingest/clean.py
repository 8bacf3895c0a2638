"""Mark what in a document is not the article: site furniture, footnotes, repeats.

The :class:`Cleaner` never changes ``Document.text`` (every offset points
into it); it adds :class:`Region` records over spans of it:

- ``furniture`` (excluded): share and comment prompts, navigation, copyright
  notices, disclaimers, republication notes, newsletter prompts, author bios.
  The patterns are data: ``data/furniture.yaml`` (its format is documented at
  its top). A markdown file's YAML front matter is furniture too;
- ``footnote`` (kept, flagged): citation lines and bare reference links;
- ``repeat`` (excluded): a later copy of a paragraph that already appeared in
  the document, labelled with the first copy's offsets.

A document with no article text left (its lines all excluded, without
letters, or an HTML page's title) is refused with an :class:`InputError`.

It also sets ``Document.fingerprint``: a hash of the normalised body text
(furniture, footnotes, repeats and short title-like lines left out), equal
for the same article republished by two outlets with different chrome.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

import yaml

from dyadlens.errors import DataFileError, InputError
from dyadlens.ingest.meta import front_matter_end
from dyadlens.model import Document, Region, stable_id
from dyadlens.state import DocState

#: A paragraph shorter than this (normalised characters) is never a "repeat":
#: short lines such as "Read more" legitimately recur.
MIN_REPEAT_CHARS = 60
#: Blocks with fewer words are left out of the fingerprint (titles, bylines, headings).
MIN_FINGERPRINT_WORDS = 8
#: ``tail_only`` rules mark blocks starting after this share of the text.
TAIL_START = 2 / 3
_PROSE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Block:
    """One non-empty line of the text, without surrounding spaces."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    label: str
    kind: str
    patterns: tuple[str, ...]
    max_words: int | None = None
    tail_only: bool = False
    then_next: int = 0
    case_sensitive: bool = False

    @property
    def needs_author(self) -> bool:
        return any("{author}" in p for p in self.patterns)

    def compile(self, author: str | None) -> re.Pattern[str]:
        """One pattern for the rule: its patterns as alternatives, ``{author}`` filled in."""
        flags = 0 if self.case_sensitive else re.IGNORECASE
        name = re.escape(author or "")
        return re.compile("|".join(f"(?:{p.replace('{author}', name)})" for p in self.patterns), flags)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: str
    label: str


def default_furniture_file() -> Path:
    return Path(str(importlib_resources.files("dyadlens.ingest").joinpath("data/furniture.yaml")))


def load_furniture_rules(path: Path) -> tuple[FurnitureRule, ...]:
    """Rules of a furniture file; a malformed file raises :class:`DataFileError`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), [str(exc)]) from None
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DataFileError(str(path), ["expected a top-level 'rules' list"])
    rules, problems = [], []
    for number, entry in enumerate(entries, start=1):
        rule, problem = _rule_from_entry(entry)
        if problem:
            problems.append(f"rule {number}: {problem}")
        elif rule:
            rules.append(rule)
    if problems:
        raise DataFileError(str(path), problems)
    return tuple(rules)


def _rule_from_entry(entry: object) -> tuple[FurnitureRule | None, str | None]:
    if not isinstance(entry, dict) or not entry.get("label") or not entry.get("patterns"):
        return None, "needs 'label' and 'patterns'"
    if entry.get("kind") not in ("furniture", "footnote"):
        return None, "kind must be furniture or footnote"
    rule = FurnitureRule(
        label=str(entry["label"]),
        kind=str(entry["kind"]),
        patterns=tuple(str(p) for p in entry["patterns"]),
        max_words=entry.get("max_words"),
        tail_only=bool(entry.get("tail_only", False)),
        then_next=int(entry.get("then_next", 0)),
        case_sensitive=bool(entry.get("case_sensitive", False)),
    )
    try:
        rule.compile("Author Name")
    except re.error as exc:
        return None, f"bad pattern ({exc})"
    return rule, None


def text_blocks(text: str) -> list[Block]:
    """Every non-empty line of ``text`` with its stripped span."""
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            blocks.append(Block(start, start + len(stripped), stripped))
    return blocks


class Cleaner:
    """Pipeline component ``clean``: furniture, footnote and repeat regions, and the fingerprint."""

    name = "clean"
    version = "1"

    def __init__(self, furniture_file: Path | None = None) -> None:
        self.rules = load_furniture_rules(furniture_file or default_furniture_file())

    def __call__(self, state: DocState) -> None:
        document = state.document
        blocks = text_blocks(document.text)
        marks = _front_matter_marks(blocks, document.text) if document.format == "md" else []
        marks += self._furniture_marks([b for b in blocks if b.start >= (marks[-1].end if marks else 0)], document)
        marks += _repeat_marks(blocks, marks)
        _require_article_text(document, blocks, marks)
        state.regions.extend(_region(document.id, mark, self.version) for mark in sorted(marks, key=lambda m: m.start))
        document.fingerprint = fingerprint(blocks, marks)

    def _furniture_marks(self, blocks: Sequence[Block], document: Document) -> list[_Mark]:
        usable = [rule for rule in self.rules if document.author or not rule.needs_author]
        compiled = [(rule, rule.compile(document.author)) for rule in usable]
        tail_start = int(len(document.text) * TAIL_START)
        marks: list[_Mark] = []
        pending: tuple[int, FurnitureRule] | None = None
        for block in blocks:
            if pending:
                marks.append(_Mark(block.start, block.end, pending[1].kind, pending[1].label))
                pending = (pending[0] - 1, pending[1]) if pending[0] > 1 else None
                continue
            rule = _first_match(compiled, block, tail_start)
            if rule:
                marks.append(_Mark(block.start, block.end, rule.kind, rule.label))
                pending = (rule.then_next, rule) if rule.then_next else None
        return marks


def _front_matter_marks(blocks: Sequence[Block], text: str) -> list[_Mark]:
    """The YAML front matter opening a markdown text: metadata, not article text."""
    end = front_matter_end(text)
    if end is None:
        return []
    return [_Mark(b.start, b.end, "furniture", "front matter") for b in blocks if b.end <= end]


def _first_match(
    compiled: Sequence[tuple[FurnitureRule, re.Pattern[str]]], block: Block, tail_start: int
) -> FurnitureRule | None:
    for rule, pattern in compiled:
        if rule.max_words is not None and block.words > rule.max_words:
            continue
        if rule.tail_only and block.start < tail_start:
            continue
        if pattern.search(block.text):
            return rule
    return None


def _repeat_marks(blocks: Sequence[Block], marks: Sequence[_Mark]) -> list[_Mark]:
    """Later copies of a paragraph seen earlier in the document (furniture left aside)."""
    marked = {m.start for m in marks}
    first_seen: dict[str, Block] = {}
    repeats = []
    for block in blocks:
        if block.start in marked:
            continue
        key = normalise(block.text)
        if len(key) < MIN_REPEAT_CHARS:
            continue
        first = first_seen.setdefault(key, block)
        if first is not block:
            repeats.append(_Mark(block.start, block.end, "repeat", f"repeat of {first.start}-{first.end}"))
    return repeats


def _require_article_text(document: Document, blocks: Sequence[Block], marks: Sequence[_Mark]) -> None:
    """Refuse a document with no line of article text: every line is excluded, has no
    letters, or is the title an HTML page opens with (the reader puts it there).

    That is a page of navigation, share and cookie prompts and notices, whatever its title.
    """
    excluded = {m.start for m in marks if m.kind != "footnote"}
    title = (document.title or "").strip()
    page_title = blocks[0] if document.format == "html" and blocks and blocks[0].text == title else None
    if not any(b.start not in excluded and b is not page_title and _has_letter(b.text) for b in blocks):
        raise InputError(
            document.path,
            "no article text: every line is a page title, site furniture (navigation, share or cookie prompts, "
            "notices) or has no letters",
        )


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _region(doc_id: str, mark: _Mark, version: str) -> Region:
    return Region(
        id=stable_id(doc_id, mark.start, mark.end, "clean", version, mark.kind),
        doc_id=doc_id,
        start=mark.start,
        end=mark.end,
        kind=mark.kind,
        label=mark.label,
        excluded=mark.kind != "footnote",
    )


def normalise(text: str) -> str:
    """Lower-case letters and digits only, single-spaced: what two copies of a text share."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"\w+", folded))


def _is_body_paragraph(text: str) -> bool:
    """Long enough and ending like prose: titles, bylines and headings are left out."""
    return len(text.split()) >= MIN_FINGERPRINT_WORDS and bool(_PROSE_END.search(text))


def fingerprint(blocks: Sequence[Block], marks: Sequence[_Mark]) -> str:
    """sha1 of the normalised body paragraphs (no furniture, footnotes, repeats or title lines).

    A text with no paragraph long enough uses all its unmarked lines; a text
    with none gets ``""`` (no fingerprint, so never a duplicate).
    """
    marked = {m.start for m in marks}
    kept = [b.text for b in blocks if b.start not in marked]
    body = [t for t in kept if _is_body_paragraph(t)] or kept
    normalised = " ".join(normalise(t) for t in body)
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest() if normalised else ""
