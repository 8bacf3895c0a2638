"""Sectors: the CAMEO agent codes of each actor mention and of each event's two sides.

A mention's sectors come from the words that name it and from its syntactic
neighbourhood, never from who the actor is:

- its own words ("the defence ministry" -> MIL, "opposition lawmakers" -> OPP LEG);
- the agent noun it modifies, as a modifier, possessor or compound ("Russian
  troops", "the Afghan foreign ministry", "X's defence minister") or as the object
  of "of", "from", "in", "for" ("soldiers from X", "the parliament of X");
- the titles before a name ("Prime Minister Y") and an apposition ("Y, a court
  spokesman"; "the minister, Y");
- for a KB person, the offices the KB gives them.

A bare name ("Russia") has no sector unless the actor's own CAMEO code carries
one (``USAGOV``: GOV). Each event side then takes the sectors of the mention of
that side's actor that the trigger governs: the one nearest to the trigger in
the dependency tree among the sentence's mentions of that actor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dyadlens.kb.sectors import SectorLexicon, shipped_sectors
from dyadlens.nlp.offsets import span_root
from dyadlens.state import by_sentence

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.model import ActorRef, Event, Mention
    from dyadlens.resources import Resources
    from dyadlens.state import DocState

#: Dependency labels by which a mention modifies the agent noun that says what part of the actor acts.
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})
#: Prepositions whose object is the owner of the noun they attach to ("soldiers from X").
OWNER_PREPOSITIONS = frozenset({"of", "from", "in", "for"})
#: Left dependents that belong to an agent noun's phrase ("the main opposition group"); a possessor
#: is another actor ("the state's fiercest foe" is no government).
PHRASE_DEPS = frozenset({"amod", "compound", "nmod"})
NOMINAL_POS = frozenset({"NOUN", "PROPN"})
#: Actor types whose name is read for sectors; a named organisation's own CAMEO code says its sector
#: ("Islamic State" is no government), though a common noun naming it is read ("Afghan officials"
#: for a de facto government that is an armed group).
NAME_READ_TYPES = frozenset({"state", "government", "person", "region_group", "unknown"})


def sector_lexicon(resources: Resources) -> SectorLexicon:
    """The shipped sector list with the KB's agent terms (a loaded PETRARCH dictionary's among them) first."""
    return SectorLexicon(shipped_sectors(), resources.kb.agents)


class MentionSectors:
    """Stage ``sectors``: each mention gets the sector codes its words and neighbourhood give it."""

    name = "sectors"
    version = "1"

    def __init__(self, lexicon: SectorLexicon, kb: KnowledgeBase) -> None:
        self.lexicon = lexicon
        self.kb = kb

    def __call__(self, state: DocState) -> None:
        state.mentions = [self._with_sectors(state, m) for m in state.mentions]

    def _with_sectors(self, state: DocState, mention: Mention) -> Mention:
        actor = state.actors.get(mention.actor_id or "")
        codes = self.mention_codes(state.doc, mention, actor)
        if not codes and actor is not None:
            entity = self.kb.get(actor.id)  # a dictionary's date-restricted code for the document's date
            codes = self.lexicon.own_sectors(entity.cameo_on(state.document.published) if entity else actor.cameo)
        return replace(mention, sectors=" ".join(codes) or None)

    def mention_codes(self, doc: Any, mention: Mention, actor: ActorRef | None = None) -> list[str]:
        """The sector codes the mention's words, neighbourhood and KB offices give."""
        codes: list[str] = []
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if doc is not None else None
        if span is None or not len(span):
            phrases = []
        else:
            phrases = list(neighbour_phrases(span))[0 if reads_own_words(span, actor) else 1 :]
        for phrase in phrases:
            words = [t.text for t in phrase]
            lemmas = [t.lemma_ or t.text for t in phrase]
            codes.extend(c for c in self.lexicon.codes_in(words, lemmas) if c not in codes)
        if mention.person:
            codes.extend(c for c in self._office_codes(mention.person) if c not in codes)
        return codes

    def _office_codes(self, person_id: str) -> list[str]:
        entity = self.kb.get(person_id)
        roles = entity.roles if entity is not None else ()
        found: list[str] = []
        for role in roles:
            found.extend(c for c in self.lexicon.codes_in(role.role.replace("-", " - ").split()) if c not in found)
        return found



def reads_own_words(span: Any, actor: ActorRef | None) -> bool:
    """Whether the mention's own words say its sector: not when they are the name of an organisation
    (all proper nouns, an actor of a type outside :data:`NAME_READ_TYPES`), whose KB code says it."""
    if actor is None or not actor.resolved or actor.type in NAME_READ_TYPES:
        return True
    return not all(t.pos_ == "PROPN" or not t.is_alpha for t in span)


def neighbour_phrases(span: Any) -> Iterator[list[Any]]:
    """The mention's own words, then the noun phrases around it that can say which part of the actor acts."""
    yield list(span)
    root = span.root
    inside = {t.i for t in span}
    yield _outside(noun_phrase(root), inside)
    for head in _governing_nouns(root):
        yield _outside(noun_phrase(head), inside)
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in NOMINAL_POS:
            yield _outside(noun_phrase(child), inside)


def _governing_nouns(root: Any) -> Iterator[Any]:
    """The nouns the mention modifies, owns, or stands in apposition to."""
    head = root.head
    if head.i == root.i:
        return
    if root.dep_ in MODIFIER_DEPS and head.pos_ in NOMINAL_POS:
        yield head
        if head.dep_ in ("compound", "appos") and head.head.pos_ in NOMINAL_POS and head.head.i != head.i:
            yield head.head
    elif root.dep_ == "pobj" and head.lower_ in OWNER_PREPOSITIONS and head.head.pos_ in NOMINAL_POS:
        yield head.head
    elif root.dep_ == "appos" and head.pos_ in NOMINAL_POS:
        yield head


def noun_phrase(head: Any) -> list[Any]:
    """A noun with its left modifiers ("the main opposition group") and an "of" complement of common
    nouns ("ministry of defence"), in text order."""
    tokens = {head.i: head}
    for child in head.lefts:
        if child.dep_ in PHRASE_DEPS:
            tokens.update((t.i, t) for t in child.subtree)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
            for obj in objects:
                tokens.update((t.i, t) for t in (child, *obj.subtree))
    return [tokens[i] for i in sorted(tokens)]


def _outside(tokens: Sequence[Any], inside: set[int]) -> list[Any]:
    """The phrase's tokens around the mention: the mention's own words are read on their own."""
    return [t for t in tokens if t.i not in inside]


class EventSectors:
    """Stage ``event_sectors``: each event side takes the sectors of the mention the trigger governs."""

    name = "event_sectors"
    version = "1"

    def __call__(self, state: DocState) -> None:
        if state.doc is None:
            return
        with_sectors = by_sentence(m for m in state.mentions if m.sectors)
        state.events = [self._with_sectors(state, e, with_sectors.get(e.sentence_index, [])) for e in state.events]

    def _with_sectors(self, state: DocState, event: Event, mentions: list[Mention]) -> Event:
        """``event`` with the sectors of its sides, read off ``mentions`` (those of its sentence)."""
        trigger = span_root(state.doc, event.trigger_start, event.trigger_end)
        if trigger is None:
            return event
        return replace(
            event,
            source_sectors=_governed_sectors(state.doc, trigger, mentions, event.source) or event.source_sectors,
            target_sectors=_governed_sectors(state.doc, trigger, mentions, event.target) or event.target_sectors,
        )


def _governed_sectors(doc: Any, trigger: Any, mentions: Sequence[Mention], actor_id: str | None) -> str | None:
    """The sectors of the mention of ``actor_id`` nearest to the trigger in the dependency tree."""
    if actor_id is None:
        return None
    ranked = []
    for mention in mentions:
        token = span_root(doc, mention.start, mention.end) if mention.actor_id == actor_id else None
        if token is not None:
            ranked.append((tree_distance(trigger, token), abs(token.i - trigger.i), mention.sectors))
    return min(ranked)[2] if ranked else None


def tree_distance(a: Any, b: Any) -> int:
    """Edges between two tokens of one parse through their lowest common ancestor (large if none)."""
    path_a = [a, *a.ancestors]
    depth_b = {t.i: n for n, t in enumerate([b, *b.ancestors])}
    for n, token in enumerate(path_a):
        if token.i in depth_b:
            return n + depth_b[token.i]
    return len(path_a) + len(depth_b) + 100
