"""Exceptions raised by dyadlens.

    DyadlensError
    ├── InputError        one input cannot be read or processed (names the file)
    ├── DataFileError     a KB, ontology or dictionary file is malformed
    └── StoreError        the store cannot be opened, migrated or written
"""

from __future__ import annotations


class DyadlensError(Exception):
    """Base class of every error dyadlens raises on purpose."""


class InputError(DyadlensError):
    """An input that cannot be processed; the batch goes on without it."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class DataFileError(DyadlensError):
    """A data file (KB, ontology, verb dictionary) that fails validation."""

    def __init__(self, path: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{path}: {shown}{more}")
        self.path = path
        self.problems = problems


class StoreError(DyadlensError):
    """The store cannot be opened, migrated or written."""
