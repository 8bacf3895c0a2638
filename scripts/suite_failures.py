"""Group the failures of a peer suite (``eval-suite``) by cause, with the sentences.

    PYTHONPATH=src .venv/bin/python scripts/suite_failures.py ../shared/eval/petrarch/cases.jsonl \
        [--suite petrarch2_unittest] [--show 5] [--packaged-verbs] [--json]

Each case is coded as ``eval-suite`` codes it; after the exact one-to-one matching, every
expected triple left over is paired with a left-over system triple when they differ in one
part only, and counted under that part:

- ``wrong source (sector)`` / ``wrong target (sector)``: same country part, other sectors;
- ``wrong source`` / ``wrong target``: another actor (or none, ``---``);
- ``wrong code`` (same CAMEO root) / ``wrong root``: right dyad, other event code;
- ``missing event``: nothing comparable coded; ``extra event``: a system triple left over.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dyadlens.evaluation import suites
from dyadlens.evaluation.suites import Triple
from dyadlens.resources import Resources


def differences(expected: Triple, system: Triple) -> list[str]:
    """The parts in which two triples differ, named the way the report groups them."""
    names = []
    for index, side in ((0, "source"), (1, "target")):
        if expected[index] != system[index]:
            same_country = expected[index][:3] == system[index][:3] != suites.NO_ACTOR
            names.append(f"wrong {side} (sector)" if same_country else f"wrong {side}")
    if expected[2] != system[2]:
        names.append("wrong code" if expected[2][:2] == system[2][:2] else "wrong root")
    return names


def classify(expected: list[Triple], system: list[Triple]) -> list[tuple[str, str]]:
    """(cause, detail) for every expected or system triple the exact matching leaves over."""
    left_expected, left_system = list(expected), list(system)
    for triple in list(left_expected):
        if triple in left_system:
            left_expected.remove(triple)
            left_system.remove(triple)
    causes: list[tuple[str, str]] = []
    for distance in (1, 2):
        for want in list(left_expected):
            for got in left_system:
                diff = differences(want, got)
                if len(diff) == distance:
                    causes.append((" + ".join(diff), f"want {want} got {got}"))
                    left_expected.remove(want)
                    left_system.remove(got)
                    break
    causes += [("missing event", f"want {want}") for want in left_expected]
    causes += [("extra event", f"got {got}") for got in left_system]
    return causes


def expected_triples(case: suites.SuiteCase) -> list[Triple]:
    return [
        (str(e.get("source") or suites.NO_ACTOR), str(e.get("target") or suites.NO_ACTOR), str(e.get("event")))
        for e in case.expected
    ]


def suite_coder(name: str, cases_path: Path, own_verbs_only: bool) -> Callable[[suites.SuiteCase], list[Triple]]:
    def make_resources(kb_files: Sequence[Path], verb_files: Sequence[Path]) -> Resources:
        return Resources(kb_files=tuple(kb_files), verb_files=tuple(verb_files))

    notes: list[str] = []
    kb_files, verb_files = suites._suite_dictionaries(name, cases_path.parent / "dictionaries")
    resources = suites._suite_resources(make_resources, kb_files, verb_files, own_verbs_only, notes)
    return suites._suite_coder(name, resources, notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path)
    parser.add_argument("--suite", default=suites.PETRARCH_UNITTEST)
    parser.add_argument("--show", type=int, default=5, help="sentences shown per group")
    parser.add_argument("--packaged-verbs", action="store_true", help="as eval-suite --packaged-verbs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cases = [c for c in suites.read_cases(args.cases) if c.suite == args.suite]
    coder = suite_coder(args.suite, args.cases, own_verbs_only=not args.packaged_verbs)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        for cause, detail in classify(expected_triples(case), coder(case)):
            groups[cause].append({"id": case.id, "detail": detail, "text": case.text})
    if args.json:
        print(json.dumps(groups, indent=1))
        return
    sizes = Counter({cause: len(rows) for cause, rows in groups.items()})
    for cause, size in sizes.most_common():
        print(f"\n## {cause}: {size}")
        for row in groups[cause][: args.show]:
            print(f"  {row['id']}: {row['detail']}\n      {row['text'][:160]}")


if __name__ == "__main__":
    main()
