"""Event anaphora and implied arguments (stage ``event_context``).

The rule coder (stage ``events``) leaves in ``DocState.partial_events`` the events
it found with one side that stands for the context; after the ``gatherings`` stage
has filled what a gathering fills, this stage completes the rest from the
document, and only when the context names exactly one fit. What it cannot
complete it drops: an unresolved argument is better than a guessed one.

- An event referred back to (:data:`~dyadlens.nlp.events.EARLIER_EVENT`: "X welcomed
  the decision", "condemned this move", "rejected the deal"): the antecedent is the
  nearest earlier event of the document, at most :data:`ANAPHORA_WINDOW` sentences
  back, whose CAMEO root the noun can refer to (``anaphoric_event_nouns`` in the
  lexicon: "the attack" an act of force, "the deal" an agreement or cooperation). The
  side takes the actor who made it, the antecedent's source; for an agreement
  (``mutual_event_nouns``: "the deal") every party made it, so both sides count. The
  nearest sentence with a compatible event decides: one maker other than the
  reacting actor is a fit, several are none. With no compatible event, an act the coder
  did not code (the preceding analysed sentence has no event at all) was made by that
  sentence's subject.
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

from dataclasses import replace
from typing import TYPE_CHECKING

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


class EventContext:
    """The ``event_context`` stage: see the module's docstring."""

    name = "event_context"
    version = "2"

    def __init__(self, resources: Resources, speaker_side: bool = True) -> None:
        self.words: EventWords = resources.lexicon.events
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
        """The actors the placeholder stands for: several for a collective, else one or none."""
        if partial.gap == COLLECTIVE:
            return list(partial.previous_group)
        if partial.gap == EARLIER_EVENT:
            candidates = self._makers(context, partial)
        else:
            candidates = context.recent_agents(partial)
        candidates.discard(partial.known)
        return list(candidates) if len(candidates) == 1 else []

    def _makers(self, context: _Context, partial: PartialEvent) -> set[str]:
        """Who made the event a noun refers back to: the makers of the compatible events of the
        nearest sentence (within the window) that has any."""
        doc = context.state.doc
        noun = doc[partial.found.gap_i] if partial.found.gap_i is not None else None
        if noun is None:
            return set()
        lemma = noun.lemma_.lower()
        roots = set(self.words.anaphoric_event_nouns.get(lemma, ()))
        mutual = lemma in self.words.mutual_event_nouns
        index = partial.sentence.index
        earlier = [e for e in context.before(partial, ANAPHORA_WINDOW) if e.root in roots]
        for sentence_index in range(index, index - ANAPHORA_WINDOW - 1, -1):
            events = [e for e in earlier if e.sentence_index == sentence_index]
            if events:
                sides = [e.source for e in events] + ([e.target for e in events] if mutual else [])
                return {a for a in sides if is_resolved(a)}
        return context.uncoded_act_subject(partial)


class _Context:
    """The document as the stage reads it: its events by sentence, each analysed sentence's
    predecessor and the gathering current at each sentence, indexed once so that the stage's
    work grows with the document's length, not with its square."""

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.events = by_sentence(state.events)
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

    def uncoded_act_subject(self, partial: PartialEvent) -> set[str]:
        """No compatible event in the window: when the preceding analysed sentence has no coded
        event at all (its act is one the coder does not know), its subject made it; an event of
        another kind there rules that out ("X attacked Y. Z welcomed the decision": nothing)."""
        previous = self._previous(partial)
        if partial.previous_subject is None or previous is None:
            return set()
        coded = bool(self.events.get(previous))
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
