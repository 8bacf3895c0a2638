"""Classify every ordered pair of actors in a sentence: event or not, CAMEO root and code, modality.

One encoder pass per sentence (:mod:`dyadlens.learned.encoding` marks every mention); a pair's
features are the ``[CLS]`` state and the mean states of the source's and the target's opening
marks; a small shared layer feeds three heads (event label, code, modality). The heads are
numpy, the encoder onnxruntime: no torch at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path

import numpy as np
import onnxruntime

from dyadlens.learned.encoding import (
    EVENT_LABELS,
    MODALITY_LABELS,
    EncodedSentence,
    SpanMention,
    encode,
    padded,
)
from dyadlens.learned.graph import BertShape, build_bert
from dyadlens.learned.weights import SHIPPED, Adapter, load_base, load_tokenizer

MINILM = BertShape(layers=6, hidden=384, heads=12)
BATCH = 32


@dataclass(frozen=True)
class PairPrediction:
    source: str
    target: str
    root: str  # the likeliest root, whatever the event score
    code: str
    score: float  # probability that the pair is an event (1 - P(none))
    root_score: float  # probability of that root among the roots
    modality: str
    modality_score: float


def pair_features(hidden: np.ndarray, marks: dict[str, list[int]], source: str, target: str) -> np.ndarray:
    """[CLS] ⊕ mean(source marks) ⊕ mean(target marks) of one sentence's hidden states."""
    return np.concatenate([hidden[0], hidden[marks[source]].mean(axis=0), hidden[marks[target]].mean(axis=0)])


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7): numpy has no erf."""
    sign, x = np.sign(x), np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-x * x)))


def gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU the heads were trained with."""
    return np.asarray(0.5 * x * (1.0 + erf(x / math.sqrt(2.0))), dtype=np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=-1, keepdims=True))


class Heads:
    """The shared layer and the three heads, from an adapter's ``head.*`` tensors."""

    def __init__(self, tensors: dict[str, np.ndarray], codes: Sequence[str]) -> None:
        self.t = tensors
        self.codes = list(codes)
        self.code_roots = np.array([code[:2] for code in self.codes])

    def _linear(self, name: str, x: np.ndarray) -> np.ndarray:
        return np.asarray(x @ self.t[f"{name}.weight"].T + self.t[f"{name}.bias"])

    def __call__(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Probabilities of the event labels, the codes and the modalities, one row per pair."""
        shared = gelu(self._linear("hidden", features))
        return (softmax(self._linear("event", shared)), softmax(self._linear("code", shared)),
                softmax(self._linear("modality", shared)))

    def best_code(self, root: str, code_probabilities: np.ndarray) -> str:
        allowed = self.code_roots == root
        if not allowed.any():
            return root + "0"
        return self.codes[int(np.argmax(np.where(allowed, code_probabilities, -1.0)))]


class PairClassifier:
    """The learned coder's model: load once per process, then :meth:`predict` batches of sentences."""

    def __init__(self, adapter: Adapter, threads: int = 0) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        model = build_bert(adapter.merged(load_base()), MINILM)
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer()
        self.heads = Heads(adapter.heads(), adapter.meta["codes"])
        self.meta = adapter.meta

    @classmethod
    def from_file(cls, path: Path | None = None, threads: int = 0) -> PairClassifier:
        return cls(Adapter.read(path or SHIPPED), threads)

    def encode(self, text: str, mentions: Sequence[SpanMention]) -> EncodedSentence:
        return encode(self.tokenizer, text, mentions)

    def hidden_states(self, batch: Sequence[EncodedSentence]) -> np.ndarray:
        ids, mask = padded(batch)
        inputs = {"input_ids": np.array(ids, dtype=np.int64), "attention_mask": np.array(mask, dtype=np.int64)}
        return np.asarray(self.session.run(["hidden"], inputs)[0])

    def predict(self, sentences: Sequence[tuple[str, Sequence[SpanMention]]]) -> list[list[PairPrediction]]:
        """Every ordered pair of two different actors of each sentence, classified."""
        encoded = [self.encode(text, mentions) for text, mentions in sentences]
        results: list[list[PairPrediction]] = [[] for _ in sentences]
        work = sorted((i for i, e in enumerate(encoded) if len(e.marks) >= 2), key=lambda i: len(encoded[i].ids))
        for offset in range(0, len(work), BATCH):
            chunk = work[offset : offset + BATCH]
            hidden = self.hidden_states([encoded[i] for i in chunk])
            rows = [(row, index, pair) for row, index in enumerate(chunk)
                    for pair in permutations(encoded[index].actors(), 2)]
            features = np.stack([pair_features(hidden[row], encoded[index].marks, *pair) for row, index, pair in rows])
            for (_, index, _), prediction in zip(rows, self._classify([pair for _, _, pair in rows], features),
                                                 strict=True):
                results[index].append(prediction)
        return results

    def _classify(self, pairs: Sequence[tuple[str, str]], features: np.ndarray) -> list[PairPrediction]:
        events, codes, modalities = self.heads(features)
        predictions = []
        for row, (source, target) in enumerate(pairs):
            roots = events[row, 1:]
            best = int(np.argmax(roots))
            root = EVENT_LABELS[best + 1]
            modality = int(np.argmax(modalities[row]))
            predictions.append(PairPrediction(
                source, target, root, self.heads.best_code(root, codes[row]), float(1.0 - events[row, 0]),
                float(roots[best] / max(roots.sum(), 1e-9)), MODALITY_LABELS[modality],
                float(modalities[row, modality])))
        return predictions
