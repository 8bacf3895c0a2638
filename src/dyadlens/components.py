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


@component("dyadlens.parse.spacy.v1", requires=("sentences",), assigns=("parses",))
def sentence_parser(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.parse import SentenceParser

    return SentenceParser(resources.nlp, **options)


@component("dyadlens.actors.kb.v1", requires=("sentences", "parses"), assigns=("actors", "mentions"))
def actor_resolver(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.actors import ActorResolver

    return ActorResolver(resources, **options)


@component("dyadlens.events.rules.v1", requires=("sentences", "parses", "mentions"), assigns=("events",))
def rule_event_coder(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.events import EventCoder

    return EventCoder(resources, **options)


@component("dyadlens.quotes.rules.v1", requires=("sentences", "parses", "mentions"), assigns=("quotes",))
def quote_extractor(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.quotes import QuoteExtractor

    return QuoteExtractor(resources, **options)


@component(
    "dyadlens.designations.rules.v1",
    requires=("sentences", "parses", "mentions", "events", "quotes"),
    assigns=("designations",),
)
def designation_extractor(resources: Resources, **options: Any) -> Component:
    from dyadlens.nlp.designations import DesignationExtractor

    return DesignationExtractor(resources, **options)
