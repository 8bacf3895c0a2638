"""The CAMEO event ontology, loaded from ``kb/data/cameo.tsv``.

The table's format is documented in the header of the file itself and in
``docs/verb-dictionary.md``. Every row is checked on load: a malformed code, a
root that is not the code's first two digits, a Goldstein value outside
-10..+10, a quad class that does not match the root or a base code without its
root raises :class:`~dyadlens.errors.DataFileError` naming the file and rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

from dyadlens.errors import DataFileError

COLUMNS = ("code", "name", "root", "goldstein", "quad_class", "plover")
_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")
QUAD_CLASS_NAMES = {
    1: "Verbal Cooperation",
    2: "Material Cooperation",
    3: "Verbal Conflict",
    4: "Material Conflict",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None

    @property
    def quad_class_name(self) -> str:
        return QUAD_CLASS_NAMES[self.quad_class]


class Ontology:
    """CAMEO codes by code; ``get`` of an unknown code raises ``KeyError``."""

    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self._codes = dict(codes)

    def get(self, code: str) -> CameoCode:
        return self._codes[code]

    def is_valid(self, code: str) -> bool:
        return code in self._codes

    def roots(self) -> list[CameoCode]:
        return [c for c in self._codes.values() if len(c.code) == 2]

    def children(self, code: str) -> list[CameoCode]:
        """Codes one level below ``code`` (bases of a root, subcodes of a base)."""
        return [c for c in self._codes.values() if c.code.startswith(code) and len(c.code) == len(code) + 1]

    def __iter__(self) -> Iterator[CameoCode]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)


def default_ontology_path() -> Path:
    return Path(str(importlib_resources.files("dyadlens.kb") / "data" / "cameo.tsv"))


def load_ontology(path: Path | None = None) -> Ontology:
    """Read and validate the CAMEO table (the packaged one unless ``path`` is given)."""
    path = path or default_ontology_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    if not rows:
        raise DataFileError(str(path), ["no rows"])
    header, *body = list(csv.reader(rows, delimiter="\t"))
    if tuple(header) != COLUMNS:
        raise DataFileError(str(path), [f"header must be {' | '.join(COLUMNS)}, got {' | '.join(header)}"])
    codes, problems = _parse_rows(body)
    problems.extend(_check_hierarchy(codes))
    if problems:
        raise DataFileError(str(path), problems)
    return Ontology(codes)


def _parse_rows(body: list[list[str]]) -> tuple[dict[str, CameoCode], list[str]]:
    codes: dict[str, CameoCode] = {}
    problems: list[str] = []
    for number, row in enumerate(body, start=1):
        try:
            code = _parse_row(row)
        except ValueError as exc:
            problems.append(f"row {number}: {exc}")
            continue
        if code.code in codes:
            problems.append(f"row {number}: duplicate code {code.code}")
        codes[code.code] = code
    return codes, problems


def _parse_row(row: list[str]) -> CameoCode:
    if len(row) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} columns, got {len(row)}")
    code, name, root, goldstein, quad_class, plover = (cell.strip() for cell in row)
    if not _CODE.match(code):
        raise ValueError(f"bad CAMEO code {code!r}")
    if root != code[:2]:
        raise ValueError(f"code {code}: root {root!r} is not its first two digits")
    if not name:
        raise ValueError(f"code {code}: empty name")
    weight = _float(goldstein, code)
    quad = _quad_class(quad_class, code)
    return CameoCode(code=code, root=root, name=name, goldstein=weight, quad_class=quad, plover=plover or None)


def _float(value: str, code: str) -> float:
    try:
        weight = float(value)
    except ValueError:
        raise ValueError(f"code {code}: goldstein {value!r} is not a number") from None
    if not -10.0 <= weight <= 10.0:
        raise ValueError(f"code {code}: goldstein {weight} outside -10..10")
    return weight


def expected_quad_class(root: str) -> int:
    number = int(root)
    return 1 if number <= 5 else 2 if number <= 9 else 3 if number <= 14 else 4


def _quad_class(value: str, code: str) -> int:
    if value not in {"1", "2", "3", "4"}:
        raise ValueError(f"code {code}: quad_class {value!r} is not 1-4")
    if int(value) != expected_quad_class(code[:2]):
        raise ValueError(f"code {code}: quad_class {value} does not match root {code[:2]}")
    return int(value)


def _check_hierarchy(codes: dict[str, CameoCode]) -> list[str]:
    return [
        f"code {c.code}: parent {c.code[:-1]} missing"
        for c in codes.values()
        if len(c.code) > 2 and c.code[:-1] not in codes
    ]
