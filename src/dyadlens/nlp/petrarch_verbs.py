"""Read a PETRARCH/TABARI ``.verbs`` dictionary into dyadlens verb entries.

Supported constructs:

- ``--- VERB [CODE] ---`` block headers and the verb lines under them (a word,
  optionally ``{IRREGULAR FORMS}`` and a ``[CODE]`` of its own), giving one entry
  with the block's code (and one per verb with a code of its own);
- multi-word verb lines, the verb marked ``+`` (``+CORDON_OFF``, ``WIRE_+TAP``): the
  words after the verb are its particles, the words before it must come right
  before it (``before``), one entry each with the block's code or the line's own;
- patterns ``- WORDS * WORDS [CODE]`` with the verb at ``*``:

  - words after the verb: a leading preposition becomes the entry's target
    preposition, the other words the required object and its modifiers
    (``- * DIPLOMATIC TIES [064]`` -> object *tie*, modifier *diplomatic*;
    ``- * WITH [031]`` -> target after *with*);
  - words before the verb (``- FAILED_TO_* [111]``, ``- SAID WOULD NOT * [112]``):
    the entry's ``before`` words, matched in the verb's clause
    (:mod:`dyadlens.nlp.preverbal`); ``_`` joins adjacent words;
  - the markers ``$`` (source), ``+`` (target) and ``%`` (a compound: coordinated
    actors acting together): a marker before the verb marks the subject, one right
    after it the object, one after a preposition that preposition's object. So
    ``- + * FROM $`` is a reversed entry (the subject is the target, the source
    follows *from*), ``- $ * WITH +`` a target after *with*, ``- * + IN DETENTION``
    a direct-object target with the phrase *in detention* required, and ``- % * ...``
    a symmetric entry coding each pair of coordinated subjects both ways;

- paired codes ``[032:033]`` on blocks and patterns: the first code for the event
  source -> target, the second for the target's event in return, target -> source
  ("left for X": a visit, and X receives it);
- synsets ``&NAME`` with ``+MEMBER`` lines: after the verb, a synset allows each of
  its members' head words; before it, each member (a phrase of adjacent words) gives
  an entry of its own;
- ``#`` comments and ``<!-- -->`` lines.

Skipped, and counted by reason (:func:`read_petrarch_verbs`): the ``^`` (skip a
phrase) token, a source after the verb with no target before it, markers after a
word that is not a preposition, undefined synsets, patterns with no code of their
own or a code that is not in the ontology (:func:`declared_codes` lists the
codes a file uses, so a suite may extend its ontology with them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from math import prod
from pathlib import Path

from dyadlens.errors import DataFileError
from dyadlens.kb.ontology import Ontology
from dyadlens.nlp.verb_entry import VerbEntry

_BLOCK = re.compile(r"^---\s*([A-Z_'-]+)\s*((?:\[[^\]]*\]\s*)+)---")
_CODE = re.compile(r"\[([^\]]*)\]")
_PATTERN = re.compile(r"^-\s+(.*?)\s*\[([^\]]*)\]")
_PREPOSITIONS = frozenset(
    {
        "with", "to", "on", "against", "for", "from", "of", "in", "into", "by", "at", "over", "about", "upon",
        "toward", "towards", "between",
    }
)
MARKERS = frozenset("$+%")
SOURCE, TARGET, COMPOUND = "$", "+", "%"
#: words that make a marked subject the patient of a passive ("+ WAS_ *"), which the coder reads as the target
_PASSIVE_AUXILIARIES = frozenset({"was", "were", "is", "are", "be", "been", "being"})
#: before-word alternatives a pattern may expand into (one entry each)
MAX_ALTERNATIVES = 64

#: PETRARCH looks for the target anywhere in the verb phrase after the pattern's words, so a pattern
#: that names an object ("- * DIPLOMATIC TIES") and no preposition takes its target from a prepositional
#: phrase ("restored diplomatic ties with X"); "of" (the object's owner) and "by" (a passive's agent) excepted.
_TARGET_PREPOSITIONS = _PREPOSITIONS - {"of", "by"}


class Skip(Exception):
    """A pattern the importer cannot use; the message is the reason counted."""


def read_petrarch_verbs(path: Path, ontology: Ontology, order: int) -> tuple[list[VerbEntry], Counter[str]]:
    """Entries from a PETRARCH verbs file and the patterns that could not be used, by reason."""
    lines = _read_lines(path)
    blocks = _blocks(lines)
    if not blocks:
        raise DataFileError(str(path), ["no '--- VERB [CODE] ---' blocks: not a PETRARCH verbs dictionary"])
    synsets = _synsets(lines)
    entries: list[VerbEntry] = []
    skipped: Counter[str] = Counter()
    for number, block in enumerate(blocks, start=1):
        reader = _BlockReader(block, f"{path.stem}:{number}", ontology, synsets, order)
        entries.extend(reader.entries(skipped))
    return entries, skipped


def declared_codes(path: Path) -> set[str]:
    """Every event code a PETRARCH verbs file uses (blocks, verbs and patterns, each half of a pair)."""
    codes: set[str] = set()
    for line in _read_lines(path):
        if line.startswith(("---", "-")) or _CODE.search(line):
            for found in _CODE.findall(line):
                codes.update(c.strip() for c in found.split(":"))
    return {c for c in codes if re.fullmatch(r"\d{2,3}[0-9A-Z]?", c)}


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    return [_strip_comment(line) for line in text.splitlines()]


@dataclass
class _Block:
    code: str
    verbs: list[str] = field(default_factory=list)
    #: verbs with a code of their own ("DOWNPLAY [014]" under another block code)
    verb_codes: dict[str, str] = field(default_factory=dict)
    #: multi-word verbs ("+CORDON_OFF", "WIRE_+TAP"): (verb, words right before it, particles, own code)
    phrasal: list[tuple[str, tuple[str, ...], frozenset[str], str | None]] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)


def _strip_comment(line: str) -> str:
    return "" if line.lstrip().startswith("<!--") else line.split("#", 1)[0].rstrip()


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        header = _BLOCK.match(line)
        if header:
            blocks.append(_Block(code=_CODE.findall(header.group(2))[0].strip()))
            _add_verb(blocks[-1], header.group(1))
        elif blocks and not blocks[-1].patterns and _is_phrasal(line):
            _add_phrasal_verb(blocks[-1], line)
        elif not blocks or not line.strip() or line.startswith(("+", "<")):
            continue
        elif line.startswith("&"):
            blocks[-1].patterns.append("")  # a synset definition ends the verb lines
        elif line.startswith("-"):
            blocks[-1].patterns.append(line)
        elif not blocks[-1].patterns:
            own = _CODE.search(line.split("{")[0] + line.rsplit("}", 1)[-1])
            _add_verb(blocks[-1], line.split("{")[0].split()[0], own.group(1).strip() if own else None)
    return blocks


def _add_verb(block: _Block, word: str, code: str | None = None) -> None:
    lemma = word.strip("_").lower()
    if not lemma or "_" in lemma or "+" in lemma:
        return
    if lemma not in block.verbs:
        block.verbs.append(lemma)
    if code:
        block.verb_codes[lemma] = code


def _is_phrasal(line: str) -> bool:
    """A verb line naming a multi-word verb with its verb word marked: ``+BREAK_DOWN``, ``WIRE_+TAP``."""
    words = line.split("{")[0].split()
    return bool(words) and "_" in words[0] and sum(w.startswith("+") for w in words[0].split("_")) == 1


def _add_phrasal_verb(block: _Block, line: str) -> None:
    words = line.split("{")[0].split()[0].strip("_").lower().split("_")
    at = next(k for k, w in enumerate(words) if w.startswith("+"))
    before = tuple(w for word in words[:at] for w in (word, "_"))
    own = _CODE.search(line.split("{")[0] + line.rsplit("}", 1)[-1])
    block.phrasal.append((words[at][1:], before, frozenset(words[at + 1 :]), own.group(1).strip() if own else None))


def _synsets(lines: list[str]) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("&") and " " not in stripped:
            current = synsets.setdefault(_synset_name(stripped), [])
        elif stripped.startswith("+") and current is not None:
            current.append(stripped[1:].strip())
        elif not stripped:
            current = None
    return synsets


def _synset_name(word: str) -> str:
    return word[1:].rstrip("_").upper()


@dataclass(frozen=True)
class _Roles:
    """Where a pattern's markers put the source and the target."""

    preps: tuple[str, ...] = ()
    reverse: bool = False
    symmetric: bool = False
    marked: bool = False  # the pattern names the target's place itself


class _BlockReader:
    def __init__(
        self, block: _Block, block_id: str, ontology: Ontology, synsets: dict[str, list[str]], order: int
    ) -> None:
        self.block = block
        self.block_id = block_id
        self.ontology = ontology
        self.synsets = synsets
        self.order = order
        self.lemmas = frozenset(block.verbs)

    def entries(self, skipped: Counter[str]) -> list[VerbEntry]:
        found = self._verb_entries() + self._phrasal_entries(skipped)
        for number, line in enumerate((p for p in self.block.patterns if p), start=1):
            try:
                found.extend(self._pattern_entries(line, f"{self.block_id}.{number}"))
            except Skip as reason:
                skipped[str(reason)] += 1
        return found

    def _verb_entries(self) -> list[VerbEntry]:
        """The block's code for its verbs, and each verb's code of its own."""
        plain = self.lemmas - set(self.block.verb_codes)
        found = []
        for lemmas, code, entry_id in [
            (plain, self.block.code, self.block_id),
            *((frozenset({v}), c, f"{self.block_id}/{v}") for v, c in self.block.verb_codes.items()),
        ]:
            try:
                first, paired = self._codes(code)
            except Skip:
                continue
            if lemmas:
                entry = _entry(entry_id, first, lemmas, self.order, paired_code=paired)
                found.append(replace(entry, fallback_preps=_TARGET_PREPOSITIONS))
        return found

    def _phrasal_entries(self, skipped: Counter[str]) -> list[VerbEntry]:
        found = []
        for number, (verb, before, particles, own) in enumerate(self.block.phrasal, start=1):
            try:
                first, paired = self._codes(own or self.block.code)
            except Skip:
                continue
            if len(particles) > 1:
                skipped["verb of several words after its verb word"] += 1
                continue
            entry = _entry(f"{self.block_id}/+{number}", first, frozenset({verb}), self.order, paired_code=paired)
            found.append(
                replace(entry, particles=particles, before=before, fallback_preps=_TARGET_PREPOSITIONS)
            )
        return found

    def _codes(self, text: str) -> tuple[str, str]:
        """A code, or a paired ``first:second`` code, each checked against the ontology."""
        codes = [c.strip() for c in text.split(":")]
        if len(codes) > 2 or not all(codes):
            raise Skip("malformed code")
        if codes[0] == "---":
            raise Skip("no code")
        if not all(self.ontology.is_valid(c) for c in codes):
            raise Skip("code not in the ontology")
        return codes[0], (codes[1] if len(codes) == 2 else "")

    def _pattern_entries(self, line: str, entry_id: str) -> list[VerbEntry]:
        match = _PATTERN.match(line)
        if match is None:
            raise Skip("no code")
        code, paired = self._codes(match.group(2))
        body = match.group(1)
        if "^" in body:
            raise Skip("^ (skip a phrase)")
        if body.count("*") != 1:
            raise Skip("no verb position")
        head, tail = body.split("*")
        subject, alternatives = self._before(head)
        words, markers = _after(tail)
        roles = _roles(subject, markers, passive=any(w in _PASSIVE_AUXILIARIES for b in alternatives for w in b))
        if roles.symmetric and not paired:
            paired = code  # a compound acts together: each of its actors to each other, both ways
        expanded = [self._expand(w) for w in words]
        preps, rest, needs = _split_preposition(expanded, roles)
        base = _entry(
            entry_id, code, self.lemmas, self.order, preps, rest[-1:], [m for r in rest[:-1] for m in r], paired
        )
        base = replace(base, reverse=roles.reverse, symmetric=roles.symmetric, needs=needs)
        if len(alternatives) == 1:
            return [replace(base, before=alternatives[0])]
        return [replace(base, id=f"{entry_id}/{k}", before=b) for k, b in enumerate(alternatives, start=1)]

    def _before(self, head: str) -> tuple[str | None, list[tuple[str, ...]]]:
        """The marker of the subject (or None) and the before-word sequences the words allow."""
        anchored = head.rstrip().endswith("_")
        elements: list[tuple[str, bool]] = []  # (word or synset, joined to the previous one)
        for chunk in head.split():
            for k, part in enumerate(chunk.split("_")):
                if part:
                    elements.append((part, k > 0 and bool(elements)))
        subject_markers = [e for e, _ in elements if e in MARKERS]
        if len(subject_markers) > 1:
            raise Skip("several markers before the verb")
        words = [(e, joined) for e, joined in elements if e not in MARKERS]
        choices = [self._phrases(word) for word, _ in words]
        if prod(len(c) for c in choices) > MAX_ALTERNATIVES:
            raise Skip("too many synset alternatives")
        sequences = [_sequence(list(zip(picked, [j for _, j in words], strict=True)), anchored)
                     for picked in product(*choices)]
        return (subject_markers[0] if subject_markers else None), sequences

    def _phrases(self, word: str) -> list[tuple[str, ...]]:
        """A word, or each member of a synset, as a phrase of adjacent lower-case words."""
        if not word.startswith("&"):
            return [(word.lower(),)]
        members = self.synsets.get(_synset_name(word))
        if not members:
            raise Skip("undefined synset")
        phrases = [tuple(m.lower().replace("_", " ").split()) for m in members]
        if any(w.startswith("&") for p in phrases for w in p):
            raise Skip("synset inside a synset")
        return phrases

    def _expand(self, word: str) -> list[str]:
        """Words after the verb: a word, or the head words of each member of a synset."""
        if not word.startswith("&"):
            return [word.lower()]
        members = self.synsets.get(_synset_name(word))
        if not members:
            raise Skip("undefined synset")
        return [m.replace("_", " ").split()[-1].lower() for m in members if not m.startswith("&")]


def _sequence(words: list[tuple[tuple[str, ...], bool]], anchored: bool) -> tuple[str, ...]:
    """``before`` words with ``_`` between adjacent ones (and at the end when next to the verb)."""
    sequence: list[str] = []
    for phrase, joined in words:
        for k, word in enumerate(phrase):
            if sequence and (k > 0 or joined):
                sequence.append("_")
            sequence.append(word)
    return (*sequence, "_") if anchored and sequence else tuple(sequence)


def _after(tail: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The words after the verb and each marker's place there: ``object`` or ``prep:<word>``."""
    words: list[str] = []
    markers: list[tuple[str, str]] = []
    for token in tail.replace("_", " ").split():
        if token not in MARKERS:
            words.append(token)
        elif not words:
            markers.append((token, "object"))
        elif words[-1].lower() in _PREPOSITIONS:
            markers.append((token, f"prep:{words.pop().lower()}"))
        else:
            raise Skip("marker after a word that is not a preposition")
    return words, markers


def _roles(subject: str | None, markers: list[tuple[str, str]], passive: bool) -> _Roles:
    """Source and target routes from the markers' places (see the module docstring)."""
    after = dict(markers)
    if len(after) != len(markers):
        raise Skip("a marker twice after the verb")
    if SOURCE in after and TARGET in after:
        raise Skip("source and target both after the verb")
    target = after.get(TARGET) or after.get(COMPOUND)
    if subject == COMPOUND:
        if after:
            raise Skip("compound subject with another marker")
        return _Roles(symmetric=True)
    if subject == TARGET:
        return _target_subject(after.get(SOURCE), passive)
    if SOURCE in after:
        raise Skip("source after the verb with no target before it")
    if target is None:
        return _Roles()
    if target == "object":
        return _Roles(marked=True)
    return _Roles(preps=(target.removeprefix("prep:"),), marked=True)


def _target_subject(source: str | None, passive: bool) -> _Roles:
    """``+ * FROM $``: the subject is the target, the source follows the preposition; with no
    source, only a passive's subject ("+ WAS_ *"), which the coder reads as the target anyway."""
    if source is None:
        if not passive:
            raise Skip("target subject with no source")
        return _Roles(marked=True)
    if not source.startswith("prep:"):
        raise Skip("source as the object of a target subject")
    return _Roles(preps=(source.removeprefix("prep:"),), reverse=True, marked=True)


def _split_preposition(
    expanded: list[list[str]], roles: _Roles
) -> tuple[list[str], list[list[str]], tuple[tuple[str, str], ...]]:
    """Target prepositions, the object words (each a list of alternatives) and the required
    phrases of a pattern. After a marked object ("* + IN DETENTION") the words are a phrase
    that must hang off the verb or its object."""
    leading = [w[0] for w in expanded[:1] if len(w) == 1 and w[0] in _PREPOSITIONS]
    rest = expanded[len(leading) :]
    if roles.marked and leading and not roles.preps:
        if len(rest) != 1 or len(rest[0]) != 1:
            raise Skip("phrase after a marked object")
        return [], [], ((leading[0], rest[0][0]),)
    if roles.preps:
        return list(roles.preps), rest, ()
    if rest and not leading:
        return sorted(_TARGET_PREPOSITIONS), rest, ()
    return leading, rest, ()


def _entry(
    entry_id: str,
    code: str,
    lemmas: frozenset[str],
    order: int,
    preps: Sequence[str] = (),
    objects: Sequence[list[str]] = (),
    modifiers: Sequence[str] = (),
    paired_code: str = "",
) -> VerbEntry:
    return VerbEntry(
        id=entry_id,
        code=code,
        kind="verb",
        lemmas=lemmas,
        preps=frozenset(preps),
        objects=frozenset(o for words in objects for word in words for o in {word, word.removesuffix("s")}),
        modifiers=frozenset(modifiers),
        paired_code=paired_code,
        note="imported from a PETRARCH verbs dictionary",
        order=order,
    )
