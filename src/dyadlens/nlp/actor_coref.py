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
as at the country named last. A role noun of the lexicon ("the bloc") takes the
actor named last whose KB type it lists (an intergovernmental organisation), by
the same rule. "His country", "her government" take the state of the one person
named before them in their sentence (else in the sentence before).

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dyadlens.nlp.lexicon import Lexicon

GROUP_TYPES = frozenset({"armed_group", "movement"})
DETERMINERS = frozenset({"the", "this"})
NEW_RULERS = "new-rulers"
#: The noun of an anaphor "his/her country": the state of the person named before it.
OWN_STATE = "own-state"
OWN_STATE_POSSESSIVES = frozenset({"his", "her"})
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
    speaker: bool = False  # (the owner of) the subject of a speech verb: "said Russia's Foreign Minister X"


def find_anaphors(doc: Any, lexicon: Lexicon) -> list[Anaphor]:
    """Definite noun phrases headed by a coreference noun."""
    offices = lexicon.offices
    found = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and lemma in offices.new_ruler_nouns and _new_definite(token):
            found.append(Anaphor(token.left_edge.idx, token.idx + len(token.text), NEW_RULERS))
            continue
        own_state = _own_state(token, lexicon)
        if own_state is not None:
            found.append(own_state)
            continue
        if not _common_noun(token) or not _nominal_noun(lemma, lexicon):
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


def _common_noun(token: Any) -> bool:
    """A noun, or a lower-case word the tagger took for a proper noun ("the bloc")."""
    return bool(token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.text.islower()))


def _nominal_noun(lemma: str, lexicon: Lexicon) -> bool:
    offices = lexicon.offices
    return lemma in offices.group_nouns or lemma in offices.person_nouns or lemma in lexicon.actors.role_nouns


def _own_state(token: Any, lexicon: Lexicon) -> Anaphor | None:
    """"his country", "her government": a singular noun with a personal possessive and nothing else before it
    but adjectives ("his own country")."""
    singular_noun = token.pos_ == "NOUN" and token.tag_ not in ("NNS", "NNPS")
    if not singular_noun or token.lemma_.lower() not in lexicon.actors.own_state_nouns:
        return None
    lefts = list(token.lefts)
    if not lefts or lefts[0].dep_ != "poss" or lefts[0].lower_ not in OWN_STATE_POSSESSIVES:
        return None
    if any(c.dep_ not in ("poss", "amod") for c in lefts) or any(c.dep_ == "prep" for c in token.children):
        return None
    return Anaphor(lefts[0].idx, token.idx + len(token.text), OWN_STATE)


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
    if anaphor.noun == OWN_STATE:
        return resolve_own_state(sentence_index, offset, earlier)
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


def resolve_own_state(sentence_index: int, offset: int, earlier: Sequence[Antecedent]) -> Antecedent | None:
    """The person "his/her country" belongs to: the one person named before it in its sentence, else in
    the sentence before (the caller takes the state that person acts for). Two persons: None."""
    for back in (0, 1):
        persons = [
            c
            for c in earlier
            if c.person is not None and c.offset < offset and c.sentence_index == sentence_index - back
        ]
        if persons:
            return persons[-1] if len({c.actor_id for c in persons}) == 1 else None
    return None


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


def speaks(token: Any, speech_verbs: frozenset[str]) -> bool:
    """The token is (the owner or a modifier of) the subject of a speech verb: "Russia's Foreign
    Minister Sergey Lavrov said", "said Lavrov". A third-person pronoun in that speaker's
    quotation refers to someone else (:func:`resolve_pronoun`)."""
    while token.dep_ in ("poss", "compound", "appos", "amod") and token.head.i != token.i:
        token = token.head
    return bool(token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in speech_verbs)


def resolve_pronoun(pronoun: Anaphor, previous: Sequence[Antecedent], quoted: bool = False) -> Antecedent | None:
    """The antecedent of a subject pronoun among the mentions of the preceding sentence, or None.

    A third-person pronoun inside a quotation (``quoted``) never refers to the quote's speaker:
    the speaker says "I" or "we" ("'They are sane people,' said Russia's Foreign Minister. 'They
    clearly stated ...'": not Russia)."""
    compatible = [c for c in previous if _pronoun_fits(pronoun.noun, c) and not (quoted and c.speaker)]
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
    if noun in lexicon.actors.role_nouns:
        return candidate.person is None and candidate.actor_type in lexicon.actors.role_nouns[noun]
    if noun in lexicon.offices.group_nouns or noun == NEW_RULERS:
        return candidate.person is None and candidate.actor_type in GROUP_TYPES
    if candidate.person is None:
        return False
    return any(fragment in candidate.person_roles for fragment in lexicon.offices.person_nouns[noun])


# --- plural anaphors as sets ----------------------------------------------------------------

#: The rule of the mentions of a plural anaphor's set, one per member on the same span.
PLURAL_RULE = "coref:plural"
#: Reciprocal pronouns: the first word, then the pronoun ("each other", "one another").
RECIPROCALS = frozenset({("each", "other"), ("one", "another")})
#: Plural personal pronouns that may stand for a coordinated set ("A and B met. They ...").
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
SET_DETERMINERS = frozenset({"the", "these", "those", "all", "both"})
#: Verb arguments whose actors count as the two sides of an event ("A met B", "A met with B").
OBJECT_DEPS = frozenset({"dobj", "pobj"})
SIDE_PREPOSITIONS = frozenset({"with", "against"})
#: Labels a clause hangs on: "each ... the other" pairs only within one clause.
EACH_OTHER_BOUNDARIES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj", "pcomp"})
#: How a floating "each" hangs on a coordinated subject or its verb ("A and B each blamed ...").
FLOATING_EACH_DEPS = frozenset({"appos", "advmod", "det", "npadvmod", "dep"})


@dataclass(frozen=True, slots=True)
class SetAnaphor:
    """A plural mention that stands for a set of actors ("the two countries", "each other", "they")."""

    start: int  # document offsets
    end: int
    size: int | None  # how many members the words name; None: two or more
    kinds: tuple[str, ...]  # the member kinds that agree ("state", "person", "any", ...)
    pronoun: bool  # "they", "them", "their", reciprocals: only coordinated antecedents
    reciprocal: bool = False  # "each other": its antecedent is usually in its own clause


@dataclass(frozen=True, slots=True)
class SetMember:
    """A resolved mention as a possible member of a set."""

    offset: int
    actor_id: str
    kinds: frozenset[str]  # the actor's type, "person" for a person mention, and "any"
    person: str | None = None


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Actors the text puts together: coordinated ("A and B") or the two sides of one verb ("A met B")."""

    members: tuple[SetMember, ...]
    last_i: int  # the group's last token (document index)
    coordinated: bool
    #: coordinated as the subject of the sentence's main clause ("A and B met"): what a plural
    #: pronoun may take ("They ..."); a coordination inside a phrase ("talks between A and B") is not
    main_subject: bool = False


def find_set_anaphors(doc: Any, lexicon: Lexicon) -> list[SetAnaphor]:
    """Plural anaphors: a definite set phrase ("the two countries", "both sides", "the pair"),
    a reciprocal ("each other", "each ... the other") or a plural pronoun ("they", "them", "their")."""
    found = []
    for token in doc:
        anaphor = _set_phrase(token, lexicon) or _reciprocal(token) or _plural_pronoun(token)
        if anaphor is not None:
            found.append(anaphor)
    return sorted(found + _each_the_other(doc), key=lambda a: a.start)


def _set_phrase(noun: Any, lexicon: Lexicon) -> SetAnaphor | None:
    words = lexicon.actors
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or lemma not in words.plural_set_nouns or noun.dep_ == "compound":
        return None
    lefts = list(noun.lefts)
    left_words = {c.lower_ for c in lefts}
    size = _set_size(left_words | {lemma}, words.set_size_words)
    if size is None or not left_words & SET_DETERMINERS:
        return None
    if left_words & words.distinguishing_modifiers or any(c.pos_ == "PROPN" for c in lefts):
        return None
    if any(c.dep_ in ("prep", "appos") or (c.dep_ in ("relcl", "acl") and not _after_comma(c)) for c in noun.children):
        return None
    return SetAnaphor(noun.left_edge.idx, noun.idx + len(noun.text), size, words.plural_set_nouns[lemma], False)


def _after_comma(modifier: Any) -> bool:
    """A non-restrictive modifier, set off by a comma ("the two neighbours, known as ..."): it describes
    the set and does not set it apart."""
    first = modifier.left_edge
    return bool(first.i > 0 and first.doc[first.i - 1].text == ",")


def _set_size(words: set[str], size_words: Mapping[str, tuple[str, ...]]) -> int | None:
    sizes = {int(count) for count, names in size_words.items() if words & set(names)}
    return sizes.pop() if len(sizes) == 1 else None


def _reciprocal(token: Any) -> SetAnaphor | None:
    if token.i == 0:
        return None
    first = token.doc[token.i - 1]
    if (first.lower_, token.lower_) not in RECIPROCALS:
        return None
    return SetAnaphor(first.idx, token.idx + len(token.text), None, ("any",), True, reciprocal=True)


def _each_the_other(doc: Any) -> list[SetAnaphor]:
    """The split reciprocal "each (side / of the two) ... the other (side)": a subject with
    "each" and "the other" in the same clause are each the pair the sentence talks about (size
    2), so that the clause is coded both ways. "A and B each accused the other": only "the
    other" is an anaphor; the coordinated subject already names both."""
    found = []
    for other in doc:
        phrase = _the_other(other)
        verb = _clause_verb(phrase) if phrase is not None else None
        if phrase is None or verb is None:
            continue
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        each = [s for s in subjects if s.lower_ == "each" or any(c.lower_ == "each" for c in s.lefts)]
        if each or _floating_each(verb, subjects):
            found += [_pair_anaphor(s.left_edge, s) for s in each]
            found.append(_pair_anaphor(phrase.left_edge, phrase))
    return found


def _floating_each(verb: Any, subjects: list[Any]) -> bool:
    """"A and B each accused the other": an "each" on the verb or on its subject's words."""
    words = [*verb.children, *(t for s in subjects for t in s.subtree)]
    return any(t.lower_ == "each" and t.dep_ in FLOATING_EACH_DEPS for t in words)


def _the_other(token: Any) -> Any | None:
    """The head of a phrase "the other" or "the other side/country" that ``token`` ("other") starts."""
    if token.lower_ != "other":
        return None
    head = token.head if token.dep_ == "amod" else token
    if head.pos_ not in ("NOUN", "ADJ", "PRON") or head.tag_ in ("NNS", "NNPS"):
        return None
    return head if any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) else None


def _clause_verb(phrase: Any) -> Any | None:
    """The verb of the clause the phrase is an argument of, reached through no clause boundary."""
    token = phrase
    while token.pos_ not in ("VERB", "AUX"):
        if token.dep_ in EACH_OTHER_BOUNDARIES or token.head.i == token.i:
            return None
        token = token.head
    return token


def _pair_anaphor(first: Any, last: Any) -> SetAnaphor:
    return SetAnaphor(first.idx, last.idx + len(last.text), 2, ("any",), True, reciprocal=True)


def _plural_pronoun(token: Any) -> SetAnaphor | None:
    if token.lower_ not in PLURAL_PRONOUNS or token.pos_ != "PRON":
        return None
    return SetAnaphor(token.idx, token.idx + len(token.text), None, ("any",), True)


def actor_groups(span: Any, member_at: Mapping[int, SetMember]) -> list[ActorGroup]:
    """The groups of actors a sentence puts together, in text order of their last token."""
    groups = []
    for token in span:
        if token.i in member_at and token.dep_ != "conj" and token.conjuncts:
            tokens = [token, *token.conjuncts]
            members = [member_at[t.i] for t in tokens if t.i in member_at]
            groups.append(_group(members, tokens, True, is_main_clause_subject(token)))
        if token.pos_ in ("VERB", "AUX"):
            groups.extend(_verb_sides(token, member_at))
    return sorted((g for g in groups if len(g.members) > 1), key=lambda g: g.last_i)


def _verb_sides(verb: Any, member_at: Mapping[int, SetMember]) -> list[ActorGroup]:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i in member_at and not c.conjuncts]
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ in SIDE_PREPOSITIONS for g in c.children
    ]
    objects = [o for o in objects if o.i in member_at and not o.conjuncts]
    if len(subjects) != 1 or len(objects) != 1:
        return []
    return [_group([member_at[subjects[0].i], member_at[objects[0].i]], [subjects[0], objects[0]], False)]


def _group(members: list[SetMember], tokens: list[Any], coordinated: bool, main_subject: bool = False) -> ActorGroup:
    distinct = {m.actor_id: m for m in members}
    return ActorGroup(tuple(distinct.values()), max(t.i for t in tokens), coordinated, main_subject)


def is_main_clause_subject(token: Any) -> bool:
    """The token is the subject of its sentence's root clause, or of a clause coordinated with it."""
    clause = token.head
    if token.dep_ not in SUBJECT_DEPS:
        return False
    return bool(clause.dep_ == "ROOT" or (clause.dep_ == "conj" and clause.head.dep_ == "ROOT"))


def resolve_set(
    anaphor: SetAnaphor, same_sentence: Sequence[ActorGroup], previous_sentence: Sequence[ActorGroup]
) -> tuple[SetMember, ...] | None:
    """The set a plural anaphor stands for: the group of agreeing actors of the right size in
    the same sentence (before it), else in the sentence before. Competing sets are settled by
    coordination ("A and B" over "A met B"); still competing, or none: None."""
    for pool in (same_sentence, previous_sentence):
        fitting = [f for f in (_fitting(anaphor, g) for g in pool) if f is not None]
        if not fitting:
            continue
        for candidates in (fitting, [f for f in fitting if f[1]]):
            sets = {frozenset(m.actor_id for m in members) for members, _ in candidates}
            if len(sets) == 1:
                return candidates[-1][0]
        return None
    return None


def _fitting(anaphor: SetAnaphor, group: ActorGroup) -> tuple[tuple[SetMember, ...], bool] | None:
    if anaphor.pronoun and not (group.main_subject or (anaphor.reciprocal and group.coordinated)):
        return None
    members = tuple(m for m in group.members if m.kinds & set(anaphor.kinds))
    if len(members) != len(group.members):
        return None
    if (anaphor.size is None and len(members) < 2) or (anaphor.size is not None and len(members) != anaphor.size):
        return None
    return members, group.coordinated


# --- the widened antecedent rule of a numbered set phrase -----------------------------------

#: How many sentences before a numbered set phrase its actors may come from when no group fits.
SET_WINDOW_SENTENCES = 2
#: Clause labels a phrase's governing verb is not looked for across.
GOVERNING_BOUNDARIES = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"})
#: Branches of a subject that name someone else than the subject ("A, which replaced B, ...").
SUBJECT_ASIDES = frozenset({"relcl", "acl", "advcl", "appos"})


def governing_subjects(noun: Any) -> list[Any]:
    """The tokens of the subjects of the verb that ``noun`` (a set phrase's head) is the object,
    prepositional object or infinitive subject of: "A and B urged [the two sides] to talk",
    "A called on [the two sides]", "A hosted talks between [the two neighbours]". The set cannot
    include them (reflexivity). A clause with no subject of its own ("A opened the session and
    urged ...") has its head clause's."""
    verb = _governing_verb(noun)
    while verb is not None:
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects or verb.dep_ not in ("conj", "xcomp") or verb.head.i == verb.i:
            return [t for s in subjects for t in _phrase_tokens(s)]
        verb = verb.head
    return []


def _governing_verb(noun: Any) -> Any | None:
    if noun.dep_ in SUBJECT_DEPS:  # "urged the two sides to talk" parsed with the set as the infinitive's subject
        clause = noun.head
        infinitive = clause.dep_ in ("xcomp", "ccomp") and any(c.lower_ == "to" for c in clause.lefts)
        return clause.head if infinitive and clause.head.pos_ in ("VERB", "AUX") else None
    token = noun
    while token.pos_ not in ("VERB", "AUX"):
        if token.dep_ in SUBJECT_DEPS or token.dep_ in GOVERNING_BOUNDARIES or token.head.i == token.i:
            return None
        token = token.head
    return token


def _phrase_tokens(token: Any) -> list[Any]:
    """A subject's words without its relative clauses and appositions."""
    tokens = [token]
    for child in token.children:
        if child.dep_ not in SUBJECT_ASIDES:
            tokens += _phrase_tokens(child)
    return tokens


def exclude_actors(groups: Sequence[ActorGroup], excluded: frozenset[str]) -> list[ActorGroup]:
    """The groups with none of the excluded actors (the subjects of the set phrase's own verb)."""
    return [g for g in groups if not any(m.actor_id in excluded for m in g.members)]


def resolve_in_context(
    anaphor: SetAnaphor,
    windows: Sequence[Sequence[SetMember]],
    earlier_sets: Sequence[tuple[SetMember, ...]],
    excluded: frozenset[str],
) -> tuple[SetMember, ...] | None:
    """The set of a numbered set phrase ("the two countries", "each side ... the other") that no
    group fits: the distinct agreeing actors named in the sentence before, else in the two
    sentences before (``windows``, widening), when exactly as many as the number says; else the
    last set of that size the document resolved before (the pair it calls "the two sides"), when
    the window's actors are consistent with it (all in it, or it all among them). Actors in
    ``excluded`` never count."""
    if anaphor.size is None:
        return None
    candidates: dict[str, SetMember] = {}
    for window in windows:
        candidates = _agreeing(anaphor, window, excluded)
        if len(candidates) >= anaphor.size:
            break
    if len(candidates) == anaphor.size:
        return tuple(candidates.values())
    agreeing_sets = (s for s in reversed(earlier_sets) if len(_agreeing(anaphor, s, excluded)) == len(s))
    established = next((s for s in agreeing_sets if len(s) == anaphor.size), None)
    if established is None:
        return None
    ids = {m.actor_id for m in established}
    consistent = candidates.keys() <= ids if len(candidates) < anaphor.size else ids <= candidates.keys()
    return established if consistent else None


def _agreeing(anaphor: SetAnaphor, members: Sequence[SetMember], excluded: frozenset[str]) -> dict[str, SetMember]:
    agreeing: dict[str, SetMember] = {}
    for member in members:
        if member.kinds & set(anaphor.kinds) and member.actor_id not in excluded:
            agreeing.setdefault(member.actor_id, member)
    return agreeing


# --- plurals of a name two states share ("the two Koreas") -----------------------------------


def states_by_name_word(names: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """The states (ids) each word ends a name or alias of, lower-cased: "korea" -> North Korea
    ("North Korea") and South Korea ("Korea", "Republic of Korea"). ``names``: (state id, name)."""
    index: dict[str, set[str]] = {}
    for actor_id, name in names:
        words = name.split()
        if words:
            index.setdefault(words[-1].casefold(), set()).add(actor_id)
    return {word: frozenset(ids) for word, ids in index.items()}


def find_name_plurals(
    doc: Any, lexicon: Lexicon, states_named: Mapping[str, frozenset[str]]
) -> list[tuple[SetAnaphor, tuple[str, ...]]]:
    """"The two Koreas", "both Sudans": the plural of a word that ends the names of exactly as many
    KB states as the number says, with a determiner or "both"; the set is those states."""
    found = []
    for token in doc:
        text = token.text
        if len(text) < 4 or not text[:1].isupper() or not text.endswith("s") or token.dep_ == "compound":
            continue
        states = states_named.get(text[:-1].casefold(), frozenset())
        left_words = {c.lower_ for c in token.lefts}
        size = _set_size(left_words, lexicon.actors.set_size_words)
        if size is None or size != len(states) or not left_words & SET_DETERMINERS:
            continue
        anaphor = SetAnaphor(token.left_edge.idx, token.idx + len(text), size, ("state",), False)
        found.append((anaphor, tuple(sorted(states))))
    return found


def any_fitting(anaphor: SetAnaphor, groups: Sequence[ActorGroup]) -> bool:
    """Some group fits the anaphor (its rule decides, even when several compete)."""
    return any(_fitting(anaphor, g) is not None for g in groups)
