"""One-to-one matching of gold items to system items.

A maximum bipartite matching (augmenting paths), so a greedy first choice can
never cost a match that another assignment would have made. Among the
candidates of a gold item, those listed first are tried first: callers list
preferred pairs (agreeing on modality and date, say) first.
"""

from __future__ import annotations

from collections.abc import Sequence


def maximum_matching(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """``candidates[g]`` = system indices gold item ``g`` may match; returns gold -> system."""
    system_owner: dict[int, int] = {}
    for gold in range(len(candidates)):
        _augment(gold, candidates, system_owner, set())
    return {gold: system for system, gold in system_owner.items()}


def _augment(gold: int, candidates: Sequence[Sequence[int]], owner: dict[int, int], seen: set[int]) -> bool:
    for system in candidates[gold]:
        if system in seen:
            continue
        seen.add(system)
        if system not in owner or _augment(owner[system], candidates, owner, seen):
            owner[system] = gold
            return True
    return False
