"""The built-in components, registered under their versioned names.

Each factory imports its component only when called, so a pipeline that
stops at ``sentences`` imports neither spaCy nor the KB. The default
pipeline that strings them together is ``dyadlens/pipeline.toml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dyadlens.registry import component

if TYPE_CHECKING:
    from dyadlens.resources import Resources
    from dyadlens.state import Component


@component("dyadlens.clean.v1", requires=("document",), assigns=("regions",))
def cleaner(resources: Resources, **options: Any) -> Component:
    """Site furniture, footnotes and repeated paragraphs marked as regions."""
    from dyadlens.ingest.clean import Cleaner

    return Cleaner(**options)


@component("dyadlens.sentences.v1", requires=("document", "regions"), assigns=("sentences",))
def sentence_splitter(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.sentences import SentenceSplitter

    return SentenceSplitter(**options)


@component("dyadlens.parse.spacy.v1", requires=("sentences",), assigns=("doc",))
def sentence_parser(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.parse import SentenceParser

    return SentenceParser(resources.nlp, **options)


@component(
    "dyadlens.actors.kb.v1",
    requires=("sentences", "doc", "quote_spans"),
    assigns=("actors", "mentions", "coref", "persons"),
)
def actor_resolver(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.actors import ActorResolver

    return ActorResolver(resources, **options)


@component("dyadlens.quote_marks.v1", requires=("document",), assigns=("quote_spans",))
def quote_mark_pairer(resources: Resources, **options: Any) -> Component:
    """The text's quote marks paired once, for the timeline and the quote extractor."""
    from dyadlens.nlp.quote_marks import QuoteMarkStage

    return QuoteMarkStage(**options)


@component("dyadlens.timeline.v1", requires=("document", "sentences", "doc", "quote_spans"), assigns=("timeline",))
def timeline_builder(resources: Resources, **options: Any) -> Component:
    """The document's temporal expressions resolved once, for every coder that dates what it finds."""
    from dyadlens.nlp.dates import TimelineStage

    return TimelineStage(resources.lexicon, **options)


@component(
    "dyadlens.events.rules.v1",
    requires=("sentences", "doc", "mentions", "quote_spans", "timeline"),
    assigns=("events", "partial_events"),
)
def rule_event_coder(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.events import EventCoder

    return EventCoder(resources, **options)


@component(
    "dyadlens.gatherings.rules.v1",
    requires=("sentences", "doc", "mentions", "timeline", "events"),
    assigns=("events", "partial_events", "gatherings"),
)
def gathering_coder(resources: Resources, **options: Any) -> Component:
    """Multi-party meetings and their participants coded by the guideline convention; "the participants".
    Reads ``partial_events`` when the event coder leaves any (an outside coder need not)."""
    from dyadlens.nlp.gatherings import GatheringCoder

    return GatheringCoder(resources, **options)


@component(
    "dyadlens.events.context.v1",
    requires=("sentences", "doc", "timeline", "events", "quotes"),
    assigns=("events", "partial_events"),
)
def event_context(resources: Resources, **options: Any) -> Component:
    """Events referred back to ("welcomed the decision") and implied arguments, completed when one fits
    (from ``partial_events``, when the event coder leaves any)."""
    from dyadlens.nlp.event_anaphora import EventContext

    return EventContext(resources, **options)


@component("dyadlens.events.learned.v1", requires=("sentences", "doc", "mentions", "timeline", "events"),
           assigns=("events",))
def learned_coder(resources: Resources, **options: Any) -> Component:
    """The learned coder beside the rules: mode ``rules``, ``model`` or ``hybrid`` (docs/learned-coder.md)."""
    from dyadlens.learned.coder import LearnedCoder

    return LearnedCoder(resources, **options)


@component(
    "dyadlens.quotes.rules.v1",
    requires=("sentences", "doc", "mentions", "coref", "quote_spans", "timeline"),
    assigns=("quotes",),
)
def quote_extractor(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.quotes import QuoteExtractor

    return QuoteExtractor(resources, **options)


@component(
    "dyadlens.designations.rules.v1",
    requires=("sentences", "doc", "mentions", "timeline", "events", "quotes"),
    assigns=("designations",),
)
def designation_extractor(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.designations import DesignationExtractor

    return DesignationExtractor(resources, **options)


@component(
    "dyadlens.standing.v1",
    requires=("events", "designations", "doc", "sentences"),
    assigns=("events", "designations"),
)
def standing_facts(resources: Resources, **options: Any) -> Component:
    """Marks the events and designations that observe a standing state ("still lists") rather than an act."""
    from dyadlens.nlp.standing import standing_stage

    return standing_stage(resources, **options)


@component("dyadlens.sectors.v1", requires=("mentions", "actors", "doc", "sentences"), assigns=("mentions",))
def mention_sectors(resources: Resources, **options: Any) -> Component:
    """Each mention's CAMEO agent (sector) codes from its words and the agent noun around it."""
    from dyadlens.nlp.sectors import MentionSectors, sector_lexicon

    return MentionSectors(sector_lexicon(resources), resources.kb, **options)


@component("dyadlens.events.sectors.v1", requires=("events", "mentions", "doc"), assigns=("events",))
def event_sectors(resources: Resources, **options: Any) -> Component:
    """Each event side's sectors: those of the mention of that side the trigger governs."""
    from dyadlens.nlp.sectors import EventSectors

    return EventSectors(**options)


@component(
    "dyadlens.places.gazetteer.v1",
    requires=("sentences", "doc", "mentions", "actors"),
    assigns=("places", "mentions", "actors"),
)
def place_finder(resources: Resources, **options: Any) -> Component:
    """Place names found in the offline gazetteer; an unknown name that is a place acts for its state or leaves."""
    from dyadlens.geo.places import PlaceStage
    from dyadlens.geo.words import load_place_words

    return PlaceStage(resources.gazetteer, resources.kb, load_place_words(), **options)


@component("dyadlens.locations.v1", requires=("events", "places", "sentences", "doc"), assigns=("events",))
def event_locations(resources: Resources, **options: Any) -> Component:
    """Where each event happened: a locative place of its clause, of its sentence, or the dateline's."""
    from dyadlens.geo.locations import LocationStage

    return LocationStage(**options)
