"""The ``actors`` component: find who each analysed sentence names.

Four passes over the document, each adding mentions where the earlier ones
left the text uncovered:

1. KB aliases (:mod:`dyadlens.nlp.actor_matching`), read in context
   (:mod:`dyadlens.nlp.actor_context`): capitals as places or as the
   government of the day, demonyms and agent nouns, people acting for the
   actor they served on the document date;
2. misspelled names (:mod:`dyadlens.nlp.actor_fuzzy`);
3. institutions by their names and persons through their titles
   (:mod:`dyadlens.nlp.actor_titles`), the persons kept in ``DocState.persons``;
4. nominal and pronoun coreference (:mod:`dyadlens.nlp.actor_coref`), each
   anaphor also linked to its antecedent in ``DocState.coref``; plural anaphors
   ("the two countries", "each other", "they", "the two Koreas") resolved to a set, one
   mention per member (rule ``coref:plural``), widened to the actors of the sentences
   before when no group fits (option ``set_context``);
5. spaCy NER names the KB does not know, kept as ``unresolved:<slug>``
   actors (:mod:`dyadlens.nlp.actor_unresolved`).

Every mention keeps its document offsets and the rule that resolved it. Passes 3 and 4
can be switched off for ablations (options ``institutions``, ``titled_persons``,
``nominal_coref``, ``plural_sets``, ``set_context`` of the ``actors`` stage in ``pipeline.toml``).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS

from dyadlens.kb.aliases import Token
from dyadlens.kb.entities import KbEntity
from dyadlens.kb.knowledge_base import AliasEntry, KnowledgeBase
from dyadlens.model import ActorRef, Mention, Person, Sentence, stable_id, unresolved_id
from dyadlens.nlp.actor_context import AgentIndex, capital_role, is_geographic_name
from dyadlens.nlp.actor_coref import (
    LOOKBACK_SENTENCES,
    OWN_STATE,
    PLURAL_RULE,
    SET_WINDOW_SENTENCES,
    ActorGroup,
    Antecedent,
    CorefLink,
    SetAnaphor,
    SetMember,
    actor_groups,
    any_fitting,
    exclude_actors,
    find_anaphors,
    find_name_plurals,
    find_set_anaphors,
    find_subject_pronouns,
    governing_subjects,
    is_main_clause_subject,
    resolve_anaphor,
    resolve_in_context,
    resolve_pronoun,
    resolve_set,
    speaks,
    states_by_name_word,
)
from dyadlens.nlp.actor_fuzzy import FuzzyNames
from dyadlens.nlp.actor_matching import AliasMatch, AliasMatcher
from dyadlens.nlp.actor_titles import OfficeMatch, Owned, affiliation, institutions, surname, titled_persons
from dyadlens.nlp.actor_unresolved import unresolved_names
from dyadlens.nlp.offsets import entities, span_root, tokens_starting_in
from dyadlens.nlp.span_index import SpanIndex
from dyadlens.state import DocState, by_sentence

if TYPE_CHECKING:
    from dyadlens.nlp.quote_marks import QuotedSpan
    from dyadlens.resources import Resources

#: Actors whose names may close a longer name ("Bank of China", "President of Russia")
#: and still refer to them; other aliases after "<Capitalised> of" are part of
#: another name ("Ministry of Foreign Affairs" is not the magazine).
NAMED_INSIDE_TYPES = frozenset({"state", "government", "region_group", "person"})
#: When one alias stands for several actors, the kind of alias that wins.
KIND_PRIORITY = {"name": 0, "alias": 0, "government": 1, "metonym": 2, "demonym": 3, "capital": 4}


@dataclass(frozen=True, slots=True)
class Found:
    """A mention before it becomes a :class:`Mention` (document offsets)."""

    start: int
    end: int
    sentence_index: int
    actor_id: str | None
    label: str
    rule: str
    person: str | None = None
    #: where the mention a coreference mention refers to starts
    antecedent: int | None = None
    #: CAMEO sector codes of the office or institution that named the actor
    sectors: str | None = None


@dataclass(slots=True)
class SetContext:
    """What the plural anaphors of a sentence may take from the sentences before it."""

    previous_groups: list[ActorGroup] = field(default_factory=list)
    #: the set members named in each recent sentence, the latest first
    recent: list[list[SetMember]] = field(default_factory=list)
    #: the sets resolved so far in the document, in text order
    sets: list[tuple[SetMember, ...]] = field(default_factory=list)

    def next_sentence(self, groups: list[ActorGroup], members: list[SetMember]) -> None:
        self.previous_groups = groups
        self.recent = [members, *self.recent][:SET_WINDOW_SENTENCES]

    def windows(self) -> list[list[SetMember]]:
        """The members of the sentence before, then of the sentences before back to the window's size."""
        return [[m for sentence in self.recent[:n] for m in sentence] for n in range(1, len(self.recent) + 1)]


@dataclass(slots=True)
class SentenceView:
    """One analysed sentence with what the passes need from it."""

    sentence: Sentence
    text: str
    #: the sentence's parse (a span of the document's ``Doc``), or None; the helpers below that
    #: take it with ``start``/``end`` take offsets into ``text``, relative to the sentence
    doc: Any
    tokens: list[Token]
    matches: list[AliasMatch]


class ActorResolver:
    name = "actors"
    version = "1"

    def __init__(
        self,
        resources: Resources,
        nominal_coref: bool = True,
        titled_persons: bool = True,
        institutions: bool = True,
        plural_sets: bool = True,
        set_context: bool = True,
    ) -> None:
        self.use_nominal_coref = nominal_coref
        self.use_plural_sets = plural_sets
        self.use_set_context = set_context
        self.use_titled_persons = titled_persons
        self.use_institutions = institutions
        self.kb: KnowledgeBase = resources.kb
        self.lexicon = resources.lexicon
        self.matcher = AliasMatcher(self.kb)
        self.agents = AgentIndex(self.kb.agents)
        self.is_known_word = known_word_test(resources.nlp)
        self.fuzzy = FuzzyNames(self.kb, self.is_known_word)
        self.states_named = states_by_name_word(
            (e.id, name) for e in self.kb.entities() if e.type == "state" for name in (e.name, *e.aliases)
        )

    def __call__(self, state: DocState) -> None:
        date = state.document.published
        views = [self._view(state, s) for s in state.analysed_sentences()]
        found = [f for view in views for f in self._alias_mentions(view, date)]
        mentioned = {f.actor_id for f in found if f.actor_id}
        names = person_name_words(views)
        covered = spans_by_sentence(found)
        for view in views:
            found += self._fuzzy_mentions(view, date, covered[view.sentence.index], mentioned, names)
        if self.use_institutions:
            found = self._institution_mentions(views, found, date)
        if self.use_titled_persons:
            found += self._titled_person_mentions(state, views, found, date)
        if self.use_nominal_coref:
            found += self._coref_mentions(views, found)
        if self.use_plural_sets:
            found = self._with_set_mentions(views, found)
        covered = spans_by_sentence(found)
        unresolved = [u for view in views for u in self._unresolved_mentions(view, covered[view.sentence.index])]
        found += self._pronoun_mentions(views, found, unresolved, SpanIndex(state.quote_spans))
        self._emit(state, sorted(found, key=lambda f: f.start), unresolved)

    def _view(self, state: DocState, sentence: Sentence) -> SentenceView:
        text = state.sentence_text(sentence)
        tokens, matches = self.matcher.find(text)
        return SentenceView(sentence, text, state.sentence_span(sentence.index), tokens, matches)

    # --- pass 1: aliases in context ---------------------------------------------

    def _alias_mentions(self, view: SentenceView, date: str | None) -> list[Found]:
        found = []
        for match in view.matches:
            entry = choose_entry(self.kb, match.entries, date)
            mention = self._resolve(view, match, entry, date) if entry else self._ambiguous(view, match)
            if mention is not None:
                found.append(mention)
        return drop_nested(found)

    def _common_word_name(self, entry: AliasEntry) -> bool:
        """An outlet named by one ordinary word ("Dawn", "the Republic"): a name only where reporting is."""
        words = [w for w in entry.tokens if w.casefold() != "the"]
        return len(words) == 1 and self.is_known_word(words[0].casefold())

    def _ambiguous(self, view: SentenceView, match: AliasMatch) -> Found:
        """An alias several actors share and nothing decides: kept, with no actor, so NER does not list it."""
        start, end = view.sentence.start + match.start, view.sentence.start + match.end
        return Found(
            start, end, view.sentence.index, None, ner_label(view.doc, match.start, match.end), "ambiguous-alias"
        )

    def _resolve(self, view: SentenceView, match: AliasMatch, entry: AliasEntry, date: str | None) -> Found | None:
        entity = self.kb.get(entry.entity_id)
        if entity is None or self._part_of_something_else(view, match, entry, entity):
            return None
        base = Found(
            view.sentence.start + match.start,
            view.sentence.start + match.end,
            view.sentence.index,
            entity.id,
            ner_label(view.doc, match.start, match.end),
            entry.kind,
        )
        if entity.type == "person":
            actor, rule = self._person_actor(entity.id, date)
            return replace(base, person=entity.id, actor_id=actor, rule=rule)
        if entry.kind == "government":
            return replace(base, actor_id=self.kb.government_of(entity.id, date), rule="government@date")
        if entry.kind in ("capital", "metonym"):
            return self._capital_or_metonym(view, match, base, entry, entity, date)
        return self._name_or_demonym(view, match, base, entry, entity, date)

    def _part_of_something_else(
        self, view: SentenceView, match: AliasMatch, entry: AliasEntry, entity: KbEntity
    ) -> bool:
        """The alias is part of a person's name, of a longer name, or an ordinary word outside reporting."""
        if entity.type != "person" and inside_longer_person_name(view.doc, match.start, match.end):
            return True
        if entity.type not in NAMED_INSIDE_TYPES and continues_a_name(view.tokens, match.first):
            return True
        if entity.type != "media" or not self._common_word_name(entry):
            return False
        return not reporting_context(view, self.lexicon.speech.reporting_context_words)

    def _person_actor(self, person_id: str, date: str | None) -> tuple[str | None, str]:
        """The actor of the office held on the date, else of the last one left before it, and the rule."""
        actor = self.kb.acting_for(person_id, date)
        if actor is not None:
            return actor, "role@date"
        former = self.kb.former_actor(person_id, date)
        if former is not None:
            return former, "former-role@date"
        return None, "person-without-role"

    def _capital_or_metonym(
        self, view: SentenceView, match: AliasMatch, base: Found, entry: AliasEntry, entity: KbEntity, date: str | None
    ) -> Found:
        """A place (the state), part of another name (nothing: capitals only) or acting (the government)."""
        role = capital_role(view.doc, match.start, match.end, self.lexicon.actors)
        if role == "place":
            return replace(base, rule=f"{entry.kind}-place")
        if role == "modifier" and entry.kind == "capital":
            return replace(base, actor_id=None, rule="capital-in-name")
        rule = "capital-metonym@date" if entry.kind == "capital" else "metonym"
        return replace(base, actor_id=self.kb.government_of(entity.id, date), rule=rule)

    def _name_or_demonym(
        self, view: SentenceView, match: AliasMatch, base: Found, entry: AliasEntry, entity: KbEntity, date: str | None
    ) -> Found | None:
        if entity.type == "state":
            with_agent = self._with_agent(view, match, base, entry, entity, date)
            if with_agent is not None:
                return with_agent
        if entry.kind == "demonym" and is_geographic_name(view.tokens, match.last, self.lexicon.actors):
            return replace(base, actor_id=None, rule="demonym-in-place-name")
        return base

    def _with_agent(
        self, view: SentenceView, match: AliasMatch, base: Found, entry: AliasEntry, entity: KbEntity, date: str | None
    ) -> Found | None:
        """The state's name with an agent noun after ("Afghan officials") or before ("the government of Pakistan")."""
        after = self.agents.match_after(view.tokens, match.last, after_name=entry.kind != "demonym")
        before = None if after or entry.kind == "demonym" else self.agents.match_before(view.tokens, match.first)
        agent = after or before
        if agent is None:
            return None
        term = agent[0]
        start = view.sentence.start + view.tokens[before[1]].start if before else base.start
        end = view.sentence.start + view.tokens[after[1]].end if after else base.end
        actor = self.kb.government_of(entity.id, date) if term.acts_as == "government" else entity.id
        return replace(base, start=start, end=end, actor_id=actor, rule=f"{entry.kind}+agent@date")

    # --- pass 2: misspellings ------------------------------------------------------

    def _fuzzy_mentions(
        self,
        view: SentenceView,
        date: str | None,
        covered: Sequence[tuple[int, int]],
        mentioned: set[str],
        person_words: set[str],
    ) -> list[Found]:
        """Misspelled names outside ``covered``, the spans of the sentence's mentions so far."""
        result = []
        for i, token in enumerate(view.tokens):
            if not self.fuzzy.may_be_misspelled(token.text):  # the cheapest test first
                continue
            absolute = view.sentence.start + token.start
            if not token.is_word or _inside(absolute, covered) or not _stands_alone(view.tokens, i):
                continue
            if token.text in person_words:
                continue
            entries = self._fuzzy_entries(view, token, mentioned)
            if not entries:
                continue
            match = AliasMatch(i, i, token.start, token.end, entries)
            mention = self._resolve(view, match, entries[0], date)
            if mention is not None:
                result.append(replace(mention, rule=f"fuzzy:{mention.rule}"))
        return result

    def _fuzzy_entries(self, view: SentenceView, token: Token, mentioned: set[str]) -> tuple[AliasEntry, ...]:
        """Near names, unless NER calls the word a person and the near name is none."""
        entries = self.fuzzy.candidates(token.text, mentioned)
        if not entries or ner_label(view.doc, token.start, token.end) != "PERSON":
            return entries
        entity = self.kb.get(entries[0].entity_id)
        return entries if entity is not None and entity.type == "person" else ()

    # --- pass 3: institutions and titled persons ------------------------------------

    def _owners(self, found: Iterable[Found]) -> list[Owned]:
        """The mentions that can own an office: resolved actors that are no person."""
        owners = []
        for f in found:
            entity = self.kb.get(f.actor_id) if f.actor_id and f.person is None else None
            if entity is not None and entity.type != "person":
                owners.append(Owned(f.start, f.end, entity.id, f.rule))
        return owners

    def _institution_mentions(self, views: Sequence[SentenceView], found: list[Found], date: str | None) -> list[Found]:
        """``found`` with each institution named with its owner made one mention (the owner's absorbed)."""
        in_sentence = by_sentence(found)
        absorbed: set[int] = set()
        added: list[Found] = []
        last_owner: dict[tuple[str, ...], str] = {}
        previous: list[Owned] = []
        for view in views:
            owners = self._owners(in_sentence.get(view.sentence.index, []))
            if view.doc is not None:
                for match in institutions(view.doc, owners, self.kb):
                    mention = self._institution(view, match, owners, previous, last_owner, date)
                    if mention is not None:
                        added.append(mention)
                        absorbed.update(o.start for o in owners if o.start == match.owner_start)
            previous = owners or previous
        return [f for f in found if f.start not in absorbed] + added

    def _institution(
        self,
        view: SentenceView,
        match: OfficeMatch,
        owners: Sequence[Owned],
        previous: Sequence[Owned],
        last_owner: dict[tuple[str, ...], str],
        date: str | None,
    ) -> Found | None:
        """The mention of one institution: its owner's actor, an earlier namesake's, or none."""
        doc = view.doc.doc
        start, end = doc[match.first].idx, doc[match.last].idx + len(doc[match.last].text)
        base = Found(start, end, view.sentence.index, None, "ORG", match.rule, sectors=match.office.sectors)
        owner = next((o for o in owners if o.start == match.owner_start), None)
        if owner is not None:
            base = replace(base, start=min(start, owner.start), end=max(end, owner.end))
        elif match.rule == "institution:possessive":
            owner = only_state(self.kb, [o for o in owners if o.end <= start]) or only_state(self.kb, previous)
            base = replace(base, rule="coref:possessive", antecedent=owner.start if owner else None)
        if owner is not None:
            actor = affiliation(self.kb, owner, match.office, date)
            if actor is not None:
                last_owner[match.office.words] = actor
            at_date = "@date" if match.office.acts_as == "government" else ""
            rule = base.rule if base.rule.startswith("coref") else f"institution{at_date}"
            return replace(base, actor_id=actor, rule=rule)
        if match.office.words in last_owner:
            return replace(base, actor_id=last_owner[match.office.words], rule="coref:institution")
        return replace(base, rule="institution-unowned") if doc[match.first].text[:1].isupper() else None

    def _titled_person_mentions(
        self, state: DocState, views: Sequence[SentenceView], found: Sequence[Found], date: str | None
    ) -> list[Found]:
        """Persons the KB does not know, through the office their title names; then their surnames."""
        in_sentence = by_sentence(found)
        result: list[Found] = []
        by_surname: dict[str, Found | None] = {}
        for view in views:
            if view.doc is None:
                continue
            own = in_sentence.get(view.sentence.index, [])
            taken = [(f.start, f.end) for f in own]
            owners = self._owners(own)
            for ent, match in titled_persons(view.doc, owners, self.kb, taken):
                mention = self._titled_person(state, view, ent, match, owners, date)
                if mention is None:
                    continue
                result.append(mention)
                key = surname(state.text[mention.start : mention.end])
                prior = by_surname.get(key, mention)
                by_surname[key] = mention if prior is not None and prior.actor_id == mention.actor_id else None
            taken += [(f.start, f.end) for f in result if f.sentence_index == view.sentence.index]
            result += surname_mentions(view, taken, by_surname)
        return result

    def _titled_person(
        self, state: DocState, view: SentenceView, ent: Any, match: OfficeMatch, owners: Sequence[Owned],
        date: str | None,
    ) -> Found | None:
        """The mention of a titled person's name, the person kept as a :class:`Person` record."""
        owner = next(o for o in owners if o.start == match.owner_start)
        actor = affiliation(self.kb, owner, match.office, date)
        if actor is None:
            return None
        name = ent.text.removesuffix("'s")
        start, end = ent.start_char, ent.start_char + len(name)
        office = view.doc.doc[match.first : match.last + 1].text
        state.persons.append(
            Person(
                id=stable_id(state.document.id, start, end, self.version, "person"),
                doc_id=state.document.id, start=start, end=end, sentence_index=view.sentence.index, name=name,
                affiliation=actor, office=office, sectors=match.office.sectors, date=date, rule=match.rule,
            )
        )
        return Found(
            start, end, view.sentence.index, actor, "PERSON", match.rule, unresolved_id(name),
            sectors=match.office.sectors,
        )

    # --- pass 4: coreference ---------------------------------------------------------

    def _coref_mentions(self, views: Sequence[SentenceView], found: Sequence[Found]) -> list[Found]:
        docs = {view.sentence.index: (view.sentence.start, view.doc) for view in views}
        antecedents = sorted((a for a in (self._antecedent(f, docs) for f in found) if a), key=lambda a: a.offset)
        covered = SpanIndex(found)
        result = []
        for view in views:
            if view.doc is None:
                continue
            for anaphor in find_anaphors(view.doc, self.lexicon):
                start, end = anaphor.start, anaphor.end
                if covered.overlaps_any(start, end):
                    continue
                earlier = lookback(antecedents, view.sentence.index, start)
                target = resolve_anaphor(anaphor, view.sentence.index, start, earlier, self.lexicon)
                if target is None:
                    continue
                if anaphor.noun == OWN_STATE:  # "his country": the state, not the person
                    state = self._state_of(target.actor_id)
                    if state is not None:
                        result.append(Found(start, end, view.sentence.index, state, "COREF", "coref:own-state",
                                            None, target.offset))
                    continue
                result.append(
                    Found(
                        start, end, view.sentence.index, target.actor_id, "COREF", "coref:recency", target.person,
                        target.offset,
                    )
                )
        return result

    def _state_of(self, actor_id: str) -> str | None:
        """The state an actor is or governs (a government's country); None for any other actor."""
        entity = self.kb.get(actor_id)
        if entity is not None and entity.type == "government":
            entity = self.kb.get(entity.country) if entity.country else None
        return entity.id if entity is not None and entity.type == "state" else None

    def _with_set_mentions(self, views: Sequence[SentenceView], found: Sequence[Found]) -> list[Found]:
        """``found`` with the plural anaphors resolved to sets of actors: one mention per member, on
        the anaphor's span (rule ``coref:plural``). A resolved set is a group for the anaphors after
        it. A name plural ("the two Koreas") replaces a misspelling match inside it."""
        plurals = {v.sentence.index: find_name_plurals(v.doc, self.lexicon, self.states_named) for v in views if v.doc}
        spans = [(a.start, a.end) for found_plurals in plurals.values() for a, _ in found_plurals]
        kept = [f for f in found if not (f.rule.startswith("fuzzy") and _overlaps(f.start, f.end, spans))]
        covered = SpanIndex(kept)
        in_sentence = by_sentence(f for f in kept if f.actor_id in self.kb)
        context = SetContext()
        result: list[Found] = []
        for view in views:
            if view.doc is None:
                context.next_sentence([], [])
                continue
            own = sorted(in_sentence.get(view.sentence.index, []), key=lambda f: f.start)
            member_at = self._members_at(view.doc, own)
            groups = actor_groups(view.doc, member_at)
            anaphors: list[tuple[SetAnaphor, tuple[str, ...] | None]] = [
                (a, None) for a in find_set_anaphors(view.doc, self.lexicon)
            ]
            anaphors += plurals.get(view.sentence.index, [])
            here = [m for f in own if not f.rule.endswith("-place") for m in self._members_at(view.doc, [f]).values()]
            for anaphor, named in sorted(anaphors, key=lambda a: a[0].start):
                if covered.overlaps_any(anaphor.start, anaphor.end):
                    continue
                if anaphor.pronoun and not anaphor.reciprocal and any(f.start < anaphor.start for f in own):
                    continue  # "Russia said they ...": a pronoun after a named actor is not read as a set
                members = self._named_set(anaphor, named) if named else self._resolved_set(
                    view, anaphor, groups, member_at, context
                )
                if members is None:
                    continue
                result += [
                    Found(anaphor.start, anaphor.end, view.sentence.index, m.actor_id, "COREF", PLURAL_RULE,
                          m.person, m.offset)
                    for m in members
                ]
                last = view.doc.doc.char_span(anaphor.start, anaphor.end, alignment_mode="expand")[-1]
                resolved = ActorGroup(members, last.i, True, is_main_clause_subject(last))
                groups = sorted([*groups, resolved], key=lambda g: g.last_i)
                here += members
                context.sets.append(members)
            context.next_sentence(groups, here)
        return kept + result

    def _named_set(self, anaphor: SetAnaphor, states: tuple[str, ...]) -> tuple[SetMember, ...]:
        return tuple(SetMember(anaphor.start, s, frozenset({"any", "state"})) for s in states)

    def _resolved_set(
        self, view: SentenceView, anaphor: SetAnaphor, groups: Sequence[ActorGroup], member_at: dict[int, SetMember],
        context: SetContext,
    ) -> tuple[SetMember, ...] | None:
        """The set of one anaphor: a group of its sentence (before it) or of the sentence before; with
        none that fits, the widened rule (option ``set_context``). The subjects of the anaphor's own
        verb are never its members ("A and B urged the two sides ..."), unless it is a reciprocal
        ("A and B accused each other")."""
        phrase = view.doc.doc.char_span(anaphor.start, anaphor.end, alignment_mode="expand")
        subjects = [] if anaphor.reciprocal else governing_subjects(phrase.root)
        excluded = frozenset(member_at[t.i].actor_id for t in subjects if t.i in member_at)
        before = exclude_actors([g for g in groups if view.doc.doc[g.last_i].idx < anaphor.start], excluded)
        previous = exclude_actors(context.previous_groups, excluded)
        if not self.use_set_context or any_fitting(anaphor, [*before, *previous]):
            return resolve_set(anaphor, before, previous)
        return resolve_in_context(anaphor, context.windows(), context.sets, excluded)

    def _members_at(self, span: Any, mentions: Sequence[Found]) -> dict[int, SetMember]:
        """Each token of a resolved mention of the sentence, as a possible set member."""
        member_at: dict[int, SetMember] = {}
        for mention in mentions:
            actor = self.kb.get(mention.actor_id) if mention.actor_id else None
            if actor is None:
                continue
            kinds = {"any", actor.type} | ({"person"} if mention.person else set())
            member = SetMember(mention.start, actor.id, frozenset(kinds), mention.person)
            for i in tokens_starting_in(span, mention.start, mention.end):
                member_at.setdefault(i, member)
        return member_at

    def _pronoun_mentions(
        self,
        views: Sequence[SentenceView],
        found: Sequence[Found],
        unresolved: Sequence[tuple[Found, ActorRef]],
        quotes: SpanIndex[QuotedSpan],
    ) -> list[Found]:
        """Subject pronouns opening a clause with no actor named before them in their sentence,
        resolved against the preceding sentence (whose own resolved pronouns count, in order).
        Names the KB does not know compete as antecedents but are never the answer; inside a
        quotation (``quotes``) the quote's speaker is none either."""
        docs = {view.sentence.index: (view.sentence.start, view.doc) for view in views}
        types = {ref.id: ref.type for _, ref in unresolved}
        in_sentence = by_sentence([*found, *(f for f, _ in unresolved)])
        result: list[Found] = []
        previous: list[Antecedent] = []
        for view in views:
            own = sorted(in_sentence.get(view.sentence.index, []), key=lambda f: f.start)
            resolved: list[Found] = []
            if view.doc is not None:
                for pronoun in find_subject_pronouns(view.doc, self.lexicon.actors.expletive_heads):
                    start, end = pronoun.start, pronoun.end
                    if any(f.actor_id and f.start < end for f in own + resolved):
                        continue
                    target = resolve_pronoun(pronoun, previous, quoted=quotes.contains(start))
                    if target is not None and target.actor_id in self.kb:
                        resolved.append(
                            Found(
                                start, end, view.sentence.index, target.actor_id, "PRONOUN", "coref:pronoun",
                                target.person, target.offset,
                            )
                        )
            result += resolved
            mentions = sorted(own + resolved, key=lambda f: f.start)
            previous = [a for a in (self._antecedent(f, docs, types) for f in mentions) if a]
        return result

    def _antecedent(
        self, found: Found, docs: dict[int, tuple[int, Any]], unresolved_types: dict[str, str] | None = None
    ) -> Antecedent | None:
        """The mention as coreference sees it; a name the KB does not know only with its NER type."""
        start, doc = docs.get(found.sentence_index, (0, None))
        core = is_core_argument(doc, found.start - start, found.end - start)
        main = is_main_subject(doc, found.start - start, found.end - start)
        speaker = is_speaker(doc, found.start - start, found.end - start, self.lexicon.speech.attribution_verbs)
        actor = self.kb.get(found.actor_id) if found.actor_id else None
        if actor is None:
            kind = (unresolved_types or {}).get(found.actor_id or "")
            if kind is None:
                return None
            unknown_person = found.actor_id if kind == "person" else None
            return Antecedent(
                found.start, found.sentence_index, found.actor_id or "", kind, unknown_person, "", core, main, speaker
            )
        person = self.kb.get(found.person) if found.person else None
        roles = " ".join(r.role.lower() for r in person.roles) if person else ""
        return Antecedent(
            found.start, found.sentence_index, actor.id, actor.type, found.person, roles, core, main, speaker
        )

    # --- pass 5: unknown names -----------------------------------------------------------

    def _unresolved_mentions(
        self, view: SentenceView, covered: Sequence[tuple[int, int]]
    ) -> list[tuple[Found, ActorRef]]:
        """NER names outside ``covered``, the spans of the sentence's mentions so far."""
        if view.doc is None:
            return []
        offset = view.sentence.start
        result = []
        for name in unresolved_names(view.doc, view.text, self.lexicon.actors.date_words):
            if _overlaps(offset + name.start, offset + name.end, covered):
                continue
            ref = ActorRef(id=name.actor_id, name=name.name, type=name.actor_type, resolved=False)
            mention = Found(
                offset + name.start, offset + name.end, view.sentence.index, ref.id, name.label, "ner-unresolved"
            )
            result.append((mention, ref))
        return result

    # --- output ----------------------------------------------------------------------------

    def _emit(self, state: DocState, found: Iterable[Found], unresolved: Iterable[tuple[Found, ActorRef]]) -> None:
        for mention in found:
            state.mentions.append(self._mention(state.document.id, mention))
            if mention.actor_id and mention.actor_id in self.kb:
                state.add_actor(self.kb.ref(mention.actor_id))
            if mention.antecedent is not None and mention.actor_id and mention.rule != PLURAL_RULE:
                link = CorefLink(mention.start, mention.end, mention.antecedent, mention.actor_id, mention.person)
                state.coref.append(link)
        for mention, ref in unresolved:
            state.mentions.append(self._mention(state.document.id, mention))
            state.add_actor(ref)
        state.mentions.sort(key=lambda m: (m.start, m.end))

    def _mention(self, doc_id: str, found: Found) -> Mention:
        return Mention(
            id=stable_id(doc_id, found.start, found.end, self.version, "mention", *self._member_part(found)),
            doc_id=doc_id,
            start=found.start,
            end=found.end,
            sentence_index=found.sentence_index,
            actor_id=found.actor_id,
            label=found.label,
            rule=found.rule,
            person=found.person,
            sectors=found.sectors,
        )


    @staticmethod
    def _member_part(found: Found) -> tuple[str, ...]:
        """A set's members share one span: the member tells their ids apart."""
        return (found.actor_id or "",) if found.rule == PLURAL_RULE else ()


def choose_entry(kb: KnowledgeBase, entries: Sequence[AliasEntry], date: str | None) -> AliasEntry | None:
    """The entry a shared alias stands for; None if the actors still tie.

    An actor from a later-given KB file wins over the shipped KB and earlier
    files (``AliasEntry.layer``). Then the kind of alias decides (a name beats
    a demonym or capital), then validity on the document date, then, among
    people, holding an office on that date ("Bush" in 2003 is the president of the day).
    """
    if not entries:
        return None
    latest = max(e.layer for e in entries)
    entries = [e for e in entries if e.layer == latest]
    best_rank = min(KIND_PRIORITY.get(e.kind, 9) for e in entries)
    ranked = [e for e in entries if KIND_PRIORITY.get(e.kind, 9) == best_rank]
    valid = [e for e in ranked if kb.is_valid_on(e.entity_id, date)] or ranked
    if len({e.entity_id for e in valid}) > 1:
        valid = [e for e in valid if kb.acting_for(e.entity_id, date)] or valid
    return valid[0] if len({e.entity_id for e in valid}) == 1 else None


def ner_label(doc: Any, start: int, end: int) -> str:
    """The NER label of an entity overlapping [start, end) in the sentence, else ``ALIAS``."""
    if doc is None:
        return "ALIAS"
    base = doc.start_char
    for ent in entities(doc):
        if ent.start_char - base < end and start < ent.end_char - base:
            return str(ent.label_)
    return "ALIAS"


def reporting_context(view: SentenceView, reporting_words: frozenset[str]) -> bool:
    """A footnote, or a sentence with a reporting word (said, reported, according to, newspaper...)."""
    if view.sentence.kind == "footnote":
        return True
    return view.doc is not None and any(t.lemma_.lower() in reporting_words for t in view.doc)


def drop_nested(found: list[Found]) -> list[Found]:
    """Mentions not inside a longer one (an agent phrase can swallow a neighbouring alias)."""
    return [
        f
        for f in found
        if not any(
            o is not f and o.start <= f.start and f.end <= o.end and o.end - o.start > f.end - f.start for o in found
        )
    ]


def continues_a_name(tokens: Sequence[Token], first: int) -> bool:
    """The token before is "of" after a capitalised word: "Ministry of [Foreign Affairs]"."""
    if first < 2 or tokens[first - 1].text != "of":
        return False
    before = tokens[first - 2]
    return before.is_word and before.text[:1].isupper()


def is_core_argument(doc: Any, start: int, end: int) -> bool:
    """The span is a subject or object of its clause, not inside a prepositional phrase."""
    root = span_root(doc, start, end)
    if root is None:
        return False
    while root.dep_ in ("conj", "appos") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT")


def is_speaker(doc: Any, start: int, end: int, speech_verbs: frozenset[str]) -> bool:
    """The span is (the owner or a modifier of) the subject of a speech verb: "Russia's Foreign
    Minister Sergey Lavrov said", "said Lavrov"."""
    token = span_root(doc, start, end)
    return token is not None and speaks(token, speech_verbs)


def is_main_subject(doc: Any, start: int, end: int) -> bool:
    """The span is (a conjunct of, or the possessor or modifier of) the subject of the sentence's
    root clause or of a main clause coordinated with it ("X is ..., but Y has ...": both)."""
    token = span_root(doc, start, end)
    if token is None:
        return False
    while token.dep_ in ("conj", "appos", "poss", "compound", "amod") and token.head.i != token.i:
        token = token.head
    clause = token.head
    if token.dep_ == "attr":  # "the main threat has proven to be X": X is as salient as a subject
        while clause.dep_ == "xcomp" and clause.head.i != clause.i:
            clause = clause.head
    elif token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    return bool(clause.dep_ == "ROOT" or (clause.dep_ == "conj" and clause.head.dep_ == "ROOT"))


def inside_longer_person_name(doc: Any, start: int, end: int) -> bool:
    """The span is part of a longer name NER calls a person ("George Washington", "Michael Jordan")."""
    if doc is None:
        return False
    base = doc.start_char
    return any(
        ent.label_ == "PERSON"
        and ent.start_char - base <= start
        and end <= ent.end_char - base
        and (ent.end_char - ent.start_char) > end - start
        for ent in entities(doc)
    )


def known_word_test(nlp: Any) -> Callable[[str], bool]:
    """Whether a lower-cased word is an English word (the lemmatizer's word lists, stop words)."""
    words: set[str] = set(STOP_WORDS)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            for values in lookups.get_table("lemma_index").values():
                words.update(values)
    return words.__contains__


def person_name_words(views: Iterable[SentenceView]) -> set[str]:
    """Words of the names NER calls persons anywhere in the document: surnames, not typos."""
    words: set[str] = set()
    for view in views:
        if view.doc is not None:
            words.update(t.text for ent in entities(view.doc) if ent.label_ == "PERSON" for t in ent)
    return words


def only_state(kb: KnowledgeBase, owners: Sequence[Owned]) -> Owned | None:
    """The latest of ``owners`` that is a state, when they name one state only ("its Supreme Court")."""
    states = [o for o in owners if (e := kb.get(o.actor_id)) is not None and e.type == "state"]
    return states[-1] if len({o.actor_id for o in states}) == 1 else None


def surname_mentions(
    view: SentenceView, taken: Sequence[tuple[int, int]], by_surname: dict[str, Found | None]
) -> list[Found]:
    """Proper nouns that are the surname of one titled person named before, with the rest of
    their NER name ("Rezaei", "Ali Rezaei"; NER may call a lone surname anything)."""
    result: list[Found] = []
    for token in view.doc:
        earlier = by_surname.get(token.text)
        if earlier is None or token.pos_ != "PROPN" or _overlaps(token.idx, token.idx + len(token.text), taken):
            continue
        ent = next((e for e in entities(view.doc) if e.start <= token.i < e.end), None)
        start = ent.start_char if ent is not None else token.idx
        end = token.idx + len(token.text)
        if not _overlaps(start, end, [(f.start, f.end) for f in result]):
            result.append(
                Found(
                    start, end, view.sentence.index, earlier.actor_id, "PERSON", "surname", earlier.person,
                    earlier.start, earlier.sectors,
                )
            )
    return result


def spans_by_sentence(found: Iterable[Found]) -> defaultdict[int, list[tuple[int, int]]]:
    """The spans of the mentions of each sentence, by sentence index (one pass, not one per sentence)."""
    spans: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for mention in found:
        spans[mention.sentence_index].append((mention.start, mention.end))
    return spans


def lookback(antecedents: Sequence[Antecedent], sentence_index: int, offset: int) -> Sequence[Antecedent]:
    """The antecedents (sorted by offset) before ``offset`` and at most LOOKBACK_SENTENCES
    sentences back: all that :func:`resolve_anaphor` may choose from, found by bisection.
    Sentence indexes ascend with offsets, as mentions lie inside their sentences."""
    stop = bisect.bisect_left(antecedents, offset, key=lambda a: a.offset)
    oldest = sentence_index - LOOKBACK_SENTENCES
    first = bisect.bisect_left(antecedents, oldest, hi=stop, key=lambda a: a.sentence_index)
    return antecedents[first:stop]


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _stands_alone(tokens: Sequence[Token], i: int) -> bool:
    """Not part of a longer capitalised name: neighbours are no capitalised words (bar "The")."""
    for j in (i - 1, i + 1):
        if (
            0 <= j < len(tokens)
            and tokens[j].is_word
            and tokens[j].text[:1].isupper()
            and tokens[j].text.casefold() not in STOP_WORDS
        ):
            return False
    return True
