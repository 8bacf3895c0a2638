"""Nominal coreference inside one document.

"the group", "the militant group", "the militants", "the insurgents", "the
movement" refer to the armed group named last (within a few sentences);
"the envoy", "the diplomat", "the ambassador" to the person named last whose
office fits. Only definite noun phrases ("the" or "this" + optional
adjectives + the noun) are read, and not when a prepositional phrase names
something else ("the group of experts") or a modifier sets the referent apart
("the second group", "the other group", "the same movement"). "The country"
is not resolved: in analysis texts it points at the topic country as often
as at the country named last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GROUP_NOUNS = frozenset({"group", "militant", "insurgent", "movement", "organization", "organisation", "outfit", "insurgency"})
GROUP_TYPES = frozenset({"armed_group", "movement"})
PERSON_NOUNS = {
    "envoy": ("envoy", "representative"),
    "diplomat": ("envoy", "ambassador", "minister", "representative", "diplomat"),
    "ambassador": ("ambassador",),
    "minister": ("minister",),
    "spokesman": ("spokes",),
    "spokesperson": ("spokes",),
}
DISTINGUISHING_MODIFIERS = frozenset(
    {"other", "another", "same", "second", "third", "first", "last", "next", "new", "different", "former", "latter", "whole", "entire", "such"}
)
DETERMINERS = frozenset({"the", "this"})
LOOKBACK_SENTENCES = 5


@dataclass(frozen=True, slots=True)
class Anaphor:
    start: int  # sentence offsets
    end: int
    noun: str  # the head noun's lemma


@dataclass(frozen=True, slots=True)
class Antecedent:
    """A resolved mention earlier in the document, as coreference sees it."""

    offset: int  # document offset
    sentence_index: int
    actor_id: str
    actor_type: str
    person: str | None
    person_roles: str  # lower-cased role titles of the person, joined
    core: bool = True  # subject or object of its clause (not inside a prepositional phrase)


def find_anaphors(doc: Any) -> list[Anaphor]:
    """Definite noun phrases headed by a coreference noun."""
    found = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" or lemma not in (GROUP_NOUNS | PERSON_NOUNS.keys()):
            continue
        if any(c.lower_ in DISTINGUISHING_MODIFIERS or c.dep_ == "nummod" for c in token.lefts):
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            continue
        if token.dep_ == "compound":
            continue
        determiner = next((c for c in token.lefts if c.dep_ == "det"), None)
        if determiner is None or determiner.lower_ not in DETERMINERS:
            continue
        found.append(Anaphor(determiner.idx, token.idx + len(token.text), lemma))
    return found


def resolve_anaphor(anaphor: Anaphor, sentence_index: int, offset: int, earlier: Sequence[Antecedent]) -> Antecedent | None:
    """The antecedent an anaphor at document ``offset`` refers to, or None.

    The most recent compatible mention wins, unless a subject or object of
    the same or the sentence before it is compatible too ("described the
    Taliban as a partner against ISKP, even though the movement ..." is the
    Taliban).
    """
    compatible = [
        c
        for c in earlier
        if c.offset < offset and sentence_index - c.sentence_index <= LOOKBACK_SENTENCES and _compatible(anaphor.noun, c)
    ]
    if not compatible:
        return None
    latest = compatible[-1]
    core = [c for c in compatible if c.core and latest.sentence_index - c.sentence_index <= 1]
    return core[-1] if core else latest


def _compatible(noun: str, candidate: Antecedent) -> bool:
    if noun in GROUP_NOUNS:
        return candidate.person is None and candidate.actor_type in GROUP_TYPES
    if candidate.person is None:
        return False
    return any(fragment in candidate.person_roles for fragment in PERSON_NOUNS[noun])
