"""Words a verb pattern requires before its verb (PETRARCH's ``- FAILED_TO_* [111]``).

A pattern's ``before`` words (:attr:`dyadlens.nlp.verb_entry.VerbEntry.before`) must
occur, in their order, among the words before the verb *in its clause*: the verb's
own dependents (auxiliaries, negation, adverbs, "to") and the verbs that govern it
("said" in "X said it would agree", "failed" in "X failed to agree"), with the
auxiliaries and negation of a governor whose subject controls the verb ("did not
try to agree"). The other dependents of a governing verb do not count, so "not" in
"X did not say that Y agreed" does not negate *agreed*. A ``_``
between two words makes them adjacent in the text; a trailing ``_`` puts the last
word right before the verb.

Words compare with the token as written or its lemma, lower case ("said" or "say").
"""

from __future__ import annotations

from typing import Any

ADJACENT = "_"
#: dependents of a governing verb that belong to the clause of the verb it governs
GOVERNOR_DEPENDENTS = frozenset({"aux", "auxpass", "neg", "advmod", "mark"})


def groups_of(before: tuple[str, ...]) -> tuple[list[list[str]], bool]:
    """The runs of adjacent words, in order, and whether the last run touches the verb."""
    groups: list[list[str]] = []
    joined = False
    for word in before:
        if word == ADJACENT:
            joined = True
        elif joined and groups:
            groups[-1].append(word)
            joined = False
        else:
            groups.append([word])
            joined = False
    return groups, bool(before) and before[-1] == ADJACENT


def clause_before(verb: Any) -> dict[int, Any]:
    """The tokens before ``verb`` in its clause, by document index: its left dependents'
    subtrees, the verbs that govern it and, for a controlled verb ("failed to V"), the
    governor's auxiliaries, negation and adverbs."""
    found = {t.i: t for t in verb.subtree if t.i < verb.i}
    governed = verb
    while governed.head.i != governed.i and governed.head.pos_ in ("VERB", "AUX"):
        governor = governed.head
        if governor.i < verb.i:
            found[governor.i] = governor
        if governed.dep_ == "xcomp":  # "did not try to V": the governor's auxiliaries bear on V too
            for child in governor.children:
                if child.i < verb.i and child.dep_ in GOVERNOR_DEPENDENTS:
                    found.update({t.i: t for t in child.subtree})
        governed = governor
    return found


def has_words_before(verb: Any, before: tuple[str, ...]) -> bool:
    """True when the pattern's ``before`` words precede ``verb`` in its clause (see module doc)."""
    groups, anchored = groups_of(before)
    if not groups:
        return True
    tokens = clause_before(verb)
    limit = verb.i  # each run must end before this index
    for number, group in enumerate(reversed(groups)):
        end = _rightmost_run(tokens, group, limit, exact_end=anchored and number == 0)
        if end is None:
            return False
        limit = end - len(group) + 1
    return True


def _rightmost_run(tokens: dict[int, Any], group: list[str], limit: int, exact_end: bool) -> int | None:
    """The index of the last token of the rightmost run of ``group`` ending before ``limit``."""
    ends = [limit - 1] if exact_end else sorted((i for i in tokens if i < limit), reverse=True)
    for end in ends:
        start = end - len(group) + 1
        if all(_same(tokens.get(start + k), word) for k, word in enumerate(group)):
            return end
    return None


def _same(token: Any, word: str) -> bool:
    return token is not None and word in (token.lower_, token.lemma_.lower())
