"""Standing facts: a sentence that says a relation or status holds, not that it changed.

"Russia still lists the Taliban as a terrorist organisation", "the Taliban,
which is still banned by Moscow", "(officially designated as terrorists by
Moscow)", "the movement remains on Russia's list", "Russia has not yet removed
the Taliban from its list": each observes a state on the day it is written.
The event coder codes them as it codes acts (the gold does too: 172, 054...);
this stage keeps every event and marks these ``standing``, so that a series
counts only acts while the status layer still reads the observations.

What makes a clause a standing fact, read off the parse around the trigger:

- a continuative cue: an adverb ("still", "has long been"), a verb that
  carries the state on ("remains banned", "continues to regard X as", "stayed
  on the list", "have kept its embassy open"), "to this day" / "to date";
  not in a simple past with a date of its own ("kept its embassy open after
  the takeover in August 2021" dates a decision);
- a negated change in the present or the perfect ("has not yet removed",
  "does not recognise"): the state holds;
- a present stative form of a status: a present passive ("is banned", "are
  designated"), a participle qualifying a name ("X (outlawed in Y)", "X,
  designated by Y"), a present simple ("X, which Y lists as terrorist"); only
  in body text (a headline's present tells an act), and only when the event
  has no date expression of its own ("designated in 2003" is an act).

A perfective past ("Russia designated", "placed on the list in February
2003", "suspended the ban") is an act. Precision first: a continuative cue
makes a standing fact of a status or of ties only (``continue to strike`` is
a series of acts), a stative form of a status only.

A designation row is standing when its event is, or, read by a stative
pattern with no event and no date of its own (``pattern:on-list``,
``pattern:passive-*``), when the pattern's verb is a standing clause.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dyadlens.model import Designation, Event, Sentence
from dyadlens.nlp.designations import load_designation_patterns
from dyadlens.nlp.offsets import span_root

if TYPE_CHECKING:
    from dyadlens.nlp.lexicon import StandingWords
    from dyadlens.resources import Resources
    from dyadlens.state import DocState

#: Date rules (``Event.date_rule``) of a date expression the event has of its own: the act happened then.
OWN_DATE_RULES = ("explicit", "relative", "range")
#: The designation extractor's rules of a status statement with no event, and the prefix of its
#: passive ones (``pattern:passive-ban``: the verb's lemma follows).
ON_LIST_RULE = "pattern:on-list"
PASSIVE_RULE = "pattern:passive-"

_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_VERBAL_POS = frozenset({"VERB", "AUX"})
#: Labels of a verb complement whose governing verb may carry the state on ("remains banned").
_COMPLEMENT_DEPS = frozenset({"xcomp", "acomp", "oprd", "ccomp"})
#: Labels of a participle that qualifies a name ("X (outlawed in Y)", "X, designated by Y").
_QUALIFIER_DEPS = frozenset({"acl", "amod", "appos", "parataxis"})
_ADVERBIAL_DEPS = frozenset({"advmod", "npadvmod"})


class StandingFacts:
    """Stage ``standing``: marks the events and designation rows that observe a standing state."""

    name = "standing"
    version = "1"

    def __init__(self, words: StandingWords, list_nouns: frozenset[str]) -> None:
        self.clauses = StandingClauses(words)
        self.words = words
        self.list_nouns = list_nouns

    def __call__(self, state: DocState) -> None:
        if state.doc is None:
            return
        sentences = {s.index: s for s in state.sentences}
        state.events = [
            replace(e, standing=True) if self._standing_event(state, e, sentences) else e for e in state.events
        ]
        standing_ids = {e.id for e in state.events if e.standing}
        event_ids = {e.id for e in state.events}
        state.designations = [
            replace(d, standing=True) if self._standing_designation(state, d, event_ids, standing_ids) else d
            for d in state.designations
        ]

    def _standing_event(self, state: DocState, event: Event, sentences: dict[int, Sentence]) -> bool:
        trigger = span_root(state.doc, event.trigger_start, event.trigger_end)
        sentence = sentences.get(event.sentence_index)
        if trigger is None or sentence is None:
            return False
        clause = clause_verb(trigger)
        if clause is None:
            return False
        if event.modality == "negated":
            return _has_code(event.code, self.words.status_codes) and self.clauses.unchanged(clause)
        if event.modality != "asserted":
            return False
        own_date = (event.date_rule or "").startswith(OWN_DATE_RULES)
        if self.clauses.continuative(clause):
            held = not (own_date and _past(coordination_head(clause)))
            return held and _has_code(event.code, self.words.status_codes | self.words.relation_codes)
        return (
            _has_code(event.code, self.words.status_codes)
            and clause is trigger
            and sentence.kind == "body"
            and not own_date
            and self.clauses.stative(clause)
        )

    def _standing_designation(
        self, state: DocState, row: Designation, event_ids: set[str], standing_ids: set[str]
    ) -> bool:
        if row.event_id is not None and row.event_id in event_ids:
            return row.event_id in standing_ids
        if row.date is not None:
            return False
        return any(self.clauses.continuative(v) or self.clauses.stative(v) for v in self._pattern_verbs(state, row))

    def _pattern_verbs(self, state: DocState, row: Designation) -> Iterator[Any]:
        """The verbs of the row's sentence that its stative pattern can have read."""
        span = state.doc.char_span(row.start, row.end, alignment_mode="expand")
        tokens = list(span) if span is not None else []
        if row.rule == ON_LIST_RULE:
            yield from (t for t in tokens if t.pos_ in _VERBAL_POS and self._on_list(t))
        elif row.rule.startswith(PASSIVE_RULE):
            lemma = row.rule.removeprefix(PASSIVE_RULE)
            yield from (t for t in tokens if t.tag_ == "VBN" and t.lemma_.lower() == lemma)

    def _on_list(self, verb: Any) -> bool:
        """"remains on Y's list": the verb has "on" a list noun."""
        return any(
            c.dep_ == "prep" and c.lower_ == "on" and any(o.lemma_.lower() in self.list_nouns for o in c.children)
            for c in verb.children
        )


class StandingClauses:
    """Whether a clause, given by its verb, states that something holds."""

    def __init__(self, words: StandingWords) -> None:
        self.words = words

    def continuative(self, verb: Any) -> bool:
        """"still lists", "has long been", "remains banned", "continues to regard", "to this day"."""
        head = coordination_head(verb)
        if head.lemma_.lower() in self.words.continuative_verbs:
            return True
        governor = head.head
        if head.dep_ in _COMPLEMENT_DEPS and governor.lemma_.lower() in self.words.continuative_verbs:
            return True
        return any(self._continuative_modifier(c) for c in verb.children)

    def unchanged(self, verb: Any) -> bool:
        """A negated change in the present or the perfect ("has not yet removed", "does not
        recognise"): the state holds. A simple past ("did not recognise") is left alone."""
        return not _past(coordination_head(verb))

    def stative(self, verb: Any) -> bool:
        """A present passive ("is banned"), a participle qualifying a name ("X (outlawed in Y)")
        or a present simple ("which Y lists as terrorist")."""
        head = coordination_head(verb)
        auxiliaries = _auxiliaries(head)
        if verb.tag_ == "VBN":
            if not auxiliaries:
                return head.dep_ in _QUALIFIER_DEPS
            passive = [a for a in auxiliaries if a.dep_ == "auxpass"]
            perfect = any(a.lemma_.lower() == "have" for a in auxiliaries)
            return bool(passive) and not perfect and all(a.tag_ in _PRESENT_TAGS for a in passive)
        return verb.tag_ in _PRESENT_TAGS and not auxiliaries

    def _continuative_modifier(self, child: Any) -> bool:
        if child.dep_ in _ADVERBIAL_DEPS and child.lemma_.lower() in self.words.continuative_adverbs:
            return True
        return child.dep_ == "prep" and child.lower_ in self.words.until_preps and any(
            o.lemma_.lower() in self.words.present_nouns for o in child.children
        )


def clause_verb(trigger: Any) -> Any:
    """The verb of the trigger's clause: the trigger itself, or the nearest verb above a nominal
    trigger ("the ban remains in force"); ``None`` when there is none."""
    if trigger.pos_ in _VERBAL_POS:
        return trigger
    return next((a for a in trigger.ancestors if a.pos_ in _VERBAL_POS), None)


def coordination_head(verb: Any) -> Any:
    """The first verb of a coordination of predicates ("was banned and designated": "banned"),
    which holds the auxiliaries they share; a conjunct with a subject or an auxiliary of its own
    is a clause of its own ("they say ..., and they have kept ...", "accepted ... but has stopped")."""
    while verb.dep_ == "conj" and verb.head.pos_ in _VERBAL_POS and not _own_clause(verb):
        verb = verb.head
    return verb


def _own_clause(verb: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass") for c in verb.children)


def _auxiliaries(verb: Any) -> list[Any]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _past(verb: Any) -> bool:
    """A simple past: the verb or its auxiliary in the past tense ("designated", "was", "did")."""
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in _auxiliaries(verb))


def _has_code(code: str, prefixes: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def standing_stage(resources: Resources, **options: Any) -> StandingFacts:
    """The stage with the lexicon's cues and the designation patterns' list nouns."""
    return StandingFacts(resources.lexicon.standing, load_designation_patterns().list_nouns, **options)
