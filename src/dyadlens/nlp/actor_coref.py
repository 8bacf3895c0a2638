"""Nominal coreference inside one document.

"the group", "the militant group", "the militants", "the insurgents", "the
movement" refer to the armed group named last (within a few sentences);
"the envoy", "the diplomat", "the ambassador" to the person named last whose
office fits; "the new authorities", "the new rulers", "the new government" to the
armed group or movement named last (the one that has just taken power). Only
definite noun phrases ("the" or "this" + optional
adjectives + the noun) are read, and not when a prepositional phrase names
something else ("the group of experts") or a modifier sets the referent apart
("the second group", "the other group", "the same movement"). When two
different compatible actors compete on equal footing (both subjects or
objects of the sentence that settles it), nothing is resolved. "The country"
is not resolved: in analysis texts it points at the topic country as often
as at the country named last.

Subject pronouns ("they", "it", "he", "she") that open a sentence without an
actor named before them in it take the most salient compatible actor of the
preceding sentence: its main subject first, else its only compatible
subject or object, else its only compatible actor at all; "he" and "she"
take a named person (the actor the person acts for). Expletive "it" ("it is
clear that ...") and pronouns with two competing antecedents stay unresolved.

Each anaphor resolved becomes a mention, and a :class:`CorefLink` to the
mention it refers to goes into ``DocState.coref``, for the readers after the
actor stage ("he said" in the quote reader).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyadlens.nlp.lexicon import Lexicon

GROUP_TYPES = frozenset({"armed_group", "movement"})
DETERMINERS = frozenset({"the", "this"})
NEW_RULERS = "new-rulers"
LOOKBACK_SENTENCES = 5
#: Subject pronouns and the antecedents they accept: a plural or singular non-person actor, a person.
PRONOUN_KINDS = {"they": "actor", "it": "actor", "he": "person", "she": "person"}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLAUSE_CHILDREN = frozenset({"ccomp", "xcomp", "csubj", "acomp", "advcl"})


@dataclass(frozen=True, slots=True)
class Anaphor:
    start: int  # document offsets
    end: int
    noun: str  # the head noun's lemma


@dataclass(frozen=True, slots=True)
class CorefLink:
    """An anaphor the actor stage resolved ("the group", "he"), linked to the mention it refers to.

    The antecedent may be an anaphor itself ("Lavrov spoke. He ... He ..."): its own
    link, found at ``antecedent_start``, leads on to the name.
    """

    start: int  # document offsets of the anaphor
    end: int
    antecedent_start: int  # where the antecedent mention starts in the document
    actor_id: str
    person: str | None


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
    main_subject: bool = False  # the subject of its sentence's root clause


def find_anaphors(doc: Any, lexicon: Lexicon) -> list[Anaphor]:
    """Definite noun phrases headed by a coreference noun."""
    offices = lexicon.offices
    found = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and lemma in offices.new_ruler_nouns and _new_definite(token):
            found.append(Anaphor(token.left_edge.idx, token.idx + len(token.text), NEW_RULERS))
            continue
        if token.pos_ != "NOUN" or (lemma not in offices.group_nouns and lemma not in offices.person_nouns):
            continue
        if any(c.lower_ in lexicon.actors.distinguishing_modifiers or c.dep_ == "nummod" for c in token.lefts):
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


def _new_definite(token: Any) -> bool:
    """"the new authorities": a definite phrase whose only modifier is "new"."""
    lefts = list(token.lefts)
    words = [c.lower_ for c in lefts]
    if not words or words[0] not in DETERMINERS or "new" not in words:
        return False
    return all(c.dep_ in ("det", "amod") for c in lefts) and not any(c.dep_ == "prep" for c in token.children)


def resolve_anaphor(
    anaphor: Anaphor, sentence_index: int, offset: int, earlier: Sequence[Antecedent], lexicon: Lexicon
) -> Antecedent | None:
    """The antecedent an anaphor at document ``offset`` refers to, or None.

    The most recent compatible mention wins, unless a subject or object of
    the same or the sentence before it is compatible too ("praised the
    militia as an ally against the cartel, though the movement ..." is the
    militia).
    """
    compatible = [
        c
        for c in earlier
        if c.offset < offset
        and sentence_index - c.sentence_index <= LOOKBACK_SENTENCES
        and _compatible(anaphor.noun, c, lexicon)
    ]
    if not compatible:
        return None
    latest = compatible[-1]
    core = [c for c in compatible if c.core and latest.sentence_index - c.sentence_index <= 1]
    pool = core or [c for c in compatible if c.sentence_index == latest.sentence_index]
    chosen = pool[-1]
    rivals = {c.actor_id for c in pool if c.sentence_index == chosen.sentence_index}
    return chosen if len(rivals) == 1 else None


def find_subject_pronouns(doc: Any, expletive_heads: frozenset[str]) -> list[Anaphor]:
    """Subject pronouns ("they", "it", "he", "she") that are no placeholder ("it is likely that")."""
    found = []
    for token in doc:
        word = token.lower_
        if word not in PRONOUN_KINDS or token.pos_ != "PRON" or token.dep_ not in SUBJECT_DEPS:
            continue
        if word == "it" and _is_expletive(token, expletive_heads):
            continue
        found.append(Anaphor(token.idx, token.idx + len(token.text), word))
    return found


def _is_expletive(pronoun: Any, expletive_heads: frozenset[str]) -> bool:
    """An "it" subject of a verb whose "it" is usually a placeholder for a later clause ("it is clear that")."""
    head = pronoun.head
    if head.lemma_.lower() not in expletive_heads:
        return False
    return any(c.dep_ in CLAUSE_CHILDREN and c.i > pronoun.i for c in head.children) or any(
        c.dep_ in ("attr", "acomp") and any(g.dep_ in ("ccomp", "xcomp", "relcl", "acl") for g in c.children)
        for c in head.children
    )


def resolve_pronoun(pronoun: Anaphor, previous: Sequence[Antecedent]) -> Antecedent | None:
    """The antecedent of a subject pronoun among the mentions of the preceding sentence, or None."""
    compatible = [c for c in previous if _pronoun_fits(pronoun.noun, c)]
    for pool in (
        [c for c in compatible if c.main_subject],
        [c for c in compatible if c.core],
        compatible,
    ):
        actors = {c.actor_id for c in pool}
        if len(actors) == 1:
            return pool[0]
        if len(actors) > 1:
            return None
    return None


def _pronoun_fits(word: str, candidate: Antecedent) -> bool:
    if PRONOUN_KINDS[word] == "person":
        return candidate.person is not None
    return candidate.person is None and candidate.actor_type != "person"


def _compatible(noun: str, candidate: Antecedent, lexicon: Lexicon) -> bool:
    if noun in lexicon.offices.group_nouns or noun == NEW_RULERS:
        return candidate.person is None and candidate.actor_type in GROUP_TYPES
    if candidate.person is None:
        return False
    return any(fragment in candidate.person_roles for fragment in lexicon.offices.person_nouns[noun])
