"""Read a PETRARCH/TABARI ``.verbs`` dictionary into dyadlens verb entries.

Supported constructs (the common ones):

- ``--- VERB [CODE] ---`` block headers, the verb lines under them (a word,
  optionally ``{IRREGULAR FORMS}``), giving one entry with the block's code;
- patterns ``- * WORDS [CODE]`` with the verb at ``*`` and words after it:
  a leading preposition becomes the entry's target preposition, the other words
  the required object (``- * DIPLOMATIC TIES [064]`` -> object *tie*, modifier
  *diplomatic*; ``- * WITH [031]`` -> target after *with*); ``_`` joins words;
- synsets ``&NAME`` with ``+MEMBER`` lines, expanded inside patterns;
- ``#`` comments and ``<!-- -->`` lines.

Skipped, and counted: patterns with words before the verb (``SAID *``), the
source/target/compound markers ``$``, ``+`` and ``%`` inside patterns, paired
codes (``[032:033]``), codes that are not in the ontology (the validation
dictionary's test-only codes such as ``9xx``) and blocks with no code
(``[---]``) when a pattern gives none either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dyadlens.errors import DataFileError
from dyadlens.kb.ontology import Ontology
from dyadlens.nlp.verb_entry import VerbEntry

_BLOCK = re.compile(r"^---\s*([A-Z_'-]+)\s*\[([^\]]*)\]\s*---")
_PATTERN = re.compile(r"^-\s+(.*?)\s*\[([^\]]*)\]")
_PREPOSITIONS = frozenset(
    {
        "with", "to", "on", "against", "for", "from", "of", "in", "into", "by", "at", "over", "about", "upon",
        "toward", "towards",
    }
)

#: PETRARCH looks for the target anywhere in the verb phrase after the pattern's words, so a pattern
#: that names an object ("- * DIPLOMATIC TIES") and no preposition takes its target from a prepositional
#: phrase ("restored diplomatic ties with X"); "of" (the object's owner) and "by" (a passive's agent) excepted.
_TARGET_PREPOSITIONS = _PREPOSITIONS - {"of", "by"}


def read_petrarch_verbs(path: Path, ontology: Ontology, order: int) -> tuple[list[VerbEntry], int]:
    """Entries from a PETRARCH verbs file and the number of patterns that could not be used."""
    try:
        lines = [_strip_comment(line) for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    blocks = _blocks(lines)
    if not blocks:
        raise DataFileError(str(path), ["no '--- VERB [CODE] ---' blocks: not a PETRARCH verbs dictionary"])
    synsets = _synsets(lines)
    entries: list[VerbEntry] = []
    skipped = 0
    for number, block in enumerate(blocks, start=1):
        built, missed = _block_entries(block, f"{path.stem}:{number}", ontology, synsets, order)
        entries.extend(built)
        skipped += missed
    return entries, skipped


@dataclass
class _Block:
    code: str
    verbs: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)


def _strip_comment(line: str) -> str:
    return "" if line.lstrip().startswith("<!--") else line.split("#", 1)[0].rstrip()


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        header = _BLOCK.match(line)
        if header:
            blocks.append(_Block(code=header.group(2).strip()))
            _add_verb(blocks[-1], header.group(1))
        elif not blocks or not line.strip() or line.startswith(("+", "<")):
            continue
        elif line.startswith("&"):
            blocks[-1].patterns.append("")  # a synset definition ends the verb lines
        elif line.startswith("-"):
            blocks[-1].patterns.append(line)
        elif not blocks[-1].patterns:
            _add_verb(blocks[-1], line.split("{")[0].split()[0])
    return blocks


def _add_verb(block: _Block, word: str) -> None:
    lemma = word.strip("_").lower()
    if lemma and "_" not in lemma and lemma not in block.verbs:
        block.verbs.append(lemma)


def _synsets(lines: list[str]) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("&") and " " not in stripped:
            current = synsets.setdefault(stripped[1:].rstrip("_").upper(), [])
        elif stripped.startswith("+") and current is not None:
            current.append(stripped[1:].strip())
        elif not stripped:
            current = None
    return synsets


def _block_entries(
    block: _Block, block_id: str, ontology: Ontology, synsets: dict[str, list[str]], order: int
) -> tuple[list[VerbEntry], int]:
    lemmas = frozenset(block.verbs)
    entries = []
    if ":" not in block.code and ontology.is_valid(block.code):
        entries.append(_entry(block_id, block.code, lemmas, order))
    skipped = 0
    for number, line in enumerate((p for p in block.patterns if p), start=1):
        pattern = _pattern(line, ontology, synsets)
        if pattern is None:
            skipped += 1
            continue
        code, preps, rest = pattern
        if rest and not preps:
            preps = sorted(_TARGET_PREPOSITIONS)
        entries.append(_entry(f"{block_id}.{number}", code, lemmas, order, preps, rest[-1:], rest[:-1]))
    return entries, skipped


def _pattern(line: str, ontology: Ontology, synsets: dict[str, list[str]]) -> tuple[str, list[str], list[str]] | None:
    """(code, target prepositions, object words) of a ``- * WORDS [CODE]`` pattern, or None."""
    match = _PATTERN.match(line)
    if match is None:
        return None
    code = match.group(2).strip()
    words = match.group(1).replace("_", " ").split()
    usable = words and words[0] == "*" and not any(mark in w for w in words for mark in "$+%*" if w != "*")
    if not usable or ":" in code or not ontology.is_valid(code):
        return None
    expanded = [_expand(w, synsets) for w in words[1:]]
    preps = [w for w in expanded[:1] if w in _PREPOSITIONS]
    return code, preps, expanded[len(preps) :]


def _expand(word: str, synsets: dict[str, list[str]]) -> str:
    """A word, lower case; a synset stands for its first member's head word."""
    if word.startswith("&"):
        members = synsets.get(word[1:].upper(), [])
        return members[0].split()[-1].lower() if members else word.lower()
    return word.lower()


def _entry(
    entry_id: str,
    code: str,
    lemmas: frozenset[str],
    order: int,
    preps: Sequence[str] = (),
    objects: Sequence[str] = (),
    modifiers: Sequence[str] = (),
) -> VerbEntry:
    return VerbEntry(
        id=entry_id,
        code=code,
        kind="verb",
        lemmas=lemmas,
        preps=frozenset(preps),
        objects=frozenset(o for word in objects for o in {word, word.removesuffix("s")}),
        modifiers=frozenset(modifiers),
        note="imported from a PETRARCH verbs dictionary",
        order=order,
    )
