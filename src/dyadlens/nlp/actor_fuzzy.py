"""Misspelled actor names ("the Talibn", "Afganistan"): near matches with guards.

Only a capitalised word of five letters or more that stands alone (not
inside a longer capitalised name), is no known English word and matched no
alias is tried, and only against one-word names, aliases and capitals that
are not themselves short acronyms. Five to seven letters allow one edit
(insertion, deletion, substitution or swap of neighbours), eight or more
allow two. When several actors are equally near, an actor the document
names elsewhere wins; otherwise the word stays unresolved.

A name is compared letter by letter only when the letters the two words do not share allow
it: a substitution, insertion or deletion changes one letter and a swap of neighbours none,
so a word with more letters the name lacks (or the other way round) than the edits allowed
is farther than that, and is passed over without the distance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

from dyadlens.kb.knowledge_base import AliasEntry, KnowledgeBase

MIN_LENGTH = 5
LONG_LENGTH = 8
FUZZY_KINDS = ("name", "alias", "capital")
#: Distinct words whose nearest names are remembered (a few MiB at most).
NEAREST_CACHE_SIZE = 50_000


def max_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= LONG_LENGTH else 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class FuzzyNames:
    def __init__(self, kb: KnowledgeBase, is_known_word: Callable[[str], bool]) -> None:
        self.is_known_word = is_known_word
        self.by_length: dict[int, list[tuple[str, frozenset[str], AliasEntry]]] = defaultdict(list)
        for key, entries in kb.alias_index.items():
            if len(key) != 1 or len(key[0]) < MIN_LENGTH - 1:
                continue
            for entry in entries:
                if entry.kind in FUZZY_KINDS and not entry.strict:
                    self.by_length[len(key[0])].append((key[0], frozenset(key[0]), entry))
        # the same words come back in document after document; the search over the names is the cost
        self._nearest = lru_cache(maxsize=NEAREST_CACHE_SIZE)(self._nearest_uncached)

    @staticmethod
    def may_be_misspelled(word: str) -> bool:
        """Long enough and capitalised: only such a word can have :meth:`candidates`."""
        return max_edits(word) > 0 and word[:1].isupper()

    def candidates(self, word: str, mentioned: Collection[str]) -> tuple[AliasEntry, ...]:
        """The alias entries ``word`` is a misspelling of (empty when none, or when ambiguous)."""
        limit = max_edits(word)
        if not self.may_be_misspelled(word):
            return ()
        nearest = self._nearest(word.casefold(), limit)
        return _unambiguous(nearest, mentioned) if nearest else ()

    def _nearest_uncached(self, folded: str, limit: int) -> tuple[AliasEntry, ...]:
        """The entries of the nearest names within ``limit`` edits (empty for a known word)."""
        if self.is_known_word(folded):
            return ()
        best: dict[int, list[AliasEntry]] = defaultdict(list)
        letters = frozenset(folded)
        for length in range(len(folded) - limit, len(folded) + limit + 1):
            for name, name_letters, entry in self.by_length.get(length, ()):
                if len(letters - name_letters) > limit or len(name_letters - letters) > limit:
                    continue  # each letter one word lacks takes an edit of its own (a swap takes none)
                distance = edit_distance(folded, name, limit)
                if 0 < distance <= limit:
                    best[distance].append(entry)
        return tuple(best[min(best)]) if best else ()


def _unambiguous(entries: Sequence[AliasEntry], mentioned: Collection[str]) -> tuple[AliasEntry, ...]:
    ids = {e.entity_id for e in entries}
    if len(ids) > 1:
        ids &= set(mentioned)
    if len(ids) != 1:
        return ()
    (only,) = ids
    return tuple(e for e in entries if e.entity_id == only)
