"""The ``locations`` component: where each event happened (GDELT's ActionGeo).

The rule, in order (the event's ``place_rule`` names the step that placed it):

1. ``clause``: a place of the event's sentence in a locative phrase ("in X",
   "near X", "outside X") or naming a gathering ("the X talks",
   "X-hosted"), attached to the trigger's clause: the phrase hangs on the
   trigger, or on a word whose clause is the trigger's;
2. ``sentence``: else the one place of the sentence used that way (one
   place name, however often it is repeated);
3. ``dateline``: else the place of the document's dateline;
4. else none.

A place that is the name of one of the event's own actors, taken as an
argument through a preposition ("struck inside X", X the target), does not
place the event. Precision (``country``, ``admin1``, ``city``) is the place's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dyadlens.model import Event, Mention, Place
from dyadlens.nlp.offsets import span_root
from dyadlens.state import DocState, by_sentence

#: Place rules (the ``places`` stage) of a place used locatively.
LOCATIVE_RULES = frozenset({"locative", "gathering"})
#: Parts of speech that head a clause.
CLAUSE_HEADS = frozenset({"VERB", "AUX"})


class LocationStage:
    name = "locations"
    version = "1"

    def __call__(self, state: DocState) -> None:
        dateline = next((p for p in state.places if p.rule == "dateline"), None)
        # indexed by sentence, so that the work grows with the text, not with its square
        places = by_sentence(p for p in state.places if p.rule in LOCATIVE_RULES)
        mentions = by_sentence(state.mentions)
        state.events[:] = [
            self._located(state, event, places.get(event.sentence_index, []),
                          mentions.get(event.sentence_index, []), dateline)
            for event in state.events
        ]

    def _located(
        self, state: DocState, event: Event, places: list[Place], mentions: list[Mention], dateline: Place | None
    ) -> Event:
        """``event`` located by the first rule that applies (``places`` and ``mentions``: its sentence's)."""
        if event.place_name:
            return event
        usable = [p for p in places if not _names_an_argument(p, event, mentions)]
        trigger = span_root(state.doc, event.trigger_start, event.trigger_end)
        tied = [p for p in usable if trigger is not None and _tied_to(state.doc, p, trigger)]
        if tied:
            return with_place(event, tied[0], "clause")
        if len({p.name for p in usable}) == 1:
            return with_place(event, usable[0], "sentence")
        if dateline is not None:
            return with_place(event, dateline, "dateline")
        return event


def with_place(event: Event, place: Place, rule: str) -> Event:
    """The event located at ``place`` by ``rule``."""
    return replace(
        event,
        place_name=place.name,
        place_country=place.country,
        place_admin1=place.admin1,
        place_lat=place.lat,
        place_lon=place.lon,
        place_precision=place.precision,
        place_start=place.start,
        place_end=place.end,
        place_rule=rule,
    )


def _tied_to(doc: Any, place: Place, trigger: Any) -> bool:
    """The place's phrase hangs on the trigger, or on a word of the trigger's clause."""
    root = span_root(doc, place.start, place.end)
    if root is None:
        return False
    anchor = root.head
    if place.rule == "locative" and anchor.dep_ == "prep":
        anchor = anchor.head
    return bool(anchor.i == trigger.i or _clause_head(anchor).i == _clause_head(trigger).i)


def _clause_head(token: Any) -> Any:
    """The verb whose clause ``token`` is in (the token itself when it is one)."""
    while token.pos_ not in CLAUSE_HEADS and token.head.i != token.i:
        token = token.head
    return token


def _names_an_argument(place: Place, event: Event, mentions: Sequence[Mention]) -> bool:
    """The place's words name the event's source or target, reached through a preposition."""
    for mention in mentions:
        if mention.start < place.end and place.start < mention.end:
            if mention.actor_id == event.source and "prep" in event.source_route:
                return True
            if mention.actor_id == event.target and "prep" in event.target_route:
                return True
    return False
