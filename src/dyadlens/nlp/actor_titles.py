"""Persons through their titles and institutions through their names, read from the parse.

Both use the generic offices of ``kb/data/offices.yaml`` (``KnowledgeBase.offices``)
and the mentions the alias pass already found, so no state needs an alias per office:

- **Institutions.** An institution noun with its state before it ("Ruritania's
  parliament", "the Ruritanian Supreme Court", "the Ruritania Foreign Ministry"), after
  it ("the Central Bank of Ruritania") or a possessive pronoun ("its Supreme Court":
  the one state named earlier in the sentence, else in the sentence before) becomes one
  mention of the state, or of the government of the day for executive organs. An
  institution named with no owner ("the Supreme Court") takes the owner of the last
  institution with the same words in the document, else is kept with no actor, so that
  it is not listed as an unknown actor.
- **Titled persons.** A name NER calls a person, which the KB does not know, acts for
  the owner of the office its title ("Ruritania's deputy foreign minister X", rule
  ``title``) or apposition ("X, a spokeswoman for the Ruritanian foreign ministry",
  ``of-phrase``; "the Ruritanian ambassador, X", ``apposition``) names, when exactly one
  actor owns it. Later mentions of the same surname act for it too (``surname``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyadlens.kb.knowledge_base import KnowledgeBase
from dyadlens.kb.offices import Office
from dyadlens.nlp.offsets import entities

#: Rules of mentions that already stand for whoever governs (the owner is not a bare state).
GOVERNMENT_RULE_MARKS = ("+agent", "government", "metonym", "institution")
OWNER_TYPES = frozenset({"state", "government", "organization", "igo", "region_group", "armed_group", "movement"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
APPOSITION_WINDOW = 12
TITLE_WINDOW = 8
OF_PREPOSITIONS = frozenset({"of", "for", "at", "to", "in"})


@dataclass(frozen=True, slots=True)
class Owned:
    """A mention the alias pass found, as the owner of an office (document offsets)."""

    start: int
    end: int
    actor_id: str
    rule: str


@dataclass(frozen=True, slots=True)
class OfficeMatch:
    """An office found in a sentence: document token range [first, last] and who holds it."""

    first: int
    last: int
    office: Office
    actor_id: str | None
    owner_start: int | None  # where the owner mention starts (None: no owner in the text)
    rule: str


def affiliation(kb: KnowledgeBase, owner: Owned, office: Office, date: str | None) -> str | None:
    """The actor an office of ``owner`` acts for on ``date``: the government of the day for an
    executive office of a state, else the owner itself."""
    entity = kb.get(owner.actor_id)
    if entity is None or entity.type == "person":
        return None
    if entity.type == "state" and office.acts_as == "government" and not _governs(owner.rule):
        return kb.government_of(entity.id, date)
    return entity.id


def _governs(rule: str) -> bool:
    return any(mark in rule for mark in GOVERNMENT_RULE_MARKS)


def owner_at(owners: Sequence[Owned], token: Any) -> Owned | None:
    """The owner mention covering ``token``."""
    return next((o for o in owners if o.start <= token.idx < o.end), None)


def institutions(span: Any, owners: Sequence[Owned], kb: KnowledgeBase) -> list[OfficeMatch]:
    """Institution names in a sentence span, each with its owner (see the module docstring)."""
    words = [t.lower_ for t in span]
    found: list[OfficeMatch] = []
    i = 0
    while i < len(words):
        office = kb.offices.longest_at(words, i, "institution")
        if office is None:
            i += 1
            continue
        first, last = span[i], span[i + len(office.words) - 1]
        if owner_at(owners, first) is None and not _modifies_noun(last):
            found.append(_owned_institution(span, first, last, office, owners))
        i += len(office.words)
    return found


def _modifies_noun(token: Any) -> bool:
    """"court ruling", "army base": the office word is a modifier, not the body."""
    return bool(token.dep_ in ("compound", "amod") and token.head.i > token.i)


def _owned_institution(span: Any, first: Any, last: Any, office: Office, owners: Sequence[Owned]) -> OfficeMatch:
    doc = span.doc
    before = doc[first.i - 1] if first.i > span.start else None
    if before is not None and before.lower_ in ("'s", "'") and before.i - 1 >= span.start:
        owner = owner_at(owners, doc[before.i - 1])
        if owner is not None:
            return OfficeMatch(first.i, last.i, office, owner.actor_id, owner.start, "institution")
    if before is not None:
        owner = owner_at(owners, before)
        if owner is not None:
            return OfficeMatch(first.i, last.i, office, owner.actor_id, owner.start, "institution")
        if before.lower_ in POSSESSIVE_PRONOUNS:
            return OfficeMatch(first.i, last.i, office, None, None, "institution:possessive")
    after = last.i + 1
    if after < span.end and doc[after].lower_ == "of":
        nxt = after + 1 + (1 if after + 1 < span.end and doc[after + 1].lower_ == "the" else 0)
        owner = owner_at(owners, doc[nxt]) if nxt < span.end else None
        if owner is not None:
            return OfficeMatch(first.i, last.i, office, owner.actor_id, owner.start, "institution")
    return OfficeMatch(first.i, last.i, office, None, None, "institution:unowned")


def titled_persons(span: Any, owners: Sequence[Owned], kb: KnowledgeBase, taken: Sequence[tuple[int, int]]) -> list[
    tuple[Any, OfficeMatch]
]:
    """The person names of a sentence span (spaCy entities outside ``taken``) whose title or
    apposition names an office with exactly one owner, each with that office."""
    result = []
    for ent in entities(span):
        if ent.label_ != "PERSON" or any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        match = _title_before(span, ent, owners, kb) or _apposition_after(span, ent, owners, kb)
        match = match or _apposition_before(span, ent, owners, kb)
        if match is not None:
            result.append((ent, match))
    return result


def _title_before(span: Any, ent: Any, owners: Sequence[Owned], kb: KnowledgeBase) -> OfficeMatch | None:
    """"Ruritania's deputy foreign minister X": an office ending right before the name."""
    first = max(span.start, ent.start - TITLE_WINDOW)
    window = _tail_without_breaks(list(span.doc[first : ent.start]))
    return _office_in(window, owners, kb, "title", ending_at=ent.start)


def _tail_without_breaks(window: list[Any]) -> list[Any]:
    """The tokens after the last punctuation, verb or preposition of a window."""
    for k in range(len(window) - 1, -1, -1):
        token = window[k]
        if (token.is_punct and token.lower_ not in ("'", "-")) or token.pos_ in ("VERB", "AUX", "ADP", "SCONJ"):
            return window[k + 1 :]
    return window


def _apposition_after(span: Any, ent: Any, owners: Sequence[Owned], kb: KnowledgeBase) -> OfficeMatch | None:
    """"X, a spokeswoman for the Ruritanian foreign ministry, said": an office after a comma."""
    doc = span.doc
    if ent.end >= span.end or doc[ent.end].text != ",":
        return None
    window = []
    for token in doc[ent.end + 1 : min(span.end, ent.end + 1 + APPOSITION_WINDOW)]:
        if (token.is_punct and token.lower_ not in ("'", "-")) or token.pos_ in ("VERB", "AUX", "SCONJ", "PRON"):
            break
        window.append(token)
    rule = "of-phrase" if any(t.lower_ in OF_PREPOSITIONS for t in window) else "apposition"
    return _office_in(window, owners, kb, rule, ending_at=None)


def _apposition_before(span: Any, ent: Any, owners: Sequence[Owned], kb: KnowledgeBase) -> OfficeMatch | None:
    """"the Ruritanian ambassador, X": an office right before a comma before the name."""
    doc = span.doc
    comma = ent.start - 1
    if comma <= span.start or doc[comma].text != ",":
        return None
    window = _tail_without_breaks(list(doc[max(span.start, comma - TITLE_WINDOW) : comma]))
    return _office_in(window, owners, kb, "apposition", ending_at=comma)


def _office_in(
    window: Sequence[Any], owners: Sequence[Owned], kb: KnowledgeBase, rule: str, ending_at: int | None
) -> OfficeMatch | None:
    """The first person office in ``window`` (ending at token ``ending_at`` when given) and its
    only owner among the mentions inside the window; None without one owner."""
    words = [t.lower_ for t in window]
    for k in range(len(window)):
        office = kb.offices.longest_at(words, k, "person")
        if office is None:
            continue
        last = k + len(office.words) - 1
        if ending_at is not None and window[last].i != ending_at - 1:
            continue
        inside = {o for t in window if (o := owner_at(owners, t)) is not None}
        if len({o.actor_id for o in inside}) != 1:
            return None
        owner = inside.pop()
        first = k
        while first > 0 and words[first - 1] in kb.offices.modifiers:
            first -= 1
        return OfficeMatch(window[first].i, window[last].i, office, owner.actor_id, owner.start, rule)
    return None


def surname(name: str) -> str:
    """The last word of a person's name (possessive dropped)."""
    words = name.replace("'s", "").split()
    return words[-1] if words else name
