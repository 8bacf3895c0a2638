"""The ``places`` component: the places a document names, and place names out of the actor list.

A place mention is a capitalised name that spaCy tags ``GPE``, ``LOC`` or
``FAC``, or a proper noun after a locative preposition ("in Termez"), that the
gazetteer knows; a name inside a longer name of another kind ("Kabul
University") or tagged as a person, date or group is refused. "X province"
makes it the region around X. A name the gazetteer and the KB lack whose head
is a venue noun ("X Concert Hall"), or a place entity in a locative phrase ("in
North Waziristan"), is a ``site``, in the country of a place right after it.
The dateline's place ("KABUL, March 3 (Agency) —") counts too.

Each mention's role comes from the parse (:func:`place_role`):

- ``acting``: the subject or agent of a verb, or the object of a verb of
  contact ("urged Termez"). A name the KB does not know that acts stands for
  the state of its country, or that country's government of the day (rule
  ``place-metonym``);
- ``locative`` ("in X", "near X") and ``gathering`` ("the X talks",
  "X-hosted"): where something happened, read by the ``locations`` stage;
- ``modifier`` ("the Kabul police") and ``named`` (any other use).

Every mention that does not act is recorded as a :class:`~dyadlens.model.Place`
(rule: its role, or ``dateline``). An unresolved actor mention (a name the KB
does not know) that is a place, or that the text glosses as a region, and does
not act is dropped, with its unresolved actor when nothing else names it: places
leave ``dyadlens actors --unresolved``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from dyadlens.geo.gazetteer import Gazetteer, GazetteerPlace
from dyadlens.geo.words import PlaceWords
from dyadlens.model import Mention, Place, is_unresolved, stable_id
from dyadlens.nlp.offsets import entities
from dyadlens.state import DocState, by_sentence

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels of words that never name a place. (A name tagged as a person or an organisation
#: is still a place after a locative preposition, unless the name goes on beyond the place's words.)
NOT_NAME_LABELS = frozenset({"DATE", "TIME", "EVENT", "LAW", "WORK_OF_ART", "LANGUAGE", "NORP", "CARDINAL", "ORDINAL"})
#: Roles in which a place is where something is, not who acts.
PLACE_ROLES = frozenset({"locative", "gathering", "modifier", "named"})
#: "KABUL, March 3 (Agency) —": a capitalised place name opening the body, before a dash.
DATELINE = re.compile(
    r"\A\s*([A-Z][A-Z'.\- ]*[A-Z])"  # the place, in capitals
    r"(?:,[^\n\u2014\u2013(]{0,40})?"  # ", March 3"
    r"\s*(?:\([^)\n]{0,60}\))?"  # "(Agency)"
    r"\s*[\u2014\u2013-]"  # the dash
)
#: How many of the first analysed sentences a dateline may open.
DATELINE_SENTENCES = 3
#: Places that stand for no state when they act: a world region, a venue or district.
NO_STATE_PRECISIONS = frozenset({"region", "site"})
#: What may stand between a site and the place that says where it lies: "X near Y", "X, Y", "X of the Y".
SITE_LINK = re.compile(r"\s*(?:,|in|near|outside|of|inside)?\s*(?:the\s+)?", re.IGNORECASE)
#: Precisions of a place that can say where a site lies.
SITE_CONTEXT_PRECISIONS = frozenset({"admin1", "city", "country"})


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in the text; a name the gazetteer lacks ("X province", a venue) is a ``site``."""

    start: int
    end: int
    sentence_index: int
    place: GazetteerPlace
    role: str


class PlaceStage:
    name = "places"
    version = "1"

    def __init__(self, gazetteer: Gazetteer, kb: KnowledgeBase, words: PlaceWords) -> None:
        self.gazetteer = gazetteer
        self.kb = kb
        self.words = words
        self.states = {e.iso3: e.id for e in kb.entities() if e.type == "state" and e.iso3}

    def __call__(self, state: DocState) -> None:
        found = self.find(state)
        dateline = list(self._dateline(state))
        # a dateline's name is also a place name of its sentence: one place, in its dateline role
        at_dateline = {(place.start, place.end) for place in dateline}
        state.places.extend(self._record(state.document.id, m) for m in found
                            if m.role in PLACE_ROLES and (m.start, m.end) not in at_dateline)
        state.places.extend(dateline)
        state.places.sort(key=lambda p: (p.start, p.end))
        self._settle_unresolved(state, found)

    # --- finding ---------------------------------------------------------------------------

    def find(self, state: DocState) -> list[PlaceMention]:
        """Every place name of the analysed sentences, in text order."""
        countries = {a.iso3 for a in state.actors.values() if a.iso3}
        result: list[PlaceMention] = []
        for sentence in state.analysed_sentences():
            span = state.sentence_span(sentence.index)
            if span is None:
                continue
            taken: list[tuple[int, int]] = []
            found: list[PlaceMention] = []
            for tokens in self._candidates(span):
                first, last = tokens[0], tokens[-1]
                if any(first.i <= e and s <= last.i for s, e in taken):
                    continue
                mention = self._mention(state.text, tokens, sentence.index, countries)
                if mention is not None:
                    taken.append((first.i, last.i))
                    found.append(mention)
            result.extend(_sites_in_context(state.text, found))
        return sorted(result, key=lambda m: m.start)

    def _candidates(self, span: Any) -> Iterator[list[Any]]:
        """Token runs that may name a place: place entities, then proper nouns after a locative
        preposition or before a gathering noun."""
        for ent in entities(span):
            if ent.label_ in PLACE_LABELS or (ent.label_ == "ORG" and ent[-1].lower_ in self.words.venue_nouns):
                tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
                if tokens:
                    yield tokens
        for token in span:
            if token.pos_ == "PROPN" and token.dep_ in ("pobj", "compound", "nmod") and self._anchored(token):
                yield [*_compound_words(token), token]

    def _anchored(self, token: Any) -> bool:
        if token.dep_ == "pobj":
            return token.head.lower_ in self.words.locative_prepositions
        return _is_gathering(token.head, self.words)

    def _mention(
        self, text: str, tokens: list[Any], sentence_index: int, countries: Collection[str]
    ) -> PlaceMention | None:
        """The place ``tokens`` name (``text``: the document's, which token offsets point into), or None."""
        if not tokens[0].text[:1].isupper() or _inside_other_name(tokens):
            return None
        role = place_role(tokens, self.words)
        region = self._region_noun_after(tokens[-1])
        if len(tokens) > 1 and tokens[-1].lower_ in self.words.region_nouns:
            tokens, region = tokens[:-1], True
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = text[start:end]
        place = (self.gazetteer.region(name, countries) if region else None) or self.gazetteer.lookup(name, countries)
        place = place or self._kb_country(name)
        if place is not None and region and place.precision == "city":
            place = self.gazetteer.region_of(place)
        if place is None and (region or self._is_site(name, tokens, role)):
            place = site(name)
        if place is None:
            return None
        return PlaceMention(start, end, sentence_index, place, role)

    def _is_site(self, name: str, tokens: list[Any], role: str) -> bool:
        """A name the gazetteer and the KB do not know that is still a place: its head noun is a
        venue or place noun ("Crocus City Hall"), or a place entity stands in a locative phrase."""
        if any(t.ent_type_ == "PERSON" for t in tokens) or self.kb.alias_entries(name):
            return False
        if tokens[-1].lower_ in self.words.venue_nouns:
            return True
        return role == "locative" and all(t.ent_type_ in PLACE_LABELS for t in tokens)

    def _kb_country(self, name: str) -> GazetteerPlace | None:
        """A country by a name the KB gives its state ("Britain", "the US"): the gazetteer knows one name each."""
        for entry in self.kb.alias_entries(name):
            entity = self.kb.get(entry.entity_id)
            if entry.kind in ("name", "alias") and entity is not None and entity.type == "state" and entity.iso3:
                return self.gazetteer.country_place(entity.iso3)
        return None

    def _region_noun_after(self, last: Any) -> bool:
        following = last.nbor(1) if last.i + 1 < len(last.doc) else None
        return following is not None and following.lower_ in self.words.region_nouns

    def _dateline(self, state: DocState) -> Iterable[Place]:
        """The place a dateline names at the start of one of the first analysed sentences."""
        for sentence in list(state.analysed_sentences())[:DATELINE_SENTENCES]:
            match = DATELINE.match(state.sentence_text(sentence))
            if match is None:
                continue
            place = self.gazetteer.lookup(match.group(1).title())
            if place is not None:
                mention = PlaceMention(
                    sentence.start + match.start(1), sentence.start + match.end(1), sentence.index, place, "dateline"
                )
                return [self._record(state.document.id, mention)]
        return []

    def _record(self, doc_id: str, mention: PlaceMention) -> Place:
        place = mention.place
        return Place(
            id=stable_id(doc_id, mention.start, mention.end, self.version, "place"),
            doc_id=doc_id,
            start=mention.start,
            end=mention.end,
            sentence_index=mention.sentence_index,
            name=place.name,
            precision=place.precision,
            country=place.country or None,
            admin1=place.admin1,
            lat=place.lat,
            lon=place.lon,
            geonameid=place.geonameid,
            rule=mention.role,
        )

    # --- the unresolved actors -------------------------------------------------------------

    def _settle_unresolved(self, state: DocState, found: list[PlaceMention]) -> None:
        """Unresolved mentions that name a place: the state when the place acts, else dropped."""
        kept: list[Mention] = []
        found_in = by_sentence(found)
        for mention in state.mentions:
            in_sentence = found_in.get(mention.sentence_index, [])
            place = self._place_named_by(state.text, mention, in_sentence) if is_unresolved(mention.actor_id) else None
            if place is None:
                kept.append(mention)
                continue
            actor = self._acting_state(place, state.document.published)
            if actor is not None:
                kept.append(replace(mention, actor_id=actor, rule="place-metonym"))
                state.add_actor(self.kb.ref(actor))
        state.mentions[:] = kept
        named = {m.actor_id for m in kept} | {p.affiliation for p in state.persons}
        for actor_id in [a for a in state.actors if is_unresolved(a) and a not in named]:
            del state.actors[actor_id]

    def _place_named_by(self, text: str, mention: Mention, found: Iterable[PlaceMention]) -> PlaceMention | None:
        """The place mention whose words the actor mention is (a region noun after them allowed)."""
        for place in found:
            before = text[mention.start : place.start].strip().lower()
            if (place.start <= mention.start or before == "the") and mention.start < place.end <= mention.end:
                extra = text[place.end : mention.end].split()
                if all(word.lower() in self.words.region_nouns for word in extra):
                    return place
        return None

    def _acting_state(self, mention: PlaceMention, date: str | None) -> str | None:
        if mention.role != "acting" or mention.place.precision in NO_STATE_PRECISIONS:
            return None
        state_id = self.states.get(mention.place.country)
        return self.kb.government_of(state_id, date) if state_id else None


def site(name: str, within: GazetteerPlace | None = None) -> GazetteerPlace:
    """A venue or district the gazetteer lacks, in the country (and region) of ``within`` when known."""
    admin1 = within.admin1 if within is not None and within.precision != "country" else None
    return GazetteerPlace(name, "site", within.country if within else "", admin1, None, None, 0, None)


def _sites_in_context(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """The sentence's place mentions, each site placed where the known place right after it lies:
    "Crocus City Hall near Moscow", "North Waziristan, Pakistan", "X district of Y province"."""
    placed = []
    for mention in found:
        if mention.place.precision == "site":
            within = next((m for m in found if _just_after(text, mention, m)), None)
            if within is not None and within.place.precision in SITE_CONTEXT_PRECISIONS:
                mention = replace(mention, place=site(mention.place.name, within.place))
        placed.append(mention)
    return placed


def _just_after(text: str, site_mention: PlaceMention, other: PlaceMention) -> bool:
    return other.start >= site_mention.end and SITE_LINK.fullmatch(text[site_mention.end : other.start]) is not None


def place_role(tokens: list[Any], words: PlaceWords) -> str:
    """``acting``, ``locative``, ``gathering``, ``modifier`` or ``named``: what the sentence does with the place."""
    root = min(tokens, key=lambda t: len(list(t.ancestors)))
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    head = root.head
    if root.dep_ == "pobj":
        if head.dep_ == "agent":
            return "acting"
        return "locative" if head.lower_ in words.locative_prepositions else "named"
    if root.dep_ == "nsubj" and head.lemma_ != "be":
        return "acting"
    if root.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in words.contact_verbs:
        return "acting"
    if root.dep_ in ("compound", "nmod", "amod", "npadvmod"):
        return _modifier_role(root, words)
    return "named"


def _modifier_role(root: Any, words: PlaceWords) -> str:
    """ "the Doha talks", "a Doha-hosted meeting" place a gathering; "the Kabul police" does not."""
    if _is_gathering(root.head, words):
        return "gathering"
    after = root.doc[root.i + 1 : root.i + 3]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ in words.hosting_words:
        return "gathering"
    return "modifier"


def _is_gathering(noun: Any, words: PlaceWords) -> bool:
    return bool(noun.lower_ in words.gathering_nouns or noun.lemma_.lower() in words.gathering_nouns)


def _compound_words(token: Any) -> list[Any]:
    """The capitalised proper nouns that run into ``token`` from the left ("North Waziristan")."""
    words: list[Any] = []
    index = token.i - 1
    while index >= 0:
        left = token.doc[index]
        if left.pos_ != "PROPN" or left.head.i != token.i or not left.text[:1].isupper():
            break
        words.insert(0, left)
        index -= 1
    return words


def _inside_other_name(tokens: list[Any]) -> bool:
    """Part of a name of another kind, or of a longer name ("Kabul University", "Moscow State University")."""
    if any(t.ent_type_ in NOT_NAME_LABELS for t in tokens):
        return True
    first = tokens[0]
    opened_by_the = first.i > 0 and first.doc[first.i - 1].ent_iob_ == "B" and first.doc[first.i - 1].lower_ == "the"
    if first.ent_iob_ == "I" and first.ent_type_ not in PLACE_LABELS and not opened_by_the:
        return True
    last = tokens[-1]
    following = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    return following is not None and following.ent_iob_ == "I"
