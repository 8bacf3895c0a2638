"""Event coding: who did what to whom, over the dependency parse and the actor mentions.

For every analysed body sentence (not furniture, repeated paragraphs, footnote
citations or questions) the coder looks at each verb and noun whose lemma is a
trigger in the verb dictionary, finds the actors on its source side and its
target side in the parse, and codes the dyad with the most specific dictionary
entry whose constraints hold. How the sides are found:

- source of a verb: its subject (coordinated subjects give one event each),
  the subject of the verb it is coordinated with ("hosted and praised"), the
  antecedent of a relative pronoun ("Russia, which hosted X"), the subject or
  object of a governing verb for a complement without its own subject
  ("accuses X of backing Y" -> X); in the passive, the ``by`` agent, also for a
  bare participle ("the militia (listed by Canada)") and a coordinated
  passive ("outlawed by X yet courted");
- target of a verb: its direct object (the passive subject), the object of the
  entry's preposition ("met with X"), the recipient ("gave X arms"), or the
  subject of its complement for entries that take one ("urged X to ...");
  helper verbs pass their subject and object on ("Lima could help Quito
  rebuild ..." is coded with the entry of *rebuild*, Lima -> Quito);
- nominal triggers ("talks with X", "Brazil's outreach to X", "the
  delisting of X", "ties between A and B"): the possessor or actor modifiers
  (all of them: "the Chilean, Peruvian and Bolivian envoys' meeting") or the
  ``by`` agent is the source (the target for ``owner: target`` nouns), the
  entry's prepositions give the target, and a noun that is the object of a
  verb takes that verb's subject as source ("Peru keeps contacts with X");
- words that stand for actors: agent nouns ("Taliban representatives", "the
  government of X", "the administration led by X", "the communique issued
  after the X summit"), nouns of actions ("Norway's outreach seeks to ..."),
  examples ("stakeholders, including X"), appositions;
- a name the KB does not know headed by a title that names an actor ("Chilean
  Foreign Minister Ana Example") is that actor;
- a third-person pronoun the actor layer left unresolved takes an earlier
  subject of the sentence or the subject actor of the preceding sentence
  (subject pronouns), or the nearest earlier actor that is not the subject of
  its own clause (other pronouns); a cooperation trigger (roots 01-09) with a
  target and no agent takes the subject of the clause around it, else of the
  immediately preceding sentence (the "implied agents" convention), with a
  lower confidence.

An action in the infinitive complement of *threaten* or *refuse*/*decline*
("threatened to impose sanctions on X", "refused to hold talks with X") is
coded as the threat (CAMEO 13x) or the refusal (12x) of that action, with the
modality of the governing verb. "X said (that) Y must/should V" adds X's
demand of Y (100) to the prescribed action's own event.

Arguments that stand for the context are left as placeholders (``COLLECTIVE``:
"the participants", "the other governments"; ``EARLIER_EVENT``: "condemned the
attack"; ``MISSING_AGENT``: an agentless passive; ``SPEAKER_SIDE``: "we", "our"), and their events go to
``DocState.partial_events`` for the discourse stages, which also code multi-party
gatherings (:mod:`dyadlens.nlp.gatherings`, :mod:`dyadlens.nlp.event_anaphora`;
docs/discourse.md).

Beyond single triggers (details in docs/verb-dictionary.md): ellipsis
("Kyrgyzstan followed", "has not done so"), bare nominal acts that take the
latest target of the same act ("stopped short of recognition"), state organs
that act for whoever governs the state at the document's date ("the
authorities in X"), and places that stand for their state as the target of
force ("struck targets in the Syrian border provinces").

Symmetric triggers with several sources and no target ("A and B met") give one
event per pair in text order. Each event records its trigger span, its
provenance (:class:`dyadlens.model.Provenance`: the dictionary entry, the
routes through the parse to its source and target, the modality cue), a confidence, the
modality (:mod:`dyadlens.nlp.modality`), the claimant of reported speech and
the date from the document's :class:`dyadlens.nlp.dates.DocumentTimeline` (stage ``timeline``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any

from dyadlens.model import Event, Mention, Provenance, Sentence, is_resolved, is_unresolved, stable_id
from dyadlens.nlp.actor_coref import PLURAL_RULE, speaks
from dyadlens.nlp.dates import EventDate, timeline_of
from dyadlens.nlp.lexicon import EventWords, Lexicon
from dyadlens.nlp.modality import ModalityRules, governing_chain
from dyadlens.nlp.offsets import roots as own_heads
from dyadlens.nlp.offsets import token_span, tokens_starting_in
from dyadlens.nlp.preverbal import has_words_before
from dyadlens.nlp.span_index import SpanIndex
from dyadlens.nlp.verb_entry import VerbEntry
from dyadlens.nlp.verbs import VerbDictionary
from dyadlens.state import DocState, by_sentence

if TYPE_CHECKING:
    from dyadlens.resources import Resources

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PRONOUN_NUMBER = {"it": "singular", "its": "singular", "they": "plural", "them": "plural", "their": "plural"}
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
#: Comments ("cautioned about a cartel danger to Mexico"): the topic noun is the content of the
#: comment, not an event of its own.
STATEMENT_ROOT = "01"
#: Attacks by aircraft are aerial attacks (CAMEO 195), whatever the verb.
AERIAL_CODE = "195"
#: Routes on the target side of an event (see ``SentenceCoder._people_of``).
TARGET_ROUTES = frozenset(
    {"place", "object", "patient", "prep-object", "recipient", "dative", "complement-object", "helped"}
)
#: Labels that start another clause: a search for a verb's own arguments stops there.
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "conj", "acl", "parataxis", "csubj", "pcomp"})
#: Governing clause labels through which a subjectless complement takes its agent.
COMPLEMENT_DEPS = frozenset({"xcomp", "advcl", "pcomp", "acl"})
CLIMB_TO_VERB = frozenset(
    {"dobj", "pobj", "prep", "attr", "oprd", "conj", "appos", "compound", "nsubjpass", "npadvmod"}
)
#: How many sentences back "X followed" / "X did so" looks for the act it repeats.
ELLIPSIS_WINDOW = 2
#: Sides that stand for something in the document's context, left for the discourse stages
#: to fill: a collective noun ("the participants", "both sides"), an event referred back to
#: ("welcomed the decision": whoever made it), the missing agent of a passive ("X was not invited").
COLLECTIVE = "@collective"
EARLIER_EVENT = "@earlier-event"
MISSING_AGENT = "@missing-agent"
#: the other side of an agreement whose parties are all unnamed ("the ceasefire was agreed")
MISSING_PARTIES = "@missing-parties"
#: a first-person pronoun, plural ("we", "our") or singular ("I", "my"): the side of whoever
#: speaks, filled from the quote that contains the event (stage ``event_context``); the author's
#: "we" outside quotes stays unfilled
SPEAKER_SIDE = "@speaker-side"
SPEAKER = "@speaker"
SPEAKER_PLACEHOLDERS = frozenset({SPEAKER_SIDE, SPEAKER})
PLACEHOLDERS = frozenset({COLLECTIVE, EARLIER_EVENT, MISSING_AGENT, MISSING_PARTIES, *SPEAKER_PLACEHOLDERS})
#: First-person pronouns, plural then singular: they stand for the speaker's side.
FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours"})
FIRST_PERSON_SINGULAR = frozenset({"i", "me", "my", "mine"})


def is_placeholder(actor: str | None) -> bool:
    """Whether a side is a placeholder for the context rather than an actor id."""
    return actor in PLACEHOLDERS


@dataclass(frozen=True, slots=True)
class Side:
    """One actor on one side of an event and how it was found."""

    actor: str
    token_i: int
    route: str  # subject, object, passive-agent, possessor, implied ...


@dataclass(slots=True)
class SentenceView:
    """One parsed sentence with its actor mentions mapped onto tokens."""

    sentence: Sentence
    #: the sentence's parse, a span of the document's ``Doc``: token indexes (``token_i``,
    #: ``trigger_i``, the keys of ``actor_at``) count from the start of the document
    span: Any
    #: the word lists and code groups the rules read
    lexicon: Lexicon
    #: the actor each token names (the first member of a set)
    actor_at: dict[int, str] = field(default_factory=dict)
    #: every member of a set mention on a token ("the two countries" -> (A, B)), from the actor
    #: stage's ``coref:plural`` mentions, only where a token names more than one actor
    set_at: dict[int, tuple[str, ...]] = field(default_factory=dict)
    previous_subject: Side | None = None
    #: coordinated subject actors of the preceding sentence ("A and B met"), for a later "they"
    previous_group: list[Side] = field(default_factory=list)
    event_nouns: frozenset[str] = frozenset()
    #: who governs a state at the document's date ("the authorities in Kabul" in 2024 -> Taliban)
    government_of: Callable[[str], str | None] | None = None
    #: the latest target of each CAMEO code in the document, for a bare nominal trigger that
    #: names no target of its own ("Chile recognised X ... Peru stopped short of recognition")
    recent_targets: dict[str, str] = field(default_factory=dict)
    #: (code, target) of the latest events of the document, newest last, for "X followed", "X did so"
    earlier_events: list[tuple[str, str]] = field(default_factory=list)
    #: the home state of an actor in the KB ("the movement returned to power" -> its country)
    home_of: Callable[[str], str | None] | None = None

    def before(self, token: Any) -> Any:
        """The sentence's tokens before ``token`` (a span)."""
        return self.span.doc[self.span.start : token.i]


class EventCoder:
    """The rule coder (stage ``events``). Events whose source or target stands for the
    context (a :data:`PLACEHOLDERS` side) go to ``DocState.partial_events`` for the
    discourse stages (:mod:`dyadlens.nlp.gatherings`, :mod:`dyadlens.nlp.event_anaphora`)."""

    name = "events"
    version = "1"

    def __init__(self, resources: Resources) -> None:
        self.verbs: VerbDictionary = resources.verbs
        self.lexicon = resources.lexicon
        self.modality = ModalityRules(self.lexicon.modality)
        self.views = ViewBuilder(resources)

    def __call__(self, state: DocState) -> None:
        timeline = timeline_of(state)
        quotes = SpanIndex(state.quote_spans)
        recent_targets: dict[str, str] = {}
        earlier: deque[tuple[str, str, int]] = deque()
        for view in self.views.views(state):
            view.recent_targets = dict(recent_targets)
            while earlier and view.sentence.index - earlier[0][2] > ELLIPSIS_WINDOW:
                earlier.popleft()  # sentence indexes only grow: out of the window for good
            view.earlier_events = [(c, t) for c, t, _ in earlier]
            found_events = SentenceCoder(view, self.verbs, self.modality, quotes).events()
            complete = [f for f in found_events if not f.partial]
            events = [
                make_event(state, view.sentence, found, timeline.date_for(view.sentence.index, found.trigger_i,
                                                                           found.modality), self.version)
                for found in complete
            ]
            state.events.extend(events)
            group = tuple(s.actor for s in view.previous_group)
            subject = view.previous_subject.actor if view.previous_subject is not None else None
            state.partial_events.extend(
                PartialEvent(view.sentence, f, group, subject) for f in found_events if f.partial
            )
            resolved = [(e.code, e.target) for e in events if is_resolved(e.target)]
            recent_targets.update(resolved)
            earlier.extend((code, target, view.sentence.index) for code, target in resolved)


class ViewBuilder:
    """The analysed sentences of a document as :class:`SentenceView` objects, each with the
    context the rules read: the preceding sentence's subjects, who governs a state at the
    document's date, an actor's home state. The event coder and the discourse stages share it."""

    def __init__(self, resources: Resources) -> None:
        self.lexicon = resources.lexicon
        self.event_nouns = frozenset(lemma for e in resources.verbs.entries if e.kind == "noun" for lemma in e.lemmas)
        self.kb = resources.kb

    def views(self, state: DocState) -> Iterator[SentenceView]:
        published = state.document.published
        previous: Side | None = None
        group: list[Side] = []

        def government_of(actor: str) -> str | None:
            return self.kb.government_of(actor, published)

        for view in self._plain_views(state):
            view.government_of, view.home_of = government_of, self._home_of
            view.previous_subject, view.previous_group = previous, group
            view.event_nouns = self.event_nouns
            yield view
            previous, group = main_subject(view), coordinated_subjects(view)

    def _home_of(self, actor: str) -> str | None:
        entity = self.kb.get(actor)
        return None if entity is None else entity.country

    def _plain_views(self, state: DocState) -> Iterator[SentenceView]:
        mentions_by_sentence = by_sentence(state.mentions)
        for sentence in state.analysed_sentences():
            span = state.sentence_span(sentence.index)
            if span is None or sentence.kind == "footnote":
                continue
            yield build_view(sentence, span, mentions_by_sentence.get(sentence.index, []), self.lexicon)


def make_event(state: DocState, sentence: Sentence, found: FoundEvent, date: EventDate, version: str) -> Event:
    """The event record of a found event, its evidence the sentence."""
    start, end = token_span(state.doc[found.trigger_i])
    return Event(
        id=stable_id(state.document.id, sentence.start, sentence.end, version,
                     start, found.source, found.target, found.code),
        doc_id=state.document.id,
        start=sentence.start,
        end=sentence.end,
        sentence_index=sentence.index,
        trigger_start=start,
        trigger_end=end,
        source=found.source,
        target=found.target,
        code=found.code,
        modality=found.modality,
        date=date.value,
        date_start=date.start,
        date_end=date.end,
        date_rule=date.rule,
        claimant=found.claimant,
        entry=found.provenance.entry,
        route=found.provenance.route,
        source_route=found.provenance.source_route,
        target_route=found.provenance.target_route,
        cue=found.provenance.cue,
        confidence=found.confidence,
    )


def build_view(sentence: Sentence, span: Any, mentions: list[Mention], lexicon: Lexicon) -> SentenceView:
    view = SentenceView(sentence=sentence, span=span, lexicon=lexicon)
    doc = span.doc
    for mention in mentions:
        if mention.actor_id is None:
            continue
        for i in tokens_starting_in(span, mention.start, mention.end):
            token = doc[i]
            if token.dep_ != "case":
                view.actor_at.setdefault(token.i, mention.actor_id)
                if mention.rule == PLURAL_RULE and view.actor_at[token.i] != mention.actor_id:
                    members = view.set_at.get(token.i, (view.actor_at[token.i],))
                    view.set_at[token.i] = (*members, mention.actor_id)
    return view


def set_members(view: SentenceView, side: Side) -> list[Side]:
    """A side found on a set mention, as one side per member; any other side as it is."""
    members = view.set_at.get(side.token_i)
    if members is None or side.actor != members[0]:
        return [side]
    return [Side(actor, side.token_i, side.route + "~set") for actor in members]


def main_subject(view: SentenceView) -> Side | None:
    """The actor that is the grammatical subject of the sentence's root, if any; None when
    coordinated subjects name several actors ("A and B met": a later "they" is both)."""
    roots = own_heads(view.span)
    for root in roots:
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS:
                side = actor_of(view, child, "previous-subject", set()) or _possessor(view, child)
                if side is not None and not is_unresolved(side.actor):
                    others = {view.actor_at.get(c.i) for c in child.conjuncts} - {None, side.actor}
                    return None if others or side.token_i in view.set_at else side
    return None


def coordinated_subjects(view: SentenceView) -> list[Side]:
    """The actors of a coordinated subject of the sentence's root ("A and B met"), else none."""
    for root in own_heads(view.span):
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS:
                sides = [actor_of(view, m, "previous-subject", set()) for m in (child, *child.conjuncts)]
                members = [m for s in sides if s is not None for m in set_members(view, s)]
                found = _unique([s for s in members if not is_unresolved(s.actor)])
                return found if len(found) > 1 else []
    return []


def _possessor(view: SentenceView, noun: Any) -> Side | None:
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.i in view.actor_at), None)
    return None if owner is None else Side(view.actor_at[owner.i], owner.i, "previous-subject")


@dataclass(frozen=True, slots=True)
class FoundEvent:
    trigger_i: int
    source: str
    target: str
    code: str
    modality: str
    claimant: str | None
    provenance: Provenance
    confidence: float
    #: the token a placeholder side stands on ("the decision", "the participants"), if any
    gap_i: int | None = None

    @property
    def partial(self) -> bool:
        """Whether a side stands for the context (a placeholder) rather than an actor."""
        return is_placeholder(self.source) or is_placeholder(self.target)


@dataclass(frozen=True, slots=True)
class PartialEvent:
    """An event whose source or target is a placeholder, left by the rule coder in
    ``DocState.partial_events`` for a discourse stage to complete from the document's context
    (or to drop when the context does not name exactly one fit). Never stored."""

    sentence: Sentence
    found: FoundEvent
    #: the coordinated subject actors of the preceding sentence ("A and B met. Both sides ...")
    previous_group: tuple[str, ...] = ()
    #: the subject actor of the preceding sentence: who made an act the coder did not code
    #: ("Chile lifted its tariffs. Peru welcomed the decision.")
    previous_subject: str | None = None

    @property
    def gap(self) -> str:
        """The placeholder: one of :data:`PLACEHOLDERS`."""
        return self.found.source if is_placeholder(self.found.source) else self.found.target

    @property
    def known(self) -> str:
        """The side that is an actor (a placeholder too when both sides are)."""
        return self.found.target if is_placeholder(self.found.source) else self.found.source

    def completed(self, actor: str, confidence: float | None = None) -> FoundEvent:
        """The event with its placeholder side (or sides) replaced by ``actor``."""
        found = self.found
        source = actor if found.source == self.gap else found.source
        target = actor if found.target == self.gap else found.target
        return replace(found, source=source, target=target,
                       confidence=found.confidence if confidence is None else confidence)


class SentenceCoder:
    """Finds the events of one sentence."""

    def __init__(
        self, view: SentenceView, verbs: VerbDictionary, modality: ModalityRules, quotes: SpanIndex[Any] | None = None
    ) -> None:
        self.view = view
        #: the text's quotations: a pronoun inside one never refers to its speaker
        self.quotes = quotes
        self.verbs = verbs
        self.modality = modality
        self.words = view.lexicon.events
        self.speech = view.lexicon.speech
        self.heads = verbs.agent_heads
        #: nouns a verbal pattern already used as its object ("declared jihad against X"):
        #: they do not trigger events of their own
        self.consumed: set[int] = set()
        #: helper verbs whose complement was coded in their name ("help X repair ...")
        self.helped: set[int] = set()
        #: pronouns being resolved (their resolution looks at clause subjects, which may be pronouns)
        self.resolving: set[int] = set()

    def events(self) -> list[FoundEvent]:
        if self.view.span.text.rstrip().rstrip("\u201d\"'").endswith("?"):
            return []
        found: list[FoundEvent] = []
        for token in self.view.span:
            if token.i not in self.consumed:
                found.extend(self._code_trigger(token))
        found.extend(self._reported_demands())
        found.extend(self._ellipses(found))
        dropped = self.consumed | self.helped
        return dedupe([f for f in found if f.trigger_i not in dropped])

    def _reported_demands(self) -> list[FoundEvent]:
        """"X said (that) Y must / should V": X demands of Y (CAMEO 100), besides the
        prescribed action itself, which keeps its own event with the modality recommended."""
        found: list[FoundEvent] = []
        for verb in self.view.span:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.speech.demand_verbs:
                continue
            speakers, _ = self.subjects(verb)
            for clause in (c for c in verb.children if c.dep_ == "ccomp"):
                if not any(c.dep_ == "aux" and c.lower_ in self.words.demand_aux for c in clause.children):
                    continue
                addressees = [
                    s for c in clause.children if c.dep_ in SUBJECT_DEPS for s in self.actors(c, "demanded-of")
                ]
                cue = self.modality.event_modality(verb)
                found.extend(
                    FoundEvent(
                        verb.i,
                        s.actor,
                        t.actor,
                        "100",
                        cue.modality,
                        None,
                        Provenance("reported-demand", "speech", s.route, t.route, cue.cue),
                        _confidence_for_demand(s, t),
                    )
                    for s in speakers
                    for t in addressees
                    if s.actor != t.actor
                )
        return found

    def _ellipses(self, found: list[FoundEvent]) -> list[FoundEvent]:
        """"Kazakhstan delisted X, and Kyrgyzstan followed", "whether Peru would follow suit",
        "has not done so yet": the subject repeats the latest earlier act (code and target),
        with the modality of its own verb."""
        events: list[FoundEvent] = []
        for verb in self.view.span:
            if not is_ellipsis(verb):
                continue
            earlier = [(e.code, e.target) for e in found if e.trigger_i < verb.i] or self.view.earlier_events
            sources, route = self.subjects(verb)
            actors = {s.actor for s in sources}
            antecedent = next(((c, t) for c, t in reversed(earlier) if t not in actors and not is_placeholder(t)), None)
            if antecedent is None:
                continue
            code, target = antecedent
            cue = self.modality.event_modality(verb)
            events.extend(
                FoundEvent(verb.i, s.actor, target, code, cue.modality, self.claimant(verb),
                           Provenance("ellipsis", route, s.route, "earlier-act", cue.cue), 0.5)
                for s in sources
                if not is_unresolved(s.actor) and s.actor != target
            )
        return events

    def _code_trigger(self, token: Any) -> list[FoundEvent]:
        kind = trigger_kind(token)
        if kind is None:
            return []
        lemma = token.lemma_.lower()
        for entry in self.verbs.candidates(lemma, kind) or self.verbs.candidates(token.lower_, kind):
            match = self._match(token, entry)
            if match is not None:
                return self._events_for(token, entry, *match)
        return []

    def _match(self, token: Any, entry: VerbEntry) -> tuple[list[Side], list[Side], str] | None:
        if entry.kind == "verb":
            return VerbRoles(self, token, entry).resolve()
        return NounRoles(self, token, entry).resolve()

    def _events_for(
        self, token: Any, entry: VerbEntry, sources: list[Side], targets: list[Side], route: str
    ) -> list[FoundEvent]:
        stance = stance_verb(token, self.words)
        code = entry.code if stance is None else stance_code(stance.lemma_.lower(), entry.code, self.words)
        if code[:2] in self.words.aerial_roots and any(self._aerial(s) for s in sources):
            code = AERIAL_CODE
        cue = self.modality.event_modality(
            token if stance is None else stance,
            intrinsic=self.words.intrinsic_modalities.get(entry.code[:2], frozenset()),
            presupposed=entry.kind == "noun" and route == "possessor",
        )
        if stance is not None:
            self.helped.add(stance.i)
            route = f"{stance.lemma_.lower()}-to"
        claimant = self.claimant(token)
        pairs = dyads(sources, targets, entry)
        coded = [(s, t, code) for s, t in pairs]
        if entry.paired_code and stance is None:  # the target's event in return ("left for X": X receives a visit)
            coded += [(t, s, entry.paired_code) for s, t in pairs]
        events = [
            FoundEvent(
                trigger_i=token.i,
                source=s.actor,
                target=t.actor,
                code=event_code,
                modality=cue.modality,
                claimant=claimant,
                provenance=Provenance(entry.id, route, s.route, t.route, cue.cue),
                confidence=_confidence(entry, s, t),
                gap_i=placeholder_token(s, t),
            )
            for s, t, event_code in coded
        ]
        return events + self._reported_accusations(token, events) if claimant else events

    def _aerial(self, side: Side) -> bool:
        """"Chilean jets struck ...": the source acts through aircraft."""
        token = self.view.span.doc[side.token_i]
        return token.lemma_.lower() in self.words.aerial_heads or token.head.lemma_.lower() in self.words.aerial_heads

    def claimant(self, trigger: Any) -> str | None:
        """The actor whose speech reports the event ("X said that Russia ..."), else None."""
        found = self.speaker(trigger)
        return None if found is None or is_placeholder(found.actor) else found.actor

    def speaker(self, trigger: Any) -> Side | None:
        """The speaking actor of the speech verb that reports the event, its ``token_i`` the verb's."""
        chain = governing_chain(trigger)
        for below, token in pairwise(chain):
            if below.dep_ not in ("ccomp", "parataxis") or token.lemma_.lower() not in self.speech.reporting_verbs:
                continue
            if token.pos_ in ("VERB", "AUX"):
                for child in token.children:
                    if child.dep_ in SUBJECT_DEPS:
                        side = actor_of(self.view, child, "speaker", self.heads) or self.pronoun(child, "speaker")
                        if side is not None:
                            return Side(side.actor, token.i, side.route)
        return None

    def _reported_accusations(self, trigger: Any, events: list[FoundEvent]) -> list[FoundEvent]:
        """"X said / claimed that Y attacked Z": X accuses Y (112) of the hostile act, which
        keeps its own event with X as claimant."""
        hostile = [
            e for e in events if e.code[:2] in self.words.hostile_roots and e.modality not in ("negated", "recommended")
        ]
        found = self.speaker(trigger) if hostile else None
        if found is None or is_placeholder(found.actor):
            return []
        cue = self.modality.event_modality(self.view.span.doc[found.token_i])
        return [
            FoundEvent(found.token_i, found.actor, e.source, "112", cue.modality, None,
                       Provenance("reported-accusation", "speech", found.route, e.provenance.source_route, cue.cue),
                       0.5)
            for e in hostile
            if e.source != found.actor and is_resolved(e.source) and not is_placeholder(e.source)
        ]

    def actors(self, token: Any, route: str) -> list[Side]:
        """The actors a noun phrase headed by ``token`` names, its conjuncts included."""
        sides: list[Side] = []
        members = [token, *token.conjuncts]
        for member in members:
            side = (
                actor_of(self.view, member, route, self.heads)
                or self.pronoun(member, route)
                or self._pronoun_owner(member, route)
                or self._people_of(member, route)
            )
            if side is None:
                sides.extend(
                    self.group(member, route)
                    or self.collective(member, route)
                )
            if side is not None and side.token_i != member.i:
                members.extend(c for c in self.view.span.doc[side.token_i].conjuncts if c not in members)
            if side is not None:
                sides.extend(set_members(self.view, side))
        return _unique(sides)

    def pronoun(self, token: Any, route: str) -> Side | None:
        """A first-person pronoun is a speaker placeholder: :data:`SPEAKER_SIDE` ("we", "our"),
        :data:`SPEAKER` ("I", "my").
        A third-person pronoun the actor layer left unresolved: a subject pronoun takes an
        earlier subject actor of the same sentence, else the subject actor of the preceding
        sentence; any other the nearest earlier actor of the sentence that agrees in number and
        is not the subject of the pronoun's own clause. Coordinated antecedents all count."""
        word = token.lower_
        if token.pos_ == "PRON" and word in FIRST_PERSON_PLURAL and token.text != "US":
            return Side(SPEAKER_SIDE, token.i, route + "~speaker")
        if token.pos_ == "PRON" and word in FIRST_PERSON_SINGULAR:
            return Side(SPEAKER, token.i, route + "~speaker")
        if token.pos_ != "PRON" or word not in PRONOUN_NUMBER:
            return None
        previous = self.view.previous_subject
        is_subject = token.dep_ in SUBJECT_DEPS or token.dep_ in PASSIVE_SUBJECT_DEPS
        if is_subject:
            earlier = self._earlier_subject(token, word)
            if earlier is not None:
                return earlier
            if previous is not None and self._quoted_speaker(token, previous):
                return None  # the speaker is the one actor it cannot be: stay unresolved rather than guess
            if previous is not None:
                return Side(previous.actor, token.i, route + "~pronoun")
        if token.i in self.resolving:
            return None
        self.resolving.add(token.i)
        excluded = set() if is_subject else {s.actor for s in self._clause_subjects(token)}
        self.resolving.discard(token.i)
        for candidate in reversed(self.view.before(token)):
            actor = self.view.actor_at.get(candidate.i)
            if actor is None or actor in excluded or is_unresolved(actor):
                continue
            organ = self._organ_of(candidate, route)
            if organ is not None and organ.actor not in excluded:
                return Side(organ.actor, candidate.i, route + "~pronoun")
            if PRONOUN_NUMBER[word] == "singular" and candidate.tag_ in PLURAL_TAGS:
                continue
            return Side(actor, candidate.i, route + "~pronoun")
        return None

    def _quoted_speaker(self, pronoun: Any, antecedent: Side) -> bool:
        """The pronoun stands in a quotation and the antecedent is a speaker ("'They are sane,' said
        Russia's Foreign Minister. 'They clearly stated ...'": not Russia)."""
        if self.quotes is None or not self.quotes.contains(pronoun.idx):
            return False
        return speaks(pronoun.doc[antecedent.token_i], self.speech.attribution_verbs)

    def _organ_of(self, name: Any, route: str) -> Side | None:
        """"the authorities in Kabul ... deal with them": a pronoun's antecedent is the agent
        noun that the name qualifies, when there is one."""
        prep = name.head
        if name.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.lemma_.lower() not in self.heads:
            return None
        return actor_of(self.view, prep.head, route, self.heads)

    def _earlier_subject(self, token: Any, word: str) -> Side | None:
        for candidate in reversed(self.view.before(token)):
            actor = self.view.actor_at.get(candidate.i)
            if actor is None or is_unresolved(actor) or candidate.dep_ not in SUBJECT_DEPS:
                continue
            if PRONOUN_NUMBER[word] == "singular" and (candidate.tag_ in PLURAL_TAGS or candidate.conjuncts):
                continue
            return Side(actor, candidate.i, "subject~pronoun")
        return None

    def group(self, noun: Any, route: str) -> list[Side]:
        """The actors behind an agent noun that names several of them: "the communique
        issued by the Chilean, Peruvian and Bolivian envoys' summit"."""
        if noun.lemma_.lower() not in self.heads:
            return []
        for source in _clause_sources(noun):
            found = owner_actors(self, source) or [s for s in [actor_of(self.view, source, route, self.heads)] if s]
            if found:
                return [Side(s.actor, s.token_i, route + "~group") for s in found]
        return []

    def collective(self, noun: Any, route: str) -> list[Side]:
        """"The participants", "both sides", "the two countries", "the other governments": a
        :data:`COLLECTIVE` placeholder, which the discourse stages fill with the parties of the
        current gathering, else the coordinated subjects of the preceding sentence. As a target
        only with "other" (the parties besides the source)."""
        if noun.lemma_.lower() not in self.words.collective_nouns or noun.tag_ not in PLURAL_TAGS:
            return []
        children = list(noun.children)
        if any(c.i in self.view.actor_at or c.dep_ in ("prep", "relcl", "acl", "poss") for c in children):
            return []
        words = {c.lower_ for c in children}
        if not words & self.words.collective_determiners and not any(c.dep_ == "nummod" for c in children):
            return []
        if route in TARGET_ROUTES and "other" not in words:
            return []
        return [Side(COLLECTIVE, noun.i, route + "~collective")]

    def _people_of(self, noun: Any, route: str) -> Side | None:
        """"Liberian refugees", "Ruritania's villages": the actor whose people or places are
        acted upon. Only on the target side: such people rarely act for their country."""
        if route not in TARGET_ROUTES or noun.lemma_.lower() not in self.verbs.people_heads:
            return None
        for child in noun.children:
            actor = self.view.actor_at.get(child.i)
            if (
                child.dep_ in MODIFIER_DEPS
                and child.i < noun.i
                and actor is not None
                and not is_unresolved(actor)
            ):
                return Side(actor, child.i, route + "~people")
        return None

    def _pronoun_owner(self, token: Any, route: str) -> Side | None:
        """"its leaders", "their representatives": the pronoun's actor stands for the agent noun."""
        if token.lemma_.lower() not in self.heads:
            return None
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        return None if owner is None else self.pronoun(owner, route + "~agent")

    def _clause_subjects(self, token: Any) -> list[Side]:
        verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return [] if verb is None else self.subjects(verb)[0]

    def actors_or_owners(self, token: Any, route: str) -> list[Side]:
        """The actors a phrase names, else, when it names an action ("X's engagement",
        "US military operations", "a Taliban threat"), the actors who own that action."""
        found = self.actors(token, route)
        if found or token.pos_ not in ("NOUN", "PROPN") or not self.verbs.has_lemma(token.lemma_.lower(), "noun"):
            return found
        return owner_actors(self, token)

    def subjects(self, verb: Any, depth: int = 0) -> tuple[list[Side], str]:
        """Source actors of an active verb, with how they were found."""
        own = [c for c in verb.children if c.dep_ in SUBJECT_DEPS] or misparsed_subject(self.view, verb)
        if own:
            return [s for c in own for s in self.actors(c, "subject")], "subject"
        if depth > 3 or verb.head.i == verb.i:
            return [], "none"
        head = verb.head
        if verb.dep_ == "conj":
            return self.subjects(head, depth + 1)[0], "coordinated-verb"
        if verb.dep_ == "relcl":
            return self.actors(head, "relative"), "relative"
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            return self.prepositional_controller(head.head, depth), "governing"
        if verb.dep_ in COMPLEMENT_DEPS and head.pos_ in ("VERB", "AUX"):
            return self.controller(head, depth), "governing"
        if verb.dep_ == "xcomp" and head.dep_ == "acomp" and head.head.pos_ in ("VERB", "AUX"):
            return self.controller(head.head, depth), "governing-adjective"
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            return self.actors(head, "modified-noun"), "participle"
        if verb.dep_ == "acl" and verb.tag_ == "VBD" and head.dep_ == "ROOT":
            return self.actors(head, "subject"), "misparsed-subject"
        if verb.dep_ == "acl" and verb.tag_ == "VB" and head.lemma_.lower() in self.heads:
            by = [s for p in prep_objects(head, {"by"}) for s in self.actors(p, "by-agent")]
            return owner_actors(self, head) or by, "intention-owner"
        return [], "none"

    def implied(self, token: Any) -> list[Side]:
        """The subject actor of the immediately preceding sentence (the implied-agent convention)."""
        previous = self.view.previous_subject
        return [] if previous is None else [Side(previous.actor, token.i, "implied")]

    def prepositional_controller(self, governor: Any, depth: int) -> list[Side]:
        """Agent of "V-ing" in "accuses X of V-ing" (the prepositional phrase may hang off X or the verb)."""
        if governor.pos_ in ("VERB", "AUX"):
            return self.controller(governor, depth)
        if governor.dep_ in ("advmod", "acomp") and governor.head.pos_ in ("VERB", "AUX"):
            return self.controller(governor.head, depth)
        own = self.actors(governor, "governing-object")
        if own:
            return own
        verb = governing_verb(governor, self.words)
        return self.controller(verb, depth) if verb is not None else []

    def controller(self, governor: Any, depth: int) -> list[Side]:
        """Object control ("help Lima rebuild", "accuse X of backing", "call on X to convene")
        else subject control."""
        objects = [c for c in governor.children if c.dep_ in OBJECT_DEPS]
        if governor.lemma_.lower() in self.words.control_prep_verbs:
            objects += prep_objects(governor, self.words.control_preps)
        for child in objects:
            found = self.actors(child, "governing-object")
            if found:
                return found
        if is_passive(governor):
            return [
                s
                for c in governor.children
                if c.dep_ in PASSIVE_SUBJECT_DEPS
                for s in self.actors(c, "governing-patient")
            ]
        return self.subjects(governor, depth + 1)[0]


class VerbRoles:
    """Source and target of a verbal trigger under one dictionary entry."""

    def __init__(self, coder: SentenceCoder, verb: Any, entry: VerbEntry) -> None:
        self.coder = coder
        self.verb = verb
        self.entry = entry
        self.passive = is_passive(verb)

    def resolve(self) -> tuple[list[Side], list[Side], str] | None:
        if not self._particle_ok() or not has_words_before(self.verb, self.entry.before):
            return None
        obj = self._object()
        if self.entry.objects and (obj is None or not lemma_in(obj, self.entry.objects)):
            return None
        if self.entry.modifiers and (obj is None or not has_modifier(obj, self.entry.modifiers)):
            return None
        hosts = [self.verb] if obj is None else [self.verb, obj]
        if self.entry.needs and not any(has_phrase(h, p, n) for p, n in self.entry.needs for h in hosts):
            return None
        helper = self._helper()
        if helper is not None:
            sources, targets, route = *helper, "helper"
        else:
            sources, route = self._sources()
            targets = self._targets(obj)
        if obj is not None and self.entry.objects:
            self.coder.consumed.add(obj.i)
        if self.entry.home and {t.actor for t in targets} <= {s.actor for s in sources}:
            targets = self._home_targets(sources)
        if self.entry.reverse:
            sources, targets = targets, sources
        if not sources or not (targets or (self.entry.symmetric and len(sources) > 1)):
            return None
        return sources, targets, ("passive" if self.passive else route)

    def _helper(self) -> tuple[list[Side], list[Side]] | None:
        """"X could help Y repair ...": X -> Y, coded with this complement's entry."""
        head = self.verb.head
        if self.verb.dep_ not in ("ccomp", "xcomp") or head.lemma_.lower() not in self.coder.verbs.helper_verbs:
            return None
        own = [c for c in self.verb.children if c.dep_ in SUBJECT_DEPS] or misparsed_subject(self.coder.view, self.verb)
        helped = own or [c for c in head.children if c.dep_ in OBJECT_DEPS]
        targets = [s for c in helped for s in self.coder.actors(c, "helped")]
        sources, _ = self.coder.subjects(head)
        if not (sources and targets):
            return None
        self.coder.helped.add(head.i)
        return sources, targets

    def _particle_ok(self) -> bool:
        if not self.entry.particles:
            return True
        return any(c.dep_ == "prt" and c.lower_ in self.entry.particles for c in self.verb.children)

    def _object(self) -> Any | None:
        deps = PASSIVE_SUBJECT_DEPS if self.passive else OBJECT_DEPS
        obj = next((c for c in self.verb.children if c.dep_ in deps), None)
        if obj is None and not self.passive:
            obj = shared_object(self.verb)
        if obj is not None and self.entry.objects and not lemma_in(obj, self.entry.objects):
            listed = next((c for c in obj.conjuncts if lemma_in(c, self.entry.objects)), None)
            obj = quantified_noun(obj, self.entry.objects) or listed or obj
        if obj is None and self.verb.dep_ == "acl" and self.verb.tag_ == "VBN":
            return self.verb.head
        if obj is None and self.verb.dep_ == "relcl" and self.passive:
            return self.verb.head
        if obj is None and self.passive and self.verb.dep_ == "conj" and is_passive(self.verb.head):
            return next((c for c in self.verb.head.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        if obj is None and self.passive:
            return parenthesised_noun(self.verb)
        return obj

    def _sources(self) -> tuple[list[Side], str]:
        if self.passive:
            verb = self.verb
            agents = passive_agents(verb)
            while not agents and verb.dep_ == "conj" and is_passive(verb.head):
                verb = verb.head
                agents = passive_agents(verb)
            if not agents and finite_passive(self.verb):
                return [Side(MISSING_AGENT, self.verb.i, "implied-agent")], "passive"
            return [s for a in agents for s in self.coder.actors(a, "passive-agent")], "passive"
        sources, route = self.coder.subjects(self.verb)
        if not sources and self.verb.tag_ == "VBG" and cooperative(self.entry):
            return self.coder.implied(self.verb), "implied"
        return sources, route

    def _targets(self, obj: Any | None) -> list[Side]:
        if self.entry.preps:
            hosts = [self.verb] + ([obj] if obj is not None else [])
            objects = [p for h in hosts for p in prep_objects(h, self.entry.preps)]
            if self.entry.code.startswith(STATEMENT_ROOT):
                self.coder.consumed.update(p.i for p in objects)
            found = [s for p in objects for s in self.coder.actors_or_owners(p, "prep-object")]
            found = (
                found or self._recipients(obj) or self._object_phrase_targets(*objects) or self._earlier_event(objects)
            )
            if not found and obj is not None and self.entry.objects:
                found = self._agent_object(obj)
            if found or not (self.passive and obj is not None):
                return found
        if obj is None:
            return self._complement_targets() or self._place_targets() or self._phrase_targets()
        if self.entry.objects:
            owners = owner_actors(self.coder, obj, possessive_only=True) or self._agent_object(obj)
            if owners or not self.entry.answers:
                return owners or self._unnamed_parties(obj)
            return self._authors(obj) or self._answered_event(obj)
        found = self.coder.actors_or_owners(obj, "patient" if self.passive else "object")
        if not found and (self.entry.complement or self.entry.code[:2] in self.coder.words.evaluative_roots):
            found = owner_actors(self.coder, obj, possessive_only=True)
        return (
            found
            or self._complement_targets()
            or self._place_targets()
            or self._object_phrase_targets(obj)
            or self._earlier_event([obj])
        )

    def _object_phrase_targets(self, *heads: Any) -> list[Side]:
        """An entry's ``fallback_preps`` (PETRARCH reads the target anywhere in the verb phrase):
        an object naming no actor of its own takes the first actor of the prepositional phrases
        nested in it, in text order ("welcomed a resumption of ties with X", "warned the
        population of X", "acted on programs with X")."""
        if not self.entry.fallback_preps or self.passive:
            return []
        for phrase in sorted((p for h in heads for p in nested_prep_objects(h)), key=lambda t: t.i):
            found = self.coder.actors(phrase, "object-phrase")
            if found:
                return found
        return []

    def _phrase_targets(self) -> list[Side]:
        """An entry's ``fallback_preps``: with no direct object, the first actor in one of
        these prepositional phrases is the target ("left for X")."""
        if not self.entry.fallback_preps or self.passive:
            return []
        phrases = prep_objects(self.verb, self.entry.fallback_preps)
        for phrase in phrases:
            found = self.coder.actors(phrase, "prep-object")
            if found:
                return found
        return self._object_phrase_targets(*phrases)

    def _earlier_event(self, objects: list[Any]) -> list[Side]:
        """"X welcomed the decision", "condemned this move": an event noun referring back
        (definite or demonstrative, naming no actor of its own) is an :data:`EARLIER_EVENT`
        placeholder; the context stage puts in whoever made that event. A passive refers back
        through its subject only when it names its agents ("the launch was condemned by A and
        B": each agent reacts); with none, both sides would stand for the context."""
        if self.passive and not passive_agents(self.verb):
            return []
        anaphors = [o for o in objects if refers_back(o, self.coder.words)]
        if anaphors:
            return [Side(EARLIER_EVENT, anaphors[0].i, "object~earlier-event")]
        return [s for o in objects for s in self._clause_makers(o)]

    def _clause_makers(self, noun: Any) -> list[Side]:
        """"the incident, in which X detained ...", "the raid that X carried out": an event noun
        whose relative clause tells the act names its maker, the clause's subject; a clause with
        the noun as its object ("the deal that X rejected") tells it only through a maker verb."""
        words = self.coder.words
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in words.anaphoric_event_nouns:
            return []
        for clause in (c for c in noun.children if c.dep_ == "relcl"):
            setting = any(c.dep_ == "prep" and any(g.lower_ == "which" for g in c.children) for c in clause.children)
            subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
            if subjects and (setting or clause.lemma_.lower() in words.event_maker_verbs):
                return [s for c in subjects for s in self.coder.actors(c, "clause-maker")]
        return []

    def _unnamed_parties(self, obj: Any) -> list[Side]:
        """"The ceasefire was agreed", "a deal was reached": an agreement (``mutual_event_nouns``)
        as the subject of a passive with no agent names none of its parties; the context stage
        codes it between the two parties of the current gathering or the preceding sentence."""
        if not (self.passive and finite_passive(self.verb) and not passive_agents(self.verb)):
            return []
        if obj.lemma_.lower() not in self.coder.words.mutual_event_nouns:
            return []
        return [Side(MISSING_PARTIES, obj.i, "implied-parties")]

    def _answered_event(self, obj: Any) -> list[Side]:
        """The author of an act answered without naming it: "welcomed the decision" refers back
        to an earlier event (the context stage finds its maker); any other object ("rejected
        a request") takes the subject of the preceding sentence (the implied-agent convention)."""
        if refers_back(obj, self.coder.words):
            return self._earlier_event([obj])
        return self.coder.implied(self.verb)

    def _home_targets(self, sources: list[Side]) -> list[Side]:
        """"seized power in X": X; "returned to power": the source's home state."""
        objects = prep_objects(self.verb, self.coder.words.place_preps)
        places = [s for p in objects for s in self.coder.actors(p, "place")]
        if places or self.coder.view.home_of is None:
            return places
        homes = [(s, self.coder.view.home_of(s.actor)) for s in sources]
        return [Side(home, s.token_i, "home") for s, home in homes if home]

    def _authors(self, obj: Any) -> list[Side]:
        """Who made the act that is answered: "rejected a US request", "dismissed calls by X",
        "turned down an appeal from X" (an actor modifier, or the object of by/from)."""
        authors = [s for p in prep_objects(obj, self.coder.words.author_preps) for s in self.coder.actors(p, "author")]
        return authors or owner_actors(self.coder, obj)

    def _agent_object(self, obj: Any) -> list[Side]:
        """"summoned the Chilean ambassador", "accepted a Peruvian envoy": an agent noun as the
        required object stands for its actor."""
        if obj.lemma_.lower() not in self.coder.heads or any(c.dep_ == "poss" for c in obj.children):
            return []
        return self.coder.actors(obj, "object")

    def _place_targets(self) -> list[Side]:
        """"struck targets in the Chilean border provinces", "struck inside Peru": for an act of
        force, a place named by a state (or the state's adjective) stands for that state."""
        if self.entry.code[:2] not in self.coder.words.force_roots or self.passive:
            return []
        places = prep_objects(self.verb, self.coder.words.place_preps)
        return [s for p in places for s in self.coder.actors(p, "place")]

    def _recipients(self, obj: Any | None) -> list[Side]:
        """The indirect object: "gave X weapons" (parsed as a dative, or as a name compounded
        onto the object noun, a common misparse of the double-object construction)."""
        datives = [c for c in self.verb.children if c.dep_ == "dative"]
        if obj is not None and self.entry.objects:
            datives += [c for c in obj.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and c.i < obj.i]
        return [s for c in datives for s in self.coder.actors(c, "recipient")]

    def _complement_targets(self) -> list[Side]:
        if not self.entry.complement:
            return [s for c in self.verb.children if c.dep_ == "dative" for s in self.coder.actors(c, "dative")]
        for clause in self.verb.children:
            if clause.dep_ not in ("ccomp", "xcomp"):
                continue
            subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return [s for c in subjects for s in self.coder.actors(c, "complement-subject")]
            objects = [c for c in clause.children if c.dep_ in OBJECT_DEPS]
            return [s for c in objects for s in self.coder.actors(c, "complement-object")]
        return []


class NounRoles:
    """Source and target of a nominal trigger under one dictionary entry."""

    def __init__(self, coder: SentenceCoder, noun: Any, entry: VerbEntry) -> None:
        self.coder = coder
        self.noun = noun
        self.entry = entry

    def resolve(self) -> tuple[list[Side], list[Side], str] | None:
        if self.entry.modifiers and not has_modifier(self.noun, self.entry.modifiers):
            return None
        if described_state(self.noun, self.coder.words):
            return None
        if self.entry.needs and not any(has_phrase(self.noun, p, n) for p, n in self.entry.needs):
            return None
        between = prep_objects(self.noun, {"between"}) or [
            o for clause in self.noun.children if clause.dep_ == "relcl" for o in _between_in(clause)
        ]
        if between:
            parties = [s for b in between for s in self.coder.actors(b, "between")]
            return (parties[:1], parties[1:], "between") if len(parties) > 1 else None
        owners = owner_actors(self.coder, self.noun)
        targets = self._targets() or self._example_of_targets() or self._content_targets() or self._needs_owners()
        if self.entry.owner == "target" and not prep_objects(self.noun, self._target_preps()):
            targets, owners = owners or self._earlier_target(), []
        sources, route = (owners, "possessor") if owners else self._agent()
        remembered = any(t.route == "earlier-target" for t in targets)
        if not sources and targets and cooperative(self.entry) and not remembered:
            sources, route = self.coder.implied(self.noun), "implied"
        if not sources or not (targets or (self.entry.symmetric and len(sources) > 1)):
            return None
        return sources, targets, route

    def _earlier_target(self) -> list[Side]:
        """"Chile recognised X in May; Peru has stopped short of formal recognition": a bare
        nominal of an act on a target takes the latest target of the same act in the document."""
        target = self.coder.view.recent_targets.get(self.entry.code)
        return [] if target is None else [Side(target, self.noun.i, "earlier-target")]

    def _needs_owners(self) -> list[Side]:
        """"a review of the militia's listing": the owner of the required phrase's object."""
        objects = [o for prep, _ in self.entry.needs for o in prep_objects(self.noun, {prep})]
        return [s for o in objects for s in owner_actors(self.coder, o, possessive_only=True)]

    def _content_targets(self) -> list[Side]:
        """"X's allegation that Y ...", "reports alleging that Y ...": Y, for entries with ``complement``."""
        if not self.entry.complement:
            return []
        clauses = [c for c in self.noun.children if c.dep_ in ("acl", "ccomp")]
        clauses += [g for c in clauses if c.dep_ == "acl" for g in c.children if g.dep_ == "ccomp"]
        for clause in clauses:
            for child in clause.children:
                if child.dep_ in SUBJECT_DEPS:
                    found = self.coder.actors(child, "content-subject")
                    if found:
                        return found
        return []

    def _example_of_targets(self) -> list[Side]:
        """"cooperation with X, including the sale of rifles": the example shares X."""
        if self.noun.dep_ != "pobj" or self.noun.head.lower_ not in self.coder.words.example_preps:
            return []
        parent = self.noun.head.head
        return [s for p in prep_objects(parent, {"with", "to", "for"}) for s in self.coder.actors(p, "example-of")]

    def _target_preps(self) -> frozenset[str]:
        return self.entry.preps or (frozenset({"of"}) if self.entry.owner == "target" else frozenset())

    def _targets(self) -> list[Side]:
        preps = self._target_preps()
        objects = prep_objects(self.noun, preps)
        if not objects and self.noun.dep_ in OBJECT_DEPS:
            objects = [o for o in prep_objects(self.noun.head, preps) if o.i > self.noun.i]
        return [s for p in objects for s in self.coder.actors(p, "prep-object")]

    def _agent(self) -> tuple[list[Side], str]:
        agents = prep_objects(self.noun, {"by"})
        by = [s for p in agents for s in self.coder.actors(p, "by-agent")]
        if by or agents:
            return by, "by-agent"
        verb = governing_verb(self.noun, self.coder.words)
        if verb is not None and not is_passive(verb):
            sources, _ = self.coder.subjects(verb)
            if sources:
                return sources, "governing-subject"
        if not cooperative(self.entry):
            return [], "none"
        return self._clause_subject(), "clause-subject"

    def _clause_subject(self) -> list[Side]:
        """The subject actor of the nearest clause above the noun ("Peru knows how
        delicate links with X would be" -> Peru), never across a reported-speech verb into
        the speech it reports ("X announced the deal after a meeting with Y" -> X)."""
        below = self.noun
        for ancestor in self.noun.ancestors:
            reported = below.dep_ in ("ccomp", "parataxis")
            below = ancestor
            if ancestor.pos_ not in ("VERB", "AUX"):
                continue
            if ancestor.lemma_.lower() in self.coder.speech.reporting_verbs and reported:
                return []
            subjects = [c for c in ancestor.children if c.dep_ in SUBJECT_DEPS and self.noun not in c.subtree]
            found = [s for c in subjects for s in self.coder.actors(c, "clause-subject")]
            if found:
                return found
        return []


def placeholder_token(source: Side, target: Side) -> int | None:
    """The token of a placeholder side of a dyad, if either side is one; a speaker placeholder's
    only when the other side is none (its quote, not its token, fills it: "we condemned the attack")."""
    for side in sorted((source, target), key=lambda s: s.actor in SPEAKER_PLACEHOLDERS):
        if is_placeholder(side.actor):
            return side.token_i
    return None


def finite_passive(verb: Any) -> bool:
    """"X was not invited": a passive clause with its own auxiliary and subject (not a bare
    participle, whose agent is often the noun it describes)."""
    children = list(verb.children)
    return any(c.dep_ == "auxpass" for c in children) and any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in children)


def refers_back(noun: Any, words: EventWords) -> bool:
    """"the decision", "this move", "that deal": an event noun with a definite or demonstrative
    determiner and no owner, ``of``/``by`` phrase, clause or actor of its own."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in words.anaphoric_event_nouns:
        return False
    children = list(noun.children)
    if not any(c.dep_ == "det" and c.lower_ in words.anaphoric_determiners for c in children):
        return False
    own = ("poss", "prep", "acl", "relcl", "compound", "nmod", "appos")
    return not any(c.dep_ in own and c.lower_ not in words.anaphoric_determiners for c in children)


def is_ellipsis(verb: Any) -> bool:
    """"followed", "follow suit", "did so", "do the same": a verb standing for an earlier act."""
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ == "aux":
        return False
    lemma = verb.lemma_.lower()
    objects = {t.lower_ for c in verb.children if c.dep_ in OBJECT_DEPS or c.dep_ == "advmod" for t in c.subtree}
    if lemma == "follow":
        return not any(c.dep_ in OBJECT_DEPS for c in verb.children) or bool(objects & {"suit"})
    return lemma == "do" and bool(objects & {"so", "same"})


def described_state(noun: Any, words: EventWords) -> bool:
    """"Relations between A and B remain tense", "ties are strained": a relationship described
    by a copula and an adjective is a state, not an event."""
    if noun.lemma_.lower() not in words.relationship_nouns or noun.dep_ not in SUBJECT_DEPS:
        return False
    verb = noun.head
    return verb.lemma_.lower() in words.state_verbs and any(c.dep_ in ("acomp", "attr") for c in verb.children)


def stance_verb(trigger: Any, words: EventWords) -> Any | None:
    """"threatened to cut ties with X", "refused to meet X": the verb whose infinitive
    complement the trigger heads, when that verb turns the action into a threat or a refusal."""
    verb = trigger.head if trigger.dep_ in OBJECT_DEPS and trigger.pos_ == "NOUN" else trigger
    if verb.dep_ != "xcomp" or verb.tag_ != "VB":
        return None
    head = verb.head
    return head if head.pos_ == "VERB" and head.lemma_.lower() in words.stance_verbs else None


def stance_code(stance: str, action_code: str, words: EventWords) -> str:
    """The CAMEO code of threatening or refusing the action ``action_code``."""
    table = words.threat_codes if stance in words.threat_verbs else words.refusal_codes
    return table.code_for(action_code)


def cooperative(entry: VerbEntry) -> bool:
    """Cooperation codes (roots 01-09). Only these take an agent from the surrounding clause
    or the preceding sentence: the subject of a clause that mentions an attack or a crackdown
    is rarely its author, while the subject of one that mentions ties or talks usually is."""
    return int(entry.code[:2]) <= 9


def trigger_kind(token: Any) -> str | None:
    if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ != "aux"):
        return "verb"
    if token.pos_ in ("NOUN", "PROPN"):
        return "noun"
    return None


def is_passive(verb: Any) -> bool:
    """A passive clause, or a bare past participle describing a noun ("X, designated by Y")."""
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children):
        return True
    bare = verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)
    return bare and (verb.dep_ in ("acl", "parataxis", "appos") or any(c.dep_ == "agent" for c in verb.children))


def misparsed_subject(view: SentenceView, verb: Any) -> list[Any]:
    """An actor name the parser hung on a verb as a compound ("help Lima rebuild"): its subject."""
    return [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i and c.i in view.actor_at]


def parenthesised_noun(participle: Any) -> Any | None:
    """"the Taliban (officially designated by X)": the noun a parenthetical participle describes."""
    i = participle.i - 1
    first = participle.sent.start
    while i > first and participle.doc[i].pos_ == "ADV":
        i -= 1
    if i < first + 1 or participle.doc[i].text != "(":
        return None
    noun = participle.doc[i - 1]
    return noun if noun.pos_ in ("NOUN", "PROPN") else None


def shared_object(verb: Any) -> Any | None:
    """The object of a later coordinated verb, shared by this one ("hosted and praised X")."""
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB":
            obj = next((c for c in conj.children if c.dep_ in OBJECT_DEPS), None)
            if obj is not None:
                return obj
    return None


def passive_agents(verb: Any) -> list[Any]:
    """Objects of the ``by`` agent of a passive verb, also where the parser hung it lower
    ("designated as a terrorist organization by X"), but never inside another clause."""
    found: list[Any] = []
    stack = list(verb.children)
    while stack:
        token = stack.pop()
        if token.dep_ in CLAUSE_DEPS:
            continue
        if token.dep_ == "agent" or (token.dep_ == "prep" and token.lower_ == "by"):
            found.extend(g for g in token.children if g.dep_ == "pobj")
            continue
        stack.extend(token.children)
    return sorted(found, key=lambda t: t.i)


def lemma_in(token: Any, lemmas: frozenset[str]) -> bool:
    return token.lemma_.lower() in lemmas or token.lower_ in lemmas


def has_modifier(token: Any, lemmas: frozenset[str]) -> bool:
    """Whether a modifier to the left of the noun (or the noun itself, hyphen-joined) is one of ``lemmas``."""
    words: set[str] = set()
    for left in token.lefts:
        sub = list(left.subtree)
        words.update(t.lemma_.lower() for t in sub)
        words.update(t.lower_ for t in sub)
        words.add("".join(t.lower_ for t in sub))
    return bool(words & lemmas)


def has_phrase(token: Any, prep: str, noun: str) -> bool:
    """Whether ``token`` has a ``prep`` child whose object (or its compound) is ``noun``; an
    object predicate counts as ``as`` ("called X a partner" = "described X as a partner")."""
    objects = prep_objects(token, {prep})
    if prep == "as":
        objects += [c for c in token.children if c.dep_ == "oprd"]
    for obj in objects:
        if (
            obj.lemma_.lower() == noun
            or obj.lower_ == noun
            or any(c.lemma_.lower() == noun for c in obj.children if c.dep_ in ("compound", "amod"))
        ):
            return True
    return False


def prep_objects(token: Any, preps: frozenset[str] | set[str]) -> list[Any]:
    """Objects of the prepositions ``preps`` attached to ``token`` (coordinated objects via ``actors``)."""
    found: list[Any] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            found.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp"))
    return found


def nested_prep_objects(noun: Any) -> list[Any]:
    """The objects of the prepositional phrases inside a noun phrase, at any depth ("a
    resumption [of ties [with X]]"); clauses inside the phrase are not entered."""
    found: list[Any] = []
    heads = [noun]
    while heads:
        objects = [g for h in heads for c in h.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        found.extend(objects)
        heads = objects
    return found


def owner_actors(coder: SentenceCoder, noun: Any, possessive_only: bool = False) -> list[Side]:
    """Actors that own or qualify a noun: possessor, actor adjective or compound ("Russian",
    "Taliban"), also listed ones ("the Chilean, Peruvian and Bolivian envoys' meeting")."""
    deps = {"poss"} if possessive_only else MODIFIER_DEPS
    sides = []
    for child in noun.children:
        if child.dep_ in deps and child.i < noun.i:
            sides.extend(coder.actors(child, "possessor" if child.dep_ == "poss" else "modifier"))
            sides.extend(_listed_modifier_actors(coder.view, child))
    return _unique(sorted(sides, key=lambda s: s.token_i))


def _listed_modifier_actors(view: SentenceView, modifier: Any) -> list[Side]:
    """Actor words coordinated inside a premodifier, in text order (parsers attach them loosely)."""
    return [
        Side(view.actor_at[t.i], t.i, "modifier")
        for t in modifier.subtree
        if t.i in view.actor_at and t.dep_ in ("conj", "preconj", "amod", "compound", "nmod")
    ]


def actor_of(view: SentenceView, token: Any, route: str, heads: frozenset[str] | set[str]) -> Side | None:
    """The actor a single noun phrase head stands for, if any."""
    if token.i in view.actor_at:
        own = view.actor_at[token.i]
        if is_unresolved(own):
            return (
                _titled_person(view, token, route, heads)
                or _owning_state(view, token, route)
                or Side(own, token.i, route)
            )
        return Side(own, token.i, route)
    if token.pos_ == "PROPN":
        titled = _titled_person(view, token, route, heads)
        if titled is not None:
            return titled
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        return actor_of(view, token.head.head, route, heads)
    if token.lemma_.lower() in heads or _is_event_noun(token, view):
        for child in token.children:
            actor = view.actor_at.get(child.i)
            if child.dep_ in MODIFIER_DEPS and is_resolved(actor):
                return _governing(view, token, Side(actor, child.i, route + "~agent"))
        preps = {"of", "from", "in"} if token.lemma_.lower() in view.lexicon.offices.local_forces else {"of", "from"}
        leaders = _leaders(token, view.lexicon.events.leading_verbs)
        for obj in prep_objects(token, preps) + leaders + _relative_subjects(token):
            side = actor_of(view, obj, route + "~agent", heads)
            if side is not None:
                return _governing(view, token, side)
    for child in token.children:
        if child.dep_ == "appos" and child.i in view.actor_at:
            return Side(view.actor_at[child.i], child.i, route + "~apposition")
    for example in prep_objects(token, view.lexicon.events.example_preps):
        side = actor_of(view, example, route + "~example", heads)
        if side is not None:
            return side
    return None


def _owning_state(view: SentenceView, name: Any, route: str) -> Side | None:
    """"Ruritania's Supreme Court", "Ruritania's Election Board": an institution the KB does
    not know, possessed by an actor it does, acts for that actor."""
    for child in name.children:
        actor = view.actor_at.get(child.i)
        if child.dep_ == "poss" and is_resolved(actor):
            return Side(actor, child.i, route + "~institution")
    return None


def _governing(view: SentenceView, organ: Any, side: Side) -> Side:
    """An organ of a state ("Afghan ministries", "the authorities in X") acts for whoever
    governs that state at the document's date, unless it is marked as a past one ("the
    former government")."""
    if view.government_of is None or organ.lemma_.lower() not in view.lexicon.offices.state_organs:
        return side
    if any(c.lower_ in view.lexicon.events.past_markers for c in organ.children):
        return side
    governor = view.government_of(side.actor)
    return (
        side
        if governor is None or governor == side.actor
        else Side(governor, side.token_i, side.route + "~government")
    )


def _titled_person(view: SentenceView, name: Any, route: str, heads: frozenset[str] | set[str]) -> Side | None:
    """"Chilean Foreign Minister Ana Example", "Kenya's president Ann Example": a name the KB
    does not know, after a title (an agent noun such as minister or president) that names
    the actor it acts for."""
    title = [t for c in name.lefts if c.dep_ in ("compound", "amod", "nmod", "poss") for t in c.subtree]
    if not any(t.lemma_.lower() in heads for t in title):
        return None
    for token in title:
        actor = view.actor_at.get(token.i)
        if is_resolved(actor):
            return Side(actor, token.i, route + "~title")
    return None


def _relative_subjects(noun: Any) -> list[Any]:
    """"the initiative that Chile launches": the subject of a relative clause on the noun."""
    return [
        c
        for clause in noun.children
        if clause.dep_ == "relcl"
        for c in clause.children
        if c.dep_ in SUBJECT_DEPS and c.lower_ not in RELATIVE_PRONOUNS
    ]


def _clause_sources(noun: Any) -> list[Any]:
    """"a communique issued after X", "a report issued by X": X."""
    clauses = [c for c in noun.children if c.dep_ in ("relcl", "acl")]
    return [o for clause in clauses for o in prep_objects(clause, {"from", "by"})]


def _between_in(clause: Any) -> list[Any]:
    """"links that were visible between A and B": the parties named in the clause."""
    return [t for t in clause.subtree if t.dep_ == "pobj" and t.head.lower_ == "between"]


def _leaders(noun: Any, leading_verbs: frozenset[str]) -> list[Any]:
    """"the administration led by X", "forces commanded by X": X."""
    return [
        g
        for acl in noun.children
        if acl.dep_ == "acl" and acl.lemma_.lower() in leading_verbs
        for agent in acl.children
        if agent.dep_ == "agent"
        for g in agent.children
        if g.dep_ == "pobj"
    ]


def _is_event_noun(token: Any, view: SentenceView) -> bool:
    """A noun naming an action ("Brazil's outreach", "Brazil's backing"): its possessor acts."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in view.event_nouns


def quantified_noun(noun: Any, lemmas: frozenset[str]) -> Any | None:
    """"a series of meetings", "rounds of talks": the counted noun, when it is one of ``lemmas``."""
    return next((o for o in prep_objects(noun, {"of"}) if lemma_in(o, lemmas)), None)


def governing_verb(noun: Any, words: EventWords) -> Any | None:
    """The verb a nominal trigger is (through objects and prepositions) the object of."""
    token = noun
    for _ in range(5):
        if token.dep_ not in CLIMB_TO_VERB or token.head.i == token.i:
            return None
        if token.dep_ == "prep" and token.lower_ not in words.transparent_preps:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "prep":
            return token
    return None


def dyads(sources: list[Side], targets: list[Side], entry: VerbEntry) -> list[tuple[Side, Side]]:
    if not targets and entry.symmetric:
        return [(a, b) for a, b in combinations(sources, 2) if a.actor != b.actor]
    return [(s, t) for s in sources for t in targets if s.actor != t.actor]


def dedupe(found: list[FoundEvent]) -> list[FoundEvent]:
    """One event per dyad, CAMEO root and modality in a sentence: the most confident one
    ("moved closer to delisting X but has not done so": a possible and a negated delisting)."""
    best: dict[tuple[str, str, str, str], FoundEvent] = {}
    for event in found:
        key = (event.source, event.target, event.code[:2], event.modality)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return [e for e in found if best[(e.source, e.target, e.code[:2], e.modality)] is e]


def _confidence(entry: VerbEntry, source: Side, target: Side) -> float:
    """A rough prior: direct verbal arguments are surer than inferred or implied ones."""
    score = 0.7 if entry.kind == "verb" else 0.6
    if entry.specificity >= 2:
        score += 0.1
    routes = f"{source.route} {target.route}"
    if "implied" in routes:
        score -= 0.25
    elif "pronoun" in routes:
        score -= 0.15
    elif "governing" in routes or "agent" in routes:
        score -= 0.1
    if is_unresolved(source.actor) or is_unresolved(target.actor):
        score -= 0.2
    return round(max(score, 0.05), 2)


def _confidence_for_demand(source: Side, target: Side) -> float:
    score = 0.6 - (0.2 if is_unresolved(source.actor) or is_unresolved(target.actor) else 0.0)
    return round(score - (0.1 if "pronoun" in f"{source.route} {target.route}" else 0.0), 2)


def _unique(sides: list[Side]) -> list[Side]:
    seen: set[str] = set()
    unique = []
    for side in sides:
        if side.actor not in seen:
            seen.add(side.actor)
            unique.append(side)
    return unique
