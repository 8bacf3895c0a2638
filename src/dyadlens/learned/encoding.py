"""A sentence and its actor mentions as the encoder's input: word pieces with every mention
marked, and where each actor's marks are.

Every mention is wrapped in two marker tokens (``[unused0]`` … ``[unused1]``, which the base
vocabulary has and never uses), so one pass of the encoder serves every ordered pair of the
sentence: a pair is read from the hidden states at its two actors' opening marks. Training
and run time share this module, so they cannot disagree on the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tokenizers import Tokenizer

CLS, SEP, PAD = 101, 102, 0
MARK_OPEN, MARK_CLOSE = 1, 2  # [unused0], [unused1]
MAX_TOKENS = 128

#: what a pair is labelled with: no event, or one of the twenty CAMEO roots
EVENT_LABELS = ("none", *(f"{root:02d}" for root in range(1, 21)))
MODALITY_LABELS = ("asserted", "negated", "possible", "planned", "recommended", "alleged")


@dataclass(frozen=True)
class SpanMention:
    """A mention in sentence offsets and the actor it stands for."""

    start: int
    end: int
    actor: str


@dataclass
class EncodedSentence:
    ids: list[int]
    #: actor -> the positions of the opening marks of its mentions, in order
    marks: dict[str, list[int]] = field(default_factory=dict)

    def actors(self) -> list[str]:
        return list(self.marks)


def encode(tokenizer: Tokenizer, text: str, mentions: Sequence[SpanMention]) -> EncodedSentence:
    """Word pieces of ``text`` with each mention marked; a mention past :data:`MAX_TOKENS` is dropped."""
    pieces = tokenizer.encode(text, add_special_tokens=False)
    opens, closes = _mark_points(pieces.offsets, _non_overlapping(mentions))
    ids = [CLS]
    encoded = EncodedSentence(ids)
    for index, piece in enumerate(pieces.ids):
        for mention in opens.get(index, ()):
            encoded.marks.setdefault(mention.actor, []).append(len(ids))
            ids.append(MARK_OPEN)
        ids.append(piece)
        ids.extend([MARK_CLOSE] * closes.get(index, 0))
    if len(ids) >= MAX_TOKENS:
        del ids[MAX_TOKENS - 1 :]
        encoded.marks = {a: kept for a, p in encoded.marks.items() if (kept := [i for i in p if i < len(ids)])}
    ids.append(SEP)
    return encoded


def _non_overlapping(mentions: Sequence[SpanMention]) -> list[SpanMention]:
    """The mentions in text order, a mention inside an earlier (longer) one left out."""
    kept: list[SpanMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.end > mention.start and (not kept or mention.start >= kept[-1].end):
            kept.append(mention)
    return kept


def _mark_points(
    offsets: Sequence[tuple[int, int]], mentions: Sequence[SpanMention]
) -> tuple[dict[int, list[SpanMention]], dict[int, int]]:
    """Which piece each mention's opening mark goes before and its closing mark after."""
    opens: dict[int, list[SpanMention]] = {}
    closes: dict[int, int] = {}
    for mention in mentions:
        covered = [i for i, (start, end) in enumerate(offsets) if start < mention.end and end > mention.start]
        if covered:
            opens.setdefault(covered[0], []).append(mention)
            closes[covered[-1]] = closes.get(covered[-1], 0) + 1
    return opens, closes


def padded(batch: Sequence[EncodedSentence]) -> tuple[list[list[int]], list[list[int]]]:
    """Input ids and attention mask of a batch, padded to its longest sentence."""
    width = max(len(item.ids) for item in batch)
    ids = [item.ids + [PAD] * (width - len(item.ids)) for item in batch]
    mask = [[1] * len(item.ids) + [0] * (width - len(item.ids)) for item in batch]
    return ids, mask
