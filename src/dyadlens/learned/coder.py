"""The learned coder as a pipeline stage: ``rules``, ``model`` or ``hybrid`` (docs/learned-coder.md).

It runs after the rule coders (events, gatherings, event context) and reads every analysed
sentence with two or more resolved actors. Each ordered pair of them is classified by
:class:`~dyadlens.learned.classifier.PairClassifier`; then, by ``mode``:

- ``rules``: nothing changes (the rule coders' events stand);
- ``model``: the rule coders' events are replaced by the model's (a pair is an event when its
  score reaches ``threshold``);
- ``hybrid``: the rules' events stand, except those the model scores under ``veto``; where the
  rules coded nothing, the model's pairs scored ``threshold`` or more become events. ``fill``
  says what "nothing" means: ``pair`` (the pair, in either direction) or ``sentence`` (the
  whole sentence).

Every event says which coder made it (``coder``) and its score (``confidence``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dyadlens.learned.encoding import SpanMention
from dyadlens.model import Event, Sentence, stable_id
from dyadlens.nlp.dates import timeline_of
from dyadlens.nlp.offsets import token_span
from dyadlens.state import DocState, by_sentence

if TYPE_CHECKING:
    from dyadlens.learned.classifier import PairClassifier, PairPrediction
    from dyadlens.resources import Resources

MODES = ("rules", "model", "hybrid")
Pair = tuple[int, str | None, str | None]  # sentence index, source, target
FILLS = ("pair", "sentence")
_CLASSIFIERS: dict[tuple[str, int], PairClassifier] = {}


def shared_classifier(weights: str | None, threads: int = 0) -> PairClassifier:
    """One classifier per weights file and process: the graph is built once (about a second)."""
    from dyadlens.learned.classifier import PairClassifier

    key = (weights or "", threads)
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = PairClassifier.from_file(Path(weights) if weights else None, threads)
    return _CLASSIFIERS[key]


class LearnedCoder:
    name = "learned"

    def __init__(self, resources: Resources, mode: str = "hybrid", threshold: float = 0.5,
                 veto: float = 0.0, fill: str = "pair", weights: str | None = None, threads: int = 0) -> None:
        if mode not in MODES:
            raise ValueError(f"learned.mode {mode!r}: expected one of {', '.join(MODES)}")
        if fill not in FILLS:
            raise ValueError(f"learned.fill {fill!r}: expected one of {', '.join(FILLS)}")
        self.mode, self.threshold, self.veto, self.fill = mode, float(threshold), float(veto), fill
        self.weights, self.threads = weights, int(threads)
        #: the mode, the settings and the weights' hash: another coder reprocesses stored inputs
        self.version = "1:rules" if mode == "rules" else f"1:{mode}:{threshold}:{veto}:{fill}:{self._weights_hash()}"

    def _weights_hash(self) -> str:
        from dyadlens.learned.weights import SHIPPED, sha256_of

        return sha256_of(Path(self.weights) if self.weights else SHIPPED)[:12]

    def __call__(self, state: DocState) -> None:
        if self.mode == "rules":
            return
        sentences, inputs = self._candidates(state, self._settled(state))
        predictions = shared_classifier(self.weights, self.threads).predict(inputs) if inputs else []
        by_index = {s.index: found for s, found in zip(sentences, predictions, strict=True)}
        if self.mode == "model":
            state.events = [self._event(state, s, p) for s in sentences for p in by_index[s.index]
                            if p.score >= self.threshold]
        else:
            state.events = self._hybrid(state, sentences, by_index)

    def _settled(self, state: DocState) -> set[int]:
        """Sentences the model need not read: in a hybrid that fills only sentences the rules left
        empty and vetoes nothing, those where the rules coded an event."""
        if self.mode == "hybrid" and self.fill == "sentence" and self.veto <= 0.0:
            return {event.sentence_index for event in state.events}
        return set()

    def _candidates(
        self, state: DocState, settled: set[int]
    ) -> tuple[list[Sentence], list[tuple[str, Sequence[SpanMention]]]]:
        """Analysed sentences with two or more resolved actors, and their mentions in sentence offsets.
        Footnotes (a reference list's titles are not events) are skipped, as the rule coder skips them."""
        mentions = by_sentence(state.mentions)
        sentences: list[Sentence] = []
        inputs: list[tuple[str, Sequence[SpanMention]]] = []
        for sentence in state.analysed_sentences():
            if sentence.kind == "footnote" or sentence.index in settled:
                continue
            spans = [SpanMention(m.start - sentence.start, m.end - sentence.start, m.actor_id)
                     for m in mentions.get(sentence.index, []) if m.actor_id is not None]
            if len({span.actor for span in spans}) >= 2:
                sentences.append(sentence)
                inputs.append((state.sentence_text(sentence), spans))
        return sentences, inputs

    def _hybrid(self, state: DocState, sentences: list[Sentence],
                by_index: dict[int, list[PairPrediction]]) -> list[Event]:
        scores: dict[Pair, float] = {(i, p.source, p.target): p.score for i, found in by_index.items() for p in found}
        found = [self._event(state, s, p) for s in sentences for p in by_index[s.index] if p.score >= self.threshold]
        return combine(state.events, scores, found, self.veto, self.fill)

    def _event(self, state: DocState, sentence: Sentence, found: PairPrediction) -> Event:
        span = state.sentence_span(sentence.index)
        trigger = span.root if span is not None else None
        start, end = token_span(trigger) if trigger is not None else (sentence.start, sentence.start)
        date = timeline_of(state).date_for(sentence.index, None, found.modality)
        return Event(
            id=stable_id(state.document.id, sentence.start, sentence.end, "learned", found.source, found.target,
                         found.code),
            doc_id=state.document.id, start=sentence.start, end=sentence.end, sentence_index=sentence.index,
            trigger_start=start, trigger_end=end, source=found.source, target=found.target, code=found.code,
            modality=found.modality, date=date.value, date_start=date.start, date_end=date.end,
            date_rule=date.rule, entry="model", route="pair", confidence=round(found.score, 4), coder="model",
        )



def combine(rule_events: Sequence[Event], scores: Mapping[Pair, float], model_events: Sequence[Event],
            veto: float, fill: str) -> list[Event]:
    """The hybrid's events: the rules' events but those whose pair the model scored (``scores``)
    under ``veto``, then the model's events where the rules coded nothing: the pair in either
    direction (``fill = "pair"``) or anything in the sentence (``fill = "sentence"``)."""
    kept = [e for e in rule_events if scores.get((e.sentence_index, e.source, e.target), 1.0) >= veto]
    coded_pairs = {(e.sentence_index, frozenset((e.source, e.target))) for e in rule_events}
    coded_sentences = {e.sentence_index for e in rule_events}

    def covered(event: Event) -> bool:
        if fill == "sentence":
            return event.sentence_index in coded_sentences
        return (event.sentence_index, frozenset((event.source, event.target))) in coded_pairs

    return [*kept, *(e for e in model_events if not covered(e))]
