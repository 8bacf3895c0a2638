"""Mapping actor names onto the canonical names of ``actors.tsv``.

``actors.tsv`` has a header line and three tab-separated columns: canonical
name, type, aliases (semicolon separated). A name is mapped to the canonical
name whose canonical name or alias equals it, compared case-insensitively
after collapsing whitespace; a canonical name wins over another row's alias.
A name that maps to nothing stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dyadlens.errors import InputError

_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Case- and whitespace-insensitive lookup key (no-break spaces count as spaces)."""
    return _SPACE.sub(" ", name).strip().casefold()


@dataclass(frozen=True)
class ActorNames:
    """Canonical names by lookup key, and the set of canonical names."""

    by_key: dict[str, str]
    canonical_names: frozenset[str]

    def canonical(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.by_key.get(name_key(name), name)

    def is_canonical_name(self, name: str) -> bool:
        return name_key(name) in {name_key(n) for n in self.canonical_names}


def identity_names() -> ActorNames:
    """No mapping at all: every name stays as it is."""
    return ActorNames(by_key={}, canonical_names=frozenset())


def default_actors_path() -> Path:
    """``../shared/eval/actors.tsv`` relative to the current working directory."""
    return Path.cwd().parent / "shared" / "eval" / "actors.tsv"


def load_actor_names(path: Path) -> ActorNames:
    """Read ``actors.tsv``; a missing file or malformed row raises ``InputError``."""
    if not path.is_file():
        raise InputError(str(path), "actors table not found (pass --actors PATH to the canonical actors.tsv)")
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    canonical: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if not row.strip():
            continue
        cells = row.split("\t")
        if len(cells) < 2 or not cells[0].strip():
            raise InputError(str(path), f"line {number}: expected name<TAB>type<TAB>aliases")
        name = cells[0].strip()
        canonical.setdefault(name_key(name), name)
        for alias in (cells[2] if len(cells) > 2 else "").split(";"):
            if alias.strip():
                aliases.setdefault(name_key(alias), name)
    return ActorNames(by_key={**aliases, **canonical}, canonical_names=frozenset(canonical.values()))
