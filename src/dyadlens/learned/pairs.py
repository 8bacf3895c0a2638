"""The compiled corpus (:mod:`dyadlens.learned.corpus`) as labelled, encoded sentences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tokenizers import Tokenizer

from dyadlens.learned.encoding import EncodedSentence, SpanMention, encode

NONE = "none"


@dataclass
class LabelledPair:
    source: str
    target: str
    label: str  # "none" or a CAMEO root
    code: str | None = None
    modality: str | None = None


@dataclass
class Example:
    """One encoded sentence and its labelled pairs (both actors marked in it)."""

    text: str
    mentions: list[SpanMention]
    encoded: EncodedSentence
    pairs: list[LabelledPair] = field(default_factory=list)


def examples(records: Iterable[dict[str, Any]], tokenizer: Tokenizer) -> list[Example]:
    """Every sentence with at least one pair whose two actors survive encoding."""
    found = []
    for document in records:
        for sentence in document["sentences"]:
            mentions = [SpanMention(m["start"], m["end"], m["actor"]) for m in sentence["mentions"]]
            encoded = encode(tokenizer, sentence["text"], mentions)
            pairs = [
                LabelledPair(p["source"], p["target"], p["label"], p.get("code"), p.get("modality"))
                for p in sentence["pairs"]
                if p["source"] in encoded.marks and p["target"] in encoded.marks
            ]
            if pairs:
                found.append(Example(sentence["text"], mentions, encoded, pairs))
    return found
