"""Event anaphora and implied arguments (stage ``event_context``).

The rule coder (stage ``events``) leaves in ``DocState.partial_events`` the events
it found with one side that stands for the context; after the ``gatherings`` stage
has filled what a gathering fills, this stage completes the rest from the
document, and only when the context names exactly one fit. What it cannot
complete it drops: an unresolved argument is better than a guessed one.

- An event referred back to (:data:`~dyadlens.nlp.events.EARLIER_EVENT`: "X welcomed
  the decision", "condemned this move", "the launch was condemned by X"): who made it is
  looked up in order, and the first step that finds the event decides. (1) The nearest
  earlier event of the document, at most :data:`ANAPHORA_WINDOW` sentences back, whose
  CAMEO root the noun can refer to (``anaphoric_event_nouns``: "the attack" an act of
  force, "the deal" an agreement); its source made it. (2) An act the text names that the
  coder did not code: a verb of the noun's kind ("X fired a missile ... the launch",
  ``event_noun_verbs``) or a noun of its kind governed by a maker verb ("X claimed
  responsibility for the attack", ``event_maker_verbs``); the verb's subject made it.
  (3) For an agreement or a meeting, the two participants of the latest gathering.
  (4) When the preceding analysed sentence has no event at all, its subject made the act.
  One maker other than the reacting actor fits, several are none; but an agreement or a
  meeting made jointly by two parties ("A and B agreed": ``mutual_event_nouns`` or a
  meeting noun) gives one reaction per party. A consultation reading (root 04) of a verb
  with an answering entry ("welcomed the agreement") takes that entry's code (approval).
- The agent of a passive clause that names none
  (:data:`~dyadlens.nlp.events.MISSING_AGENT`: "Iran was not invited", "the envoy
  was expelled"): the candidates are the actors that acted earlier in the sentence or
  in the preceding analysed sentence (the implied-agents convention: an agent clear
  from the immediately preceding sentence) and the host of the current gathering;
  exactly one other than the patient is the agent.
- An agreement that names none of its parties (:data:`~dyadlens.nlp.events.MISSING_PARTIES`:
  "the ceasefire was agreed", "a deal was reached"): coded once between the two parties of
  the current gathering, else of the events of the preceding analysed sentence; any other
  number of parties gives nothing.
- A collective ("both sides", "the two countries") that no gathering filled
  (:data:`~dyadlens.nlp.events.COLLECTIVE`): the coordinated subjects of the
  preceding sentence ("A and B met. Both sides agreed ..."), one event each.
- A first-person pronoun (:data:`~dyadlens.nlp.events.SPEAKER_SIDE`: "we", "us", "our";
  :data:`~dyadlens.nlp.events.SPEAKER`: "I", "me", "my"): the actor of the speaker of the
  quote, direct or indirect, that contains the event's trigger; "I" only when the quote names
  the speaker's office (a minister, a spokesperson acts for the actor). No quote (the author's
  "we"), no speaker actor, or quotes there with different speaker actors: nothing. Filled
  first, so that "we welcomed the decision" then looks for the decision's maker.

Completed events are dated by the timeline and carry a lower confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from dyadlens.model import Event, is_resolved
from dyadlens.nlp.dates import DocumentTimeline, timeline_of
from dyadlens.nlp.events import (
    COLLECTIVE,
    EARLIER_EVENT,
    MISSING_PARTIES,
    SPEAKER,
    SPEAKER_PLACEHOLDERS,
    FoundEvent,
    PartialEvent,
    is_passive,
    make_event,
)
from dyadlens.nlp.gatherings import GATHERING_WINDOW, Gathering
from dyadlens.nlp.span_index import SpanIndex
from dyadlens.state import DocState, by_sentence

if TYPE_CHECKING:
    from dyadlens.nlp.lexicon import EventWords
    from dyadlens.resources import Resources

#: How many sentences back an event noun ("the decision") looks for the event it refers to.
ANAPHORA_WINDOW = 3
#: The confidence of an event completed from the context.
CONFIDENCE = 0.45
#: The CAMEO root of consultations: a noun that can refer to one ("the talks") names a meeting.
MEETING_ROOT = "04"
#: Labels climbed from an event noun up to the verb that governs it ("claimed responsibility
#: for the attack": attack -> for -> responsibility -> claimed).
GOVERNED_DEPS = frozenset({"dobj", "pobj", "prep", "compound", "conj", "attr", "oprd"})
#: How many labels that climb takes at most.
GOVERNOR_STEPS = 4


class EventContext:
    """The ``event_context`` stage: see the module's docstring."""

    name = "event_context"
    version = "3"

    def __init__(self, resources: Resources, speaker_side: bool = True) -> None:
        self.words: EventWords = resources.lexicon.events
        self.acts = _NamedActs(self.words)
        #: verb lemma -> the code of its entry that answers an act ("welcome" -> 051)
        self.answer_codes = {
            lemma: e.code for e in resources.verbs.entries if e.kind == "verb" and e.answers for lemma in e.lemmas
        }
        #: fill "we"/"our"/"I" from the quote's speaker (off: such events are dropped)
        self.speaker_side = speaker_side

    def __call__(self, state: DocState) -> None:
        timeline = timeline_of(state)
        context = _Context(state)
        speakers = _Speakers(state) if self.speaker_side else None
        for unfilled in state.partial_events:
            partial = _with_speaker(unfilled, speakers)
            if partial is None:
                continue
            partial = self._reaction(state, partial)
            if not partial.found.partial:
                found = [partial.found]
            elif partial.found.target == MISSING_PARTIES:
                found = _between(partial, context.two_parties(partial))
            else:
                actors = self._fill(context, partial)
                found = [partial.completed(a, CONFIDENCE) for a in actors if a != partial.known]
            context.add(timeline, partial, found)
        state.partial_events = []

    def _fill(self, context: _Context, partial: PartialEvent) -> list[str]:
        """The actors the placeholder stands for: several for a collective or the parties of an
        agreement, else one or none."""
        if partial.gap == COLLECTIVE:
            return list(partial.previous_group)
        if partial.gap == EARLIER_EVENT:
            return self._makers(context, partial)
        candidates = context.recent_agents(partial)
        candidates.discard(partial.known)
        return list(candidates) if len(candidates) == 1 else []

    def _makers(self, context: _Context, partial: PartialEvent) -> list[str]:
        """Who made the event a noun refers back to. Tried in order, and the first source that
        finds the event decides: a compatible coded event, an act the text names (a verb of the
        noun's kind, or a noun of its kind governed by a maker verb), the bilateral gathering a
        meeting or agreement took place at, the act the coder did not code."""
        kind = self._kind(context, partial)
        if kind is None:
            return []
        coded = context.coded_makers(partial, kind)
        named = coded if coded is not None else self.acts.makers(context, partial, kind)
        if named is not None:
            return named
        if kind.shared:
            parties = context.gathering_parties(partial)
            if parties:
                return parties
        return list(context.uncoded_act_subject(partial) - {partial.known})

    def _kind(self, context: _Context, partial: PartialEvent) -> _Kind | None:
        """What the event noun can refer back to."""
        if partial.found.gap_i is None:
            return None
        noun = context.state.doc[partial.found.gap_i]
        lemma = noun.lemma_.lower()
        roots = frozenset(self.words.anaphoric_event_nouns.get(lemma, ()))
        verbs = frozenset({lemma, *self.words.event_noun_verbs.get(lemma, ())})
        return _Kind(noun, roots, verbs, lemma in self.words.mutual_event_nouns, MEETING_ROOT in roots)

    def _reaction(self, state: DocState, partial: PartialEvent) -> PartialEvent:
        """An act referred back to is not hosted or met: a consultation reading (root 04) of a verb
        that has an answering entry ("welcomed the agreement": approval, not hosting) takes that
        entry's code."""
        found = partial.found
        code = self.answer_codes.get(state.doc[found.trigger_i].lemma_.lower(), "")
        if partial.gap != EARLIER_EVENT or found.code[:2] != MEETING_ROOT or not code:
            return partial
        return replace(partial, found=replace(found, code=code))


@dataclass(frozen=True, slots=True)
class _Kind:
    """What an event noun that refers back can refer to: the CAMEO roots of its events, the verbs
    that name its act, whether every party made it (an agreement) and whether it is a meeting."""

    noun: Any
    roots: frozenset[str]
    verbs: frozenset[str]
    mutual: bool
    meeting: bool

    @property
    def shared(self) -> bool:
        """Whether every party made the act: an agreement, or a meeting ("the talks")."""
        return self.mutual or self.meeting


def _fits(actors: Sequence[str | None], known: str, shared: bool) -> list[str]:
    """The makers that fit, in text order: one other than the reacting actor, or for an
    agreement or a meeting its two parties; anything else is none."""
    makers = [a for a in dict.fromkeys(actors) if a is not None and is_resolved(a) and a != known]
    return makers if len(makers) == 1 or (shared and len(makers) == 2) else []


def _joint_parties(event: Event) -> list[str | None]:
    """The makers of an agreement or meeting: both sides when they were named alike ("A and B
    agreed", "talks between A and B"), the source alone when it acted with a partner ("A signed
    a memorandum with B": A's act)."""
    joint = event.source_route.split("~")[0] == event.target_route.split("~")[0]
    return [event.source, event.target] if joint else [event.source]


class _NamedActs:
    """Acts the text names without the coder having coded them: "X fired a missile. The launch
    was condemned ..." (a verb of the noun's kind, ``event_noun_verbs``), "X claimed
    responsibility for the attack", "X signed a memorandum ... the deal" (a noun of its kind
    governed by a verb in ``event_maker_verbs``). The subject of that verb made the act."""

    def __init__(self, words: EventWords) -> None:
        self.words = words

    def makers(self, context: _Context, partial: PartialEvent, kind: _Kind) -> list[str] | None:
        """The makers of the nearest such act within the window, before the reference; None
        when there is none whose subject names an actor."""
        index = partial.sentence.index
        for sentence_index in range(index, max(index - ANAPHORA_WINDOW, 0) - 1, -1):
            span = context.state.sentence_span(sentence_index)
            if span is None:
                continue
            for token in reversed([t for t in span if t.i < kind.noun.i]):
                verb = self._act_verb(token, kind)
                actors = context.subject_actors(verb) if verb is not None else []
                if actors:
                    return _fits(actors, partial.known, kind.shared)
        return None

    def _act_verb(self, token: Any, kind: _Kind) -> Any | None:
        """The active verb whose subject made the act ``token`` names, if it names one of ``kind``."""
        if token.pos_ == "VERB" and token.lemma_.lower() in kind.verbs and not is_passive(token):
            return token
        roots = self.words.anaphoric_event_nouns.get(token.lemma_.lower(), ())
        if token.pos_ != "NOUN" or not kind.roots.intersection(roots):
            return None
        governor = _governing_verb(token)
        if governor is None or governor.lemma_.lower() not in self.words.event_maker_verbs:
            return None
        return None if is_passive(governor) else governor


def _governing_verb(noun: Any) -> Any | None:
    """The verb an object noun hangs from, through at most :data:`GOVERNOR_STEPS` labels."""
    token = noun
    for _ in range(GOVERNOR_STEPS):
        if token.dep_ not in GOVERNED_DEPS or token.head is token:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


class _Context:
    """The document as the stage reads it: its events by sentence, each analysed sentence's
    predecessor and the gathering current at each sentence, indexed once so that the stage's
    work grows with the document's length, not with its square."""

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.events = by_sentence(state.events)
        #: sentences with an act the coder found but left to the context ("X condemned the attack")
        self.partial_sentences = {p.sentence.index for p in state.partial_events}
        analysed = [s.index for s in state.analysed_sentences()]
        self.previous = dict(zip(analysed[1:], analysed, strict=False))
        self.gathering: dict[int, Gathering] = {}
        for gathering in state.gatherings:  # in text order: a later one takes over
            for index in range(gathering.sentence_index, gathering.last_sentence + GATHERING_WINDOW + 1):
                self.gathering[index] = gathering

    def before(self, partial: PartialEvent, window: int) -> list[Event]:
        """The complete events of the document before the partial event's trigger, at most
        ``window`` sentences back."""
        index = partial.sentence.index
        trigger = self.state.doc[partial.found.trigger_i].idx
        return [
            e
            for i in range(index - window, index + 1)
            for e in self.events.get(i, ())
            if i < index or e.trigger_start < trigger
        ]

    def coded_makers(self, partial: PartialEvent, kind: _Kind) -> list[str] | None:
        """The makers of the compatible coded events of the nearest sentence (within the window)
        that has any; None when there is none. One maker other than the reacting actor fits;
        for an agreement or a meeting, so do both parties of a single one made jointly."""
        earlier = [e for e in self.before(partial, ANAPHORA_WINDOW) if e.root in kind.roots]
        index = partial.sentence.index
        for sentence_index in range(index, index - ANAPHORA_WINDOW - 1, -1):
            events = [e for e in earlier if e.sentence_index == sentence_index]
            if events:
                one_agreement = kind.shared and len({frozenset((e.source, e.target)) for e in events}) == 1
                sides = _joint_parties(events[0]) if one_agreement else [e.source for e in events]
                return _fits(sides, partial.known, kind.shared)
        return None

    def gathering_parties(self, partial: PartialEvent) -> list[str]:
        """The two participants (not the host) of the latest gathering that began by the partial
        event's sentence: the parties of the talks or the agreement made there."""
        index = partial.sentence.index
        begun = [g for g in self.state.gatherings if g.sentence_index <= index]
        if not begun:
            return []
        latest = max(begun, key=lambda g: g.sentence_index)
        parties = [a for a in latest.participants if a != latest.host and is_resolved(a)]
        return [a for a in parties if a != partial.known] if len(parties) == 2 else []

    def subject_actors(self, verb: Any) -> list[str]:
        """The actors the subject of ``verb`` names (its head word and conjuncts, not appositions
        or clauses), in text order; a verb in a coordination shares its head's. Of several
        subjects (a dateline misparsed as one) the one nearest the verb counts."""
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects and verb.dep_ == "conj":
            subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if not subjects:
            return []
        subject = min(subjects, key=lambda s: abs(s.i - verb.i))
        heads = [subject, *subject.conjuncts]
        spans = [(h.left_edge.idx, h.idx + len(h.text)) for h in heads]
        found = [m for m in self.state.mentions if any(m.start < end and start < m.end for start, end in spans)]
        return [m.actor_id for m in sorted(found, key=lambda m: m.start) if is_resolved(m.actor_id)]

    def uncoded_act_subject(self, partial: PartialEvent) -> set[str]:
        """No compatible event in the window: when the preceding analysed sentence has no coded
        event at all (its act is one the coder does not know), its subject made it; an event of
        another kind there rules that out ("X attacked Y. Z welcomed the decision": nothing), and
        so does an act the coder found but left to the context (a reaction to the same event)."""
        previous = self._previous(partial)
        if partial.previous_subject is None or previous is None:
            return set()
        coded = bool(self.events.get(previous)) or previous in self.partial_sentences
        return set() if coded or not is_resolved(partial.previous_subject) else {partial.previous_subject}

    def recent_agents(self, partial: PartialEvent) -> set[str]:
        """The actors that acted earlier in the sentence or in the preceding analysed sentence,
        and the host of the current gathering."""
        index = partial.sentence.index
        previous = self._previous(partial)
        window = index - previous if previous is not None else 0
        agents = {e.source for e in self.before(partial, window) if is_resolved(e.source)}
        current = self.gathering.get(index)
        if current is not None and current.host:
            agents.add(current.host)
        return agents

    def two_parties(self, partial: PartialEvent) -> list[str]:
        """The parties of an agreement that names none ("the ceasefire was agreed"): those of the
        current gathering, else the sides of the events of the preceding analysed sentence (in the
        text order of those events, source first); only when there are exactly two."""
        current = self.gathering.get(partial.sentence.index)
        if current is not None:
            parties = current.parties
        else:
            previous = self._previous(partial)
            events = self.events.get(previous, []) if previous is not None else []
            sides = [a for e in sorted(events, key=lambda e: e.trigger_start) for a in (e.source, e.target)]
            parties = list(dict.fromkeys(a for a in sides if is_resolved(a)))
        return parties if len(parties) == 2 else []

    def add(self, timeline: DocumentTimeline, partial: PartialEvent, found: list[FoundEvent]) -> None:
        """The completed events that the sentence does not have yet (same dyad, root and modality)."""
        index = partial.sentence.index
        here = self.events.setdefault(index, [])
        for event in found:
            key = (event.source, event.target, event.code[:2], event.modality)
            if any((e.source, e.target, e.root, e.modality) == key for e in here):
                continue
            date = timeline.date_for(index, event.trigger_i, event.modality)
            record = make_event(self.state, partial.sentence, event, date, "event-context-1")
            self.state.events.append(record)
            here.append(record)

    def _previous(self, partial: PartialEvent) -> int | None:
        """The analysed sentence before the partial event's (partial events come from analysed ones)."""
        return self.previous.get(partial.sentence.index)


class _Speakers:
    """Who speaks where: the document's quotes, direct and indirect, by offset."""

    def __init__(self, state: DocState) -> None:
        self.doc = state.doc
        self.quotes = SpanIndex(state.quotes)

    def actor(self, partial: PartialEvent) -> str | None:
        """The speaker actor of the quotes that contain the trigger, when they name one, and
        for "I" only a speaker named with an office; none or several: None."""
        offset = self.doc[partial.found.trigger_i].idx
        singular = SPEAKER in (partial.found.source, partial.found.target)
        quotes = [q for q in self.quotes.containing(offset) if q.speaker_role or not singular]
        actors = {q.speaker_actor for q in quotes}
        actor = actors.pop() if len(actors) == 1 else None
        return actor if is_resolved(actor) else None


def _with_speaker(partial: PartialEvent, speakers: _Speakers | None) -> PartialEvent | None:
    """The partial event with its speaker placeholders ("we", "I") replaced by the speaker's actor;
    None when it has one that cannot be filled, or the speaker's actor is its other side too."""
    found = partial.found
    if found.source not in SPEAKER_PLACEHOLDERS and found.target not in SPEAKER_PLACEHOLDERS:
        return partial
    actor = speakers.actor(partial) if speakers is not None else None
    if actor is None:
        return None
    source = actor if found.source in SPEAKER_PLACEHOLDERS else found.source
    target = actor if found.target in SPEAKER_PLACEHOLDERS else found.target
    if source == target:
        return None
    return replace(partial, found=replace(found, source=source, target=target, confidence=CONFIDENCE))


def _between(partial: PartialEvent, parties: list[str]) -> list[FoundEvent]:
    """The agreement coded once between two parties, the one named first as its source."""
    if len(parties) != 2:
        return []
    first, second = parties
    return [replace(partial.found, source=first, target=second, confidence=CONFIDENCE)]
