"""Gatherings: multi-party meetings, summits, formats, talks and conferences (stage ``gatherings``).

The stage runs after the rule coder (stage ``events``) and reads its events. For
every analysed sentence, in text order, it

1. completes the events the rule coder left with a collective side ("the
   participants called on X", "asked the other governments") with the parties of
   the *current gathering* (``DocState.partial_events``, placeholder
   :data:`~dyadlens.nlp.events.COLLECTIVE`); a collective it cannot fill stays for
   the context stage (:mod:`dyadlens.nlp.event_anaphora`);
2. finds the gatherings the sentence names and their participants: objects of a
   gathering verb whose subject is the gathering noun ("the summit brought together
   envoys from A, B and C", "a forum that included A"), subjects of a participation
   verb whose object is the gathering ("A and B attended the talks", "took part in
   the summit", "was represented at the forum"), ``by`` agents of a passive one
   ("the meeting was attended by A"), with their ``from``/``alongside``/``including``
   phrases ("delegations from A and B", "observers from C");
3. codes them by the guideline convention: a host that the sentence names as the
   subject of a hosting verb ("X hosted talks that included A") hosts each
   participant (043); otherwise each participant visits the host (042), the host
   being the gathering's owner ("the Moscow format", a format standing for its
   host), its venue's government ("the talks in Doha"), or the host of the current
   gathering for a definite reference ("the summit"); with no host, one event per
   pair of participants in text order (040). Co-participants are not coded with
   each other when there is a host. An event the rule coder already coded (same
   dyad and root) is not coded twice;
4. remembers the current gathering: its host (the source of an asserted hosting,
   043), its parties and the hosting's date. It stays current for
   :data:`GATHERING_WINDOW` sentences after its last mention; an event that refers
   back to it ("the meeting brought together ...", "the participants ...") and has
   no date of its own takes its date. The gatherings are left in
   ``DocState.gatherings`` for later stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from dyadlens.model import Event, Provenance, is_resolved, is_unresolved
from dyadlens.nlp.dates import DocumentTimeline, EventDate, timeline_of
from dyadlens.nlp.events import (
    COLLECTIVE,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    FoundEvent,
    PartialEvent,
    SentenceCoder,
    SentenceView,
    Side,
    ViewBuilder,
    is_placeholder,
    lemma_in,
    make_event,
    owner_actors,
    prep_objects,
)
from dyadlens.nlp.modality import ModalityRules
from dyadlens.state import DocState, by_sentence, grouped

if TYPE_CHECKING:
    from dyadlens.resources import Resources

#: How many sentences a gathering stays current after its last mention (each reference renews it).
GATHERING_WINDOW = 6
HOSTING = "043"
VISIT = "042"
CONSULT = "040"
MEDIATE = "045"
CONFIDENCE = 0.55


@dataclass(slots=True)
class Gathering:
    """One multi-party meeting of the text: its host, its participants, the date of its
    hosting, where it was first and last mentioned (sentence indexes)."""

    sentence_index: int
    host: str | None = None
    participants: list[str] = field(default_factory=list)
    date: EventDate | None = None
    last_sentence: int = -1

    @property
    def parties(self) -> list[str]:
        """The host (if any) and the participants, in the order they were named."""
        return list(dict.fromkeys([*([self.host] if self.host else []), *self.participants]))

    def add(self, actors: list[str]) -> None:
        self.participants = list(dict.fromkeys([*self.participants, *(a for a in actors if is_resolved(a))]))


class GatheringMemory:
    """The gatherings of a document as its sentences go by, and the current one."""

    def __init__(self) -> None:
        self.gatherings: list[Gathering] = []

    def current(self, sentence_index: int) -> Gathering | None:
        latest = self.gatherings[-1] if self.gatherings else None
        if latest is None or sentence_index - latest.last_sentence > GATHERING_WINDOW:
            return None
        return latest

    def referred(self, sentence_index: int) -> None:
        """A later reference ("the participants") keeps the current gathering current."""
        current = self.current(sentence_index)
        if current is not None:
            current.last_sentence = sentence_index

    def update(
        self, sentence_index: int, hostings: list[Event], participants: list[str], host: str | None = None
    ) -> None:
        """A hosting (043), a meeting's host or participants named in the sentence: the current
        gathering grows, or a new one starts when none is current."""
        if not hostings and not participants:
            return
        gathering = self.current(sentence_index)
        if gathering is None:
            gathering = Gathering(sentence_index)
            self.gatherings.append(gathering)
        if host is not None and not hostings:
            gathering.host = host
        if hostings:
            first = hostings[0]
            gathering.host = first.source
            gathering.date = EventDate(first.date, first.date_start, first.date_end, first.date_rule or "")
        gathering.add([*(e.target for e in hostings if e.target), *participants])
        gathering.last_sentence = sentence_index


def asserted_hosting(event: Event) -> bool:
    """A hosting its own clause asserts ("X hosted ..."), not one asked of someone or one
    whose host is itself a collective reference."""
    if not event.code.startswith(HOSTING) or not is_resolved(event.source) or event.modality != "asserted":
        return False
    provenance = event.provenance
    return not (provenance.via("collective") or provenance.along("governing"))


@dataclass(frozen=True, slots=True)
class FoundGathering:
    """A gathering noun of one sentence with its participants and the verb that names them."""

    noun: Any
    participants: list[Side]
    #: the participation verb ("attended", "took part") when the participants are its subjects
    verb: Any | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    """A clause whose several subjects meet ("A and B met in X"), with the host it names."""

    participants: list[Side]
    host: str


class GatheringCoder:
    """The ``gatherings`` stage: see the module's docstring."""

    name = "gatherings"
    version = "1"

    def __init__(self, resources: Resources) -> None:
        self.verbs = resources.verbs
        self.lexicon = resources.lexicon
        self.words = resources.lexicon.events
        self.modality = ModalityRules(resources.lexicon.modality)
        self.views = ViewBuilder(resources)
        kb = resources.kb
        self.state_of_country = {e.iso3: e.id for e in kb.entities() if e.iso3 and e.type == "state"}
        self.government_of = kb.government_of

    def __call__(self, state: DocState) -> None:
        timeline = timeline_of(state)
        memory = GatheringMemory()
        # Each sentence works on its own events and partial events only, so that the stage's
        # work grows with the document's length, not with its square.
        events = by_sentence(state.events)
        partials = grouped(state.partial_events, lambda p: p.sentence.index)
        for view in self.views.views(state):
            index = view.sentence.index
            here = SentenceGatherings(self, state, view, timeline, memory)
            here.run(events.setdefault(index, []), partials.setdefault(index, []))
        state.events = [e for index in sorted(events) for e in events[index]]
        state.partial_events = [p for index in sorted(partials) for p in partials[index]]
        state.gatherings = memory.gatherings



class SentenceGatherings:
    """What the ``gatherings`` stage does in one sentence."""

    def __init__(
        self, stage: GatheringCoder, state: DocState, view: SentenceView, timeline: DocumentTimeline,
        memory: GatheringMemory,
    ) -> None:
        self.stage, self.state, self.view, self.timeline, self.memory = stage, state, view, timeline, memory
        self.index = view.sentence.index
        self.words = stage.words
        self.coder = SentenceCoder(view, stage.verbs, stage.modality)
        self.current = memory.current(self.index)

    def run(self, events: list[Event], partials: list[PartialEvent]) -> None:
        """Code the sentence's gatherings; ``events`` and ``partials`` are the sentence's own,
        changed in place."""
        self.events = events
        self._complete_collectives(partials)
        participants: list[str] = []
        for found in self._gatherings():
            participants.extend(s.actor for s in found.participants)
            self._add(self._code(found))
        meeting = self._meeting()
        if meeting is not None:
            participants.extend(s.actor for s in meeting.participants)
        hostings = [e for e in self.events if asserted_hosting(e)]
        self.memory.update(self.index, hostings, participants, meeting.host if meeting is not None else None)
        self.current = self.memory.current(self.index)
        if not participants:
            self._code_references()
        self._code_mediation(meeting.participants if meeting is not None else [])

    def _complete_collectives(self, partials: list[PartialEvent]) -> None:
        """"The participants called on X": one event per party of the current gathering."""
        if self.current is None:
            return
        mine = [p for p in partials if p.gap == COLLECTIVE]
        if not mine:
            return
        parties = self.current.parties
        completed = [p.completed(a) for p in mine if not is_placeholder(p.known) for a in parties if a != p.known]
        self._add(completed)
        partials[:] = [p for p in partials if p not in mine]
        self.memory.referred(self.index)

    def _add(self, found: list[FoundEvent]) -> None:
        """Events not already coded in the sentence (same dyad in either order and root, or the same
        dyad, code and modality), dated by the timeline, else by the current gathering."""
        for event in found:
            if any(_same(event, e) for e in self.events):
                continue
            self.events.append(make_event(self.state, self.view.sentence, event, self._date(event), "gatherings-1"))

    def _date(self, found: FoundEvent) -> EventDate:
        date = self.timeline.date_for(self.index, found.trigger_i, found.modality)
        refers_back = found.provenance.via("earlier") or found.provenance.via("collective")
        gathered = self.current.date if self.current is not None else None
        if date.value is None and refers_back and gathered is not None and gathered.value is not None:
            return EventDate(gathered.value, gathered.start, gathered.end, "same-gathering")
        return date

    def _gatherings(self) -> list[FoundGathering]:
        found = []
        for noun in self.view.span:
            if not lemma_in(noun, self.words.gathering_nouns):
                continue
            gathered = self._brought_together(noun)
            if gathered:
                found.append(FoundGathering(noun, gathered))
                continue
            verb = self._participation_verb(noun)
            if verb is not None:
                found.append(FoundGathering(noun, self._participants_of(verb), verb))
        return [f for f in found if f.participants]

    def _brought_together(self, noun: Any) -> list[Side]:
        """"The summit brought together envoys from A, B and C", "a forum that included A and B":
        objects (and their ``from`` / ``alongside`` phrases) of a gathering verb whose subject,
        or relative antecedent, is the noun."""
        gathering = self.words.gathering_verbs
        verbs = [c for c in noun.children if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in gathering]
        if noun.dep_ in SUBJECT_DEPS and noun.head.lemma_.lower() in gathering:
            verbs.append(noun.head)
        sides: list[Side] = []
        for verb in verbs:
            if verb.lemma_.lower() == "bring" and not any(c.lower_ == "together" for c in verb.children):
                continue
            phrases = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
            phrases += prep_objects(verb, self.words.participant_preps)
            sides.extend(self._named_in(phrases))
        return _unique(sides)

    def _named_in(self, phrases: list[Any]) -> list[Side]:
        """The actors of participant phrases, with their ``from``/``alongside``/``including``
        phrases and whom an agent noun represents ("ministers of A")."""
        phrases = list(phrases)
        for phrase in list(phrases):
            phrases += prep_objects(phrase, self.words.participant_preps)
            if phrase.lemma_.lower() in self.coder.heads:
                phrases += prep_objects(phrase, self.words.represented_preps)
        sides = [s for p in phrases for s in self.coder.actors(p, "participant")]
        return [s for s in sides if is_resolved(s.actor) and not is_placeholder(s.actor)]

    def _participation_verb(self, noun: Any) -> Any | None:
        """"attended the summit", "took part in the talks", "was represented at the forum",
        "joined the meeting", "a meeting attended by": the verb whose subject (or ``by`` agent)
        takes part in the gathering."""
        verb = noun.head
        described = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        if noun.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        elif described:
            verb = described[0]
        elif noun.dep_ not in OBJECT_DEPS and noun.dep_ not in PASSIVE_SUBJECT_DEPS:
            return None
        needs = self.words.participation_verbs.get(verb.lemma_.lower())
        if verb.pos_ != "VERB" or needs is None:
            return None
        if needs and not any(c.dep_ in OBJECT_DEPS and c.lemma_.lower() in needs for c in verb.children):
            return None
        return verb

    def _participants_of(self, verb: Any) -> list[Side]:
        """Subjects of an active participation verb, the passive subject of "was represented at",
        the ``by`` agents of "was attended by"."""
        deps = SUBJECT_DEPS
        if verb.lemma_.lower() == "represent":
            deps = PASSIVE_SUBJECT_DEPS
        phrases = [c for c in verb.children if c.dep_ in deps]
        passive = verb.dep_ == "acl" or any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children)
        if passive and verb.lemma_.lower() != "represent":
            phrases = prep_objects(verb, {"by"})
        return _unique(self._named_in(phrases))

    def _code(self, found: FoundGathering) -> list[FoundEvent]:
        noun = found.noun
        hosted = noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in self.words.hosting_verbs
        hosting = noun.head if hosted else None
        if hosting is not None:
            hosts, route = self.coder.subjects(hosting)
            return self._events(hosting, HOSTING, route, [(h, p) for h in hosts for p in found.participants])
        hosts, route = self._host(found)
        trigger = found.verb if found.verb is not None else noun
        if hosts:
            self._drop_co_participants(found, [noun, trigger])
            pairs = [(p, h) for h in hosts for p in found.participants]
            return self._events(trigger, VISIT, route, pairs)
        return self._events(trigger, CONSULT, "pairs", list(combinations(found.participants, 2)))

    def _drop_co_participants(self, found: FoundGathering, triggers: list[Any]) -> None:
        """A gathering with a host: the rule coder's events between two of its participants
        ("took part in the talks" read as talks among them) are not coded."""
        participants = {s.actor for s in found.participants}
        starts = {t.idx for t in triggers}
        self.events[:] = [
            e for e in self.events if not (e.trigger_start in starts and {e.source, e.target} <= participants)
        ]

    def _host(self, found: FoundGathering) -> tuple[list[Side], str]:
        """The gathering's owner ("the Moscow format"), its venue's government ("the talks in
        Doha"), else, for a definite reference, the host of the current gathering."""
        noun = found.noun
        participants = {s.actor for s in found.participants}
        owners = [s for s in owner_actors(self.coder, noun) if s.actor not in participants]
        if owners:
            return owners, "possessor"
        venues = self._venue(noun) + (self._venue(found.verb) if found.verb is not None else [])
        if venues:
            return venues[:1], "venue"
        host = self.current.host if self.current is not None else None
        if host is not None and self._refers_back(noun):
            return [Side(host, noun.i, "host~earlier")], "earlier-host"
        return [], "none"

    def _refers_back(self, noun: Any) -> bool:
        """"the summit", "every round": a gathering noun that can name the current gathering."""
        return any(c.dep_ == "det" and c.lower_ in self.words.gathering_determiners for c in noun.children)

    def _venue(self, token: Any) -> list[Side]:
        """The government of the venue ("the talks in Doha"): the country of the place the gazetteer
        found there (``DocState.places``), else the actor the venue's mention names."""
        sides: list[Side] = []
        for place in prep_objects(token, self.words.venue_preps):
            sides.extend(self._place_government(place) or self.coder.actors(place, "venue"))
        return [s for s in sides if is_resolved(s.actor) and not is_placeholder(s.actor)]

    def _place_government(self, token: Any) -> list[Side]:
        """The government, on the publication date, of the country of the place at ``token``."""
        for place in self.state.places:
            if place.sentence_index == self.index and place.start <= token.idx < place.end and place.country:
                country = self.stage.state_of_country.get(place.country)
                if country is not None:
                    government = self.stage.government_of(country, self.state.document.published) or country
                    return [Side(government, token.i, "venue~place")]
        return []

    def _meeting(self) -> Meeting | None:
        """"A and B met in X", "A and B held talks in X at the invitation of C", "... hosted by C": with
        a host, each participant visits it (042) and the rule coder's meetings among them are dropped."""
        for verb in self.view.span:
            if not self._takes(verb, self.words.meeting_verbs):
                continue
            subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
            appositions = [a for s in subjects for a in s.children if a.dep_ == "appos"]
            sides = _unique(self._named_in([*subjects, *appositions]))
            hosts = self._explicit_host(verb) or self._venue_below(verb)
            if len(sides) < 2 or not hosts:
                continue
            host = hosts[0]
            participants = [s for s in sides if s.actor != host.actor]
            parties = {host.actor, *(s.actor for s in participants)}
            self.events[:] = [e for e in self.events if not (e.code[:2] == "04" and {e.source, e.target} <= parties)]
            self._add(self._events(verb, VISIT, "meeting", [(p, host) for p in participants]))
            return Meeting(participants, host.actor)
        return None

    def _takes(self, verb: Any, verbs: Any) -> bool:
        """Whether ``verb`` is one of ``verbs`` (a word map) with an object it needs, if any."""
        needs = verbs.get(verb.lemma_.lower())
        if verb.pos_ != "VERB" or needs is None:
            return False
        return not needs or any(c.dep_ in OBJECT_DEPS and c.lemma_.lower() in needs for c in verb.children)

    def _explicit_host(self, verb: Any) -> list[Side]:
        """"..., hosted by C", "a meeting hosted by C", "at the invitation of C", "at C's invitation"."""
        below = [verb, *(t for t in verb.subtree if lemma_in(t, self.words.gathering_nouns))]
        phrases: list[Any] = []
        sides: list[Side] = []
        for token in below:
            for clause in token.children:
                if clause.dep_ in ("acl", "advcl") and clause.lemma_.lower() in self.words.hosting_verbs:
                    phrases += prep_objects(clause, {"by"})
            for noun in prep_objects(token, self.words.venue_preps | {"on", "upon"}):
                if noun.lemma_.lower() in self.words.invitation_nouns:
                    phrases += prep_objects(noun, {"of"})
                    sides += owner_actors(self.coder, noun, possessive_only=True)
        sides += [s for p in phrases for s in self.coder.actors(p, "host")]
        return [s for s in sides if is_resolved(s.actor) and not is_placeholder(s.actor)]

    def _venue_below(self, verb: Any) -> list[Side]:
        """The venue of a meeting: on the verb or a gathering noun below it, else a place the
        gazetteer knows anywhere in the clause outside its subjects ("talks on X's programme in Y")."""
        below = [verb, *(t for t in verb.subtree if lemma_in(t, self.words.gathering_nouns))]
        found = [s for token in below for s in self._venue(token)]
        if found:
            return found
        subjects = {t.i for c in verb.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
        preps = [t for t in verb.subtree if t.dep_ == "prep" and t.lower_ in self.words.venue_preps]
        places = [o for p in preps if p.i not in subjects for o in p.children if o.dep_ == "pobj"]
        return [s for o in places for s in self._place_government(o)]

    def _code_references(self) -> None:
        """A sentence that names no participants but refers to the current gathering: "Oman has
        hosted every round" (043), "the third round, held in Ankara" (042), "A attended as
        observers", "B did not send a delegation" (042 to the current host)."""
        current = self.current
        if current is None or not current.participants:
            return
        for token in self.view.span:
            if lemma_in(token, self.words.gathering_nouns) and self._refers_back(token):
                self._add(self._hosted_reference(token, current))
            elif self._takes(token, self.words.participation_verbs) and current.host is not None:
                self._add(self._observers(token, current.host))

    def _hosted_reference(self, noun: Any, current: Gathering) -> list[FoundEvent]:
        if noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in self.words.hosting_verbs:
            hosts, _ = self.coder.subjects(noun.head)
            pairs = [(h, Side(p, noun.i, "participant~earlier")) for h in hosts for p in current.participants]
            return self._events(noun.head, HOSTING, "earlier-gathering", pairs)
        for clause in noun.children:
            if clause.dep_ == "acl" and clause.lemma_.lower() in self.words.hosting_verbs:
                agents = [s for p in prep_objects(clause, {"by"}) for s in self.coder.actors(p, "host")]
                hosts = agents or self._venue(clause)
                pairs = [(Side(p, noun.i, "participant~earlier"), h) for h in hosts[:1] for p in current.participants]
                return self._events(clause, VISIT, "earlier-gathering", pairs)
        return []

    def _observers(self, verb: Any, host: str) -> list[FoundEvent]:
        """Subjects of a participation verb that names no gathering take part in the current one
        ("attended as observers"); they do not become its participants ("the participants")."""
        named = [c for c in verb.subtree if lemma_in(c, self.words.gathering_nouns)]
        if named or verb.lemma_.lower() == "represent":
            return []
        subjects, _ = self.coder.subjects(verb)
        return self._events(verb, VISIT, "earlier-host", [(s, Side(host, verb.i, "host~earlier")) for s in subjects])

    def _code_mediation(self, participants: list[Side]) -> None:
        """"X chaired the talks", "mediated by X", "X's minister carrying messages between the
        delegations": X mediates (045) between the participants named in the sentence, else
        those of the current gathering."""
        for verb in self.view.span:
            if not self._takes(verb, self.words.mediation_verbs):
                continue
            parties = participants or self._current_participants(verb)
            mediators = self._mediators(verb)
            self._add(self._events(verb, MEDIATE, "mediation", [(m, p) for m in mediators for p in parties]))

    def _current_participants(self, verb: Any) -> list[Side]:
        if self.current is None:
            return []
        return [Side(p, verb.i, "participant~earlier") for p in self.current.participants]

    def _mediators(self, verb: Any) -> list[Side]:
        if any(c.dep_ == "agent" for c in verb.children):
            sides = [s for p in prep_objects(verb, {"by"}) for s in self.coder.actors(p, "mediator")]
        elif verb.dep_ == "acl":
            sides = self.coder.actors(verb.head, "mediator")
        else:
            sides = self.coder.subjects(verb)[0]
        return [s for s in sides if is_resolved(s.actor) and not is_placeholder(s.actor)]

    def _events(self, trigger: Any, code: str, route: str, pairs: list[tuple[Side, Side]]) -> list[FoundEvent]:
        cue = self.stage.modality.event_modality(trigger)
        claimant = self.coder.claimant(trigger)
        return [
            FoundEvent(trigger.i, s.actor, t.actor, code, cue.modality, claimant,
                       Provenance("gathering", route, s.route, t.route, cue.cue), CONFIDENCE)
            for s, t in pairs
            if s.actor != t.actor and not (is_unresolved(s.actor) or is_unresolved(t.actor))
        ]


def _same(found: FoundEvent, event: Event) -> bool:
    """Whether an event already coded in the sentence says what ``found`` says: the same dyad
    and root (meetings, root 04, in either direction)."""
    if found.code[:2] != event.code[:2]:
        return False
    dyad = (event.source, event.target)
    return (found.source, found.target) == dyad or (found.code[:2] == "04" and (found.target, found.source) == dyad)


def _unique(sides: list[Side]) -> list[Side]:
    """The first side of each actor, in order."""
    first: dict[str, Side] = {}
    for side in sides:
        first.setdefault(side.actor, side)
    return list(first.values())
