"""Counts behind every figure: true positives, system items, gold items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    system: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.system + other.system, self.gold + other.gold)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "system": self.system,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def as_dict(self) -> dict[str, float | int]:
        return {"accuracy": round(self.value, 4), "correct": self.correct, "total": self.total}


def sum_counts(items: Iterable[Counts]) -> Counts:
    total = Counts()
    for item in items:
        total = total + item
    return total


def sum_accuracy(items: Iterable[Accuracy]) -> Accuracy:
    total = Accuracy()
    for item in items:
        total = total + item
    return total
