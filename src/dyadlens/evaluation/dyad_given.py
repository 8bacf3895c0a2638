"""PLOVER categories with the dyad given, for the rules, the learned model and the hybrid.

The field reports learned coders on the PLOVER gold-standard records with the source and target
given (``../shared/notes/learned-coder.md``), so that choosing the event is measured apart from
finding the actors. For each record with a source and a target, both spans marked as written:

- ``model``: the learned coder's root (and code) for the ordered pair source → target;
- ``rules``: the rule coders' event between the actors dyadlens resolves those spans to, if any
  (a miss counts as a wrong category);
- ``hybrid``: the rules' event when there is one, else the model's.

Scores: accuracy and macro-F1 over the categories of the records (PLOVER 0.5b1 names compared
under the 2021 ones, as ``eval-suite`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dyadlens.evaluation.suites import SuiteCase, plover_category

if TYPE_CHECKING:
    from dyadlens.learned.classifier import PairClassifier
    from dyadlens.resources import Resources

SOURCE, TARGET = "@source", "@target"


@dataclass(frozen=True)
class DyadCase:
    text: str
    sources: tuple[str, ...]  # the source spans as written
    targets: tuple[str, ...]
    category: str


def dyad_cases(cases: Sequence[SuiteCase]) -> list[DyadCase]:
    """One case per record whose first expected event has a source and a target found in its text
    (and not the same words)."""
    found = []
    for case in cases:
        if not case.expected:
            continue
        event = case.expected[0]
        sources = tuple(_spans(event.get("source")))
        targets = tuple(_spans(event.get("target")))
        if sources and targets and not set(sources) & set(targets) and all(
                span in case.text for span in (*sources, *targets)):
            found.append(DyadCase(case.text, sources, targets, plover_category(str(event.get("event")))))
    return found


def _spans(side: Any) -> list[str]:
    return [str(a["actorText"]) for a in side or () if isinstance(a, dict) and a.get("actorText")]


def model_categories(classifier: PairClassifier, cases: Sequence[DyadCase], plover: Callable[[str], str]) -> list[str]:
    from dyadlens.learned.encoding import SpanMention

    inputs = []
    for case in cases:
        mentions = [SpanMention(start, start + len(span), actor)
                    for actor, spans in ((SOURCE, case.sources), (TARGET, case.targets))
                    for span in spans for start in _starts(case.text, span)]
        inputs.append((case.text, mentions))
    categories = []
    for predicted in classifier.predict(inputs):
        pair = next((p for p in predicted if (p.source, p.target) == (SOURCE, TARGET)), None)
        categories.append(plover(pair.code) if pair else "")
    return categories


def _starts(text: str, span: str) -> list[int]:
    starts, at = [], text.find(span)
    while at >= 0:
        starts.append(at)
        at = text.find(span, at + len(span))
    return starts


def rule_categories(resources: Resources, cases: Sequence[DyadCase], plover: Callable[[str], str]) -> list[str]:
    """The rule coders' category for each case's dyad ("" when they code none)."""
    from dyadlens.model import RawInput
    from dyadlens.pipeline import PipelineConfig, build_pipeline

    config = PipelineConfig.default().with_option("learned", "mode", "rules")
    pipeline = build_pipeline(resources, upto="learned", config=config)
    categories = []
    for number, case in enumerate(cases):
        records = pipeline(RawInput(doc_id=f"dyad-{number}", path=f"dyad-{number}", format="txt",
                                    data=case.text.encode("utf-8"), meta={}))
        text = records.document.text
        sides = {side: {m.actor_id for m in records.mentions
                        if any(start < m.end and m.start < start + len(span)
                               for span in spans for start in _starts(text, span))}
                 for side, spans in ((SOURCE, case.sources), (TARGET, case.targets))}
        event = next((e for e in records.events if e.source in sides[SOURCE] and e.target in sides[TARGET]), None)
        categories.append(plover(event.code) if event else "")
    return categories


def scores(gold: Sequence[str], system: Sequence[str]) -> dict[str, float]:
    labels = sorted(set(gold))
    per_label = []
    for label in labels:
        tp = sum(g == s == label for g, s in zip(gold, system, strict=True))
        per_label.append(2 * tp / max(sum(g == label for g in gold) + sum(s == label for s in system), 1))
    return {"accuracy": sum(g == s for g, s in zip(gold, system, strict=True)) / max(len(gold), 1),
            "macro_f1": sum(per_label) / max(len(per_label), 1), "cases": float(len(gold))}


def evaluate_dyad_given(cases: Sequence[SuiteCase], resources: Resources,
                        classifier: PairClassifier) -> dict[str, dict[str, float]]:
    """Accuracy and macro-F1 of the rules, the model and the hybrid, the dyad given."""
    def plover(code: str) -> str:
        try:
            return plover_category(resources.ontology.get(code).plover or "")
        except KeyError:
            return ""

    chosen = dyad_cases(cases)
    gold = [case.category for case in chosen]
    model = model_categories(classifier, chosen, plover)
    rules = rule_categories(resources, chosen, plover)
    hybrid = [r or m for r, m in zip(rules, model, strict=True)]
    return {"rules": scores(gold, rules), "model": scores(gold, model), "hybrid": scores(gold, hybrid)}
