"""A regular expression's first character as a lookahead, so a scan passes over other positions fast.

Python's ``re`` skips ahead to the characters a match can start with only when the pattern opens
with a literal or a set of them; a pattern that opens with lookbehinds (the year rule's eighteen
"not after 'Resolution '..." tests) or a word boundary is tried in full at every character.
:func:`first_character_guard` reads which characters a match's first consumed character can be
(looking through groups, alternatives, optional parts and zero-width assertions) and puts
``(?=[those])`` before the pattern: at any other position the lookahead fails at once. A match
still starts where it did and spells what it did; the guard only rules out positions where the
pattern cannot match. A pattern whose first character is not such a set (it may match empty, opens
with "any character", a negated set, a back-reference or scoped flags) is left as it is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from re import _constants as sre  # type: ignore[attr-defined]  # no stub for the parser's modules
from re import _parser  # type: ignore[attr-defined]
from typing import Any

#: Character categories a set may name, as a class writes them.
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
_ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)})


class _NoGuard(Exception):
    """The pattern's first character is not a set the guard can name."""


@dataclass
class _Firsts:
    """The characters a match can start with: code points, ranges of them, categories."""

    chars: set[int] = field(default_factory=set)
    ranges: set[tuple[int, int]] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)

    def as_class(self) -> str:
        parts = [_escaped(c) for c in sorted(self.chars)]
        parts += [f"{_escaped(low)}-{_escaped(high)}" for low, high in sorted(self.ranges)]
        return "[" + "".join(parts + sorted(self.categories)) + "]"


@functools.lru_cache(maxsize=1024)
def first_character_guard(pattern: str, flags: int = 0) -> str:
    """``pattern`` with a lookahead for its possible first characters, or as it is (see the module)."""
    try:
        firsts = _Firsts()
        if _nullable(list(_parser.parse(pattern, flags)), firsts):
            return pattern
    except (_NoGuard, re.error):
        return pattern
    guarded = f"(?={firsts.as_class()})(?:{pattern})"
    try:
        re.compile(guarded, flags)
    except re.error:  # a pattern that opens with global inline flags
        return pattern
    return guarded


def _nullable(items: list[tuple[Any, Any]], firsts: _Firsts) -> bool:
    """Add the first characters of the sequence ``items`` to ``firsts``; whether it can match empty."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if not _item_nullable(op, av, firsts):
            return False
    return True


def _item_nullable(op: Any, av: Any, firsts: _Firsts) -> bool:
    if op is sre.LITERAL:
        firsts.chars.add(av)
        return False
    if op is sre.IN:
        _add_set(av, firsts)
        return False
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        if add_flags or del_flags:
            raise _NoGuard
        return _nullable(list(inner), firsts)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _nullable(list(av), firsts)
    if op is sre.BRANCH:
        return any([_nullable(list(branch), firsts) for branch in av[1]])
    if op in _REPEATS:
        low, _high, inner = av
        return _nullable(list(inner), firsts) or low == 0
    raise _NoGuard


def _add_set(members: list[tuple[Any, Any]], firsts: _Firsts) -> None:
    for op, av in members:
        if op is sre.LITERAL:
            firsts.chars.add(av)
        elif op is sre.RANGE:
            firsts.ranges.add(av)
        elif op is sre.CATEGORY and av in _CATEGORIES:
            firsts.categories.add(_CATEGORIES[av])
        else:  # a negated set, another category
            raise _NoGuard


def _escaped(code: int) -> str:
    return f"\\U{code:08x}"
