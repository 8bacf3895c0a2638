"""How names are compared: tokens, normalisation and case rules.

Names are split into word tokens (letters and ASCII digits) and single
punctuation tokens; whitespace between tokens does not matter, so
"Tehrik-i-Taliban" and "U.S." compare token by token with the text. Curly
apostrophes are straightened first. Subscript and superscript footnote marks
("Moscow₄₅") are punctuation, not part of the word.

Case rules (:func:`case_compatible`):

- a *strict* alias (an acronym such as "US", "IS", "UN", or anything of four
  characters or fewer) matches only with exactly the same letters and case;
- any alias may be written all in capitals ("TALIBAN" in a headline); a
  one-word alias otherwise never matches in lower case ("turkey", "china");
- a longer alias tolerates a lower-case first word ("central Asian
  states", "the Taliban" for "The Taliban") and capitals where the alias has
  none ("Islamic State Group"), but not lower case where the alias has a
  capital later on ("Kabul now" is not "Kabul Now"), and the text must keep
  at least one capital of a capitalised alias ("foreign policy" is not the
  magazine).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " "})
STRICT_MAX_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return _is_word_char(self.text[0])


def _is_word_char(char: str) -> bool:
    return char.isalpha() or "0" <= char <= "9"


def normalise(text: str) -> str:
    """Same length as the input: straight apostrophes, plain spaces."""
    return text.translate(_APOSTROPHES)


#: Runs of word characters, else one non-space character. ``[^\W\d_]`` is every letter, and also
#: the few numerals that are no decimal digit ("₄", "½"); a run holding one of those is read again
#: by :func:`_iter_tokens`, which is exact but walks the text one character at a time.
_TOKEN = re.compile(r"(?P<word>(?:[^\W\d_]|[0-9])+)|\S")


def tokenize(text: str) -> list[Token]:
    """Word tokens (letters and ASCII digits) and one-character punctuation tokens."""
    normalised = normalise(text)
    tokens = []
    for match in _TOKEN.finditer(normalised):
        word = match.group()
        if match.lastgroup == "word" and not (word.isascii() or word.isalpha()):
            return list(_iter_tokens(normalised))
        tokens.append(Token(word, match.start(), match.end()))
    return tokens


def _iter_tokens(text: str) -> Iterator[Token]:
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if not _is_word_char(char):
            yield Token(char, i, i + 1)
            i += 1
            continue
        j = i
        while j < n and _is_word_char(text[j]):
            j += 1
        yield Token(text[i:j], i, j)
        i = j


def is_strict(alias: str) -> bool:
    """Acronyms and very short aliases must match with exactly the same case."""
    letters = [c for c in alias if c.isalpha()]
    if len(alias.replace(" ", "")) <= STRICT_MAX_LENGTH:
        return True
    return bool(letters) and all(c.isupper() for c in letters) and " " not in alias.strip()


def case_compatible(alias_tokens: tuple[str, ...], text_tokens: tuple[str, ...], strict: bool) -> bool:
    """Whether text written as ``text_tokens`` may be read as the alias (see module doc)."""
    if alias_tokens == text_tokens:
        return True
    if strict or len(alias_tokens) != len(text_tokens):
        return False
    if all(_capitals(t) for t in text_tokens if t[:1].isalpha()):
        return True
    if len(alias_tokens) == 1 or not _keeps_a_capital(alias_tokens, text_tokens):
        return False
    return all(
        a == t or (_initial_case_only(a, t) and (i == 0 or t[:1].isupper()))
        for i, (a, t) in enumerate(zip(alias_tokens, text_tokens, strict=True))
    )


def _capitals(word: str) -> bool:
    return word.isupper() and len(word) > 1


def _keeps_a_capital(alias_tokens: tuple[str, ...], text_tokens: tuple[str, ...]) -> bool:
    """A capitalised alias is a name only if the text capitalises at least one of its words."""
    if not any(a[:1].isupper() for a in alias_tokens):
        return True
    return any(t[:1].isupper() for t in text_tokens)


def _initial_case_only(alias_word: str, text_word: str) -> bool:
    return alias_word[1:] == text_word[1:] and alias_word[:1].casefold() == text_word[:1].casefold()
