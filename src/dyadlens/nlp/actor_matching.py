"""Find KB aliases in a sentence: longest match first, with the KB's case rules.

The sentence is split with :func:`dyadlens.kb.aliases.tokenize`; the longest
alias wins over every shorter one it overlaps ("Pakistani Taliban" before
"Pakistani", "Islamic State Khorasan Province" before "Islamic State", "UN
Security Council" before "the UN"). In a sentence written in capitals (a headline),
short acronym aliases that are also English words ("US", "IS") are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import ascii_lowercase

from spacy.lang.en.stop_words import STOP_WORDS

from dyadlens.kb.aliases import Token, case_compatible, tokenize
from dyadlens.kb.knowledge_base import AliasEntry, KnowledgeBase

#: Share of upper-case letters above which a sentence counts as a headline in capitals.
CAPITALS_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """A run of tokens that reads as one or more alias entries (several when actors share it)."""

    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    start: int  # character offsets relative to the sentence
    end: int
    entries: tuple[AliasEntry, ...]


def is_capitals(text: str) -> bool:
    if 5 * sum(map(text.count, ascii_lowercase)) > len(text):
        return False  # over a fifth of the characters are small letters: far under the share
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= CAPITALS_SHARE


class AliasMatcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def find(self, text: str) -> tuple[list[Token], list[AliasMatch]]:
        """The sentence's tokens and its alias matches, left to right, not overlapping.

        Longer matches are chosen first wherever they start, so "the UN
        Security Council" is one match although "the UN" starts earlier.
        """
        tokens = tokenize(text)
        folded = [t.text.casefold() for t in tokens]
        capitals = is_capitals(text)
        candidates = [m for i in range(len(tokens)) if (m := self._longest_at(tokens, folded, i, capitals))]
        taken: list[AliasMatch] = []
        for match in sorted(candidates, key=lambda m: (m.first - m.last, m.first)):
            if all(match.last < kept.first or match.first > kept.last for kept in taken):
                taken.append(match)
        return tokens, sorted(taken, key=lambda m: m.first)

    def _longest_at(self, tokens: list[Token], folded: list[str], i: int, capitals: bool) -> AliasMatch | None:
        for n in self.kb.alias_lengths.get(folded[i], ()):
            if i + n > len(tokens):
                continue
            entries = self.kb.alias_index.get(tuple(folded[i : i + n]))
            if not entries:
                continue
            window = tokens[i : i + n]
            written = tuple(t.text for t in window)
            fitting = tuple(
                e for e in entries if case_compatible(e.tokens, written, e.strict) and _allowed(e, capitals)
            )
            if fitting:
                return AliasMatch(i, i + n - 1, window[0].start, window[-1].end, fitting)
        return None


def _allowed(entry: AliasEntry, capitals: bool) -> bool:
    """In a headline in capitals, an acronym that is also a common word ("US", "IS") says nothing."""
    return not (capitals and entry.strict and entry.text.casefold() in STOP_WORDS)
