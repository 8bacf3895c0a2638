"""The learned coder's gated figures (``learned`` in tests/quality_floors.json).

- on the team's test split (``training/test.jsonl``), pair level, the dyad given: event
  detection F1 at the default threshold, the root's accuracy and macro-F1, the modality's accuracy;
- on the PLOVER gold-standard records (``../shared/eval/plover_gsr``), the dyad given: the
  category's accuracy and macro-F1 for the model and for the hybrid.

``scripts/raise_floors.py --set learned`` measures them and raises the floors.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dyadlens.learned import corpus
from dyadlens.learned.pairs import examples
from dyadlens.learned.scoring import score_classifier

if TYPE_CHECKING:
    from dyadlens.learned.classifier import PairClassifier
    from dyadlens.resources import Resources

TEAM_TEST_METRICS = ("team_test_detection_f1", "team_test_root_accuracy", "team_test_root_macro_f1",
                     "team_test_modality_accuracy")
PLOVER_METRICS = ("plover_dyad_given_model_accuracy", "plover_dyad_given_model_macro_f1",
                  "plover_dyad_given_hybrid_accuracy", "plover_dyad_given_hybrid_macro_f1")


def team_test_values(classifier: PairClassifier, test_split: Path) -> dict[str, float]:
    scores = score_classifier(classifier, examples(corpus.load(test_split), classifier.tokenizer))
    return {
        "team_test_detection_f1": scores["detection"]["f1"],
        "team_test_root_accuracy": scores["root_dyad_given"]["accuracy"],
        "team_test_root_macro_f1": scores["root_dyad_given"]["macro_f1"],
        "team_test_modality_accuracy": scores["modality_accuracy"],
    }


def plover_values(classifier: PairClassifier, cases_path: Path, resources: Resources) -> dict[str, float]:
    from dyadlens.evaluation.dyad_given import evaluate_dyad_given
    from dyadlens.evaluation.suites import PLOVER_SUITE_PREFIX, read_cases

    cases = [case for case in read_cases(cases_path) if case.suite.startswith(PLOVER_SUITE_PREFIX)]
    given = evaluate_dyad_given(cases, resources, classifier)
    return {f"plover_dyad_given_{coder}_{name}": given[coder][name]
            for coder in ("model", "hybrid") for name in ("accuracy", "macro_f1")}
