"""``dyadlens kb-check``: load the KB as ingest would and report what it holds and what is wrong with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dyadlens.kb.knowledge_base import AliasCollision, load_kb


@dataclass(frozen=True, slots=True)
class KbCheckReport:
    entities: int
    by_type: dict[str, int]
    files: list[str]
    collisions: list[AliasCollision]
    warnings: list[str]
    agents: int
    #: office and institution patterns (``offices.yaml``)
    offices: int = 0


def kb_check(extra_files: Sequence[str | Path] = ()) -> KbCheckReport:
    """Load and validate the KB with the extra files; raises DataFileError when it is broken."""
    kb = load_kb(extra_files=extra_files)
    by_type = Counter(e.type for e in kb.entities())
    return KbCheckReport(
        len(kb), dict(sorted(by_type.items())), list(kb.files), kb.collisions, kb.warnings, len(kb.agents),
        len(kb.offices),
    )
