"""The benchmarks' synthetic store generator (``benchmarks/synthetic.py``) for the tests: many dyads over many
years, busy pairs, clusters told 1-5 times with ties, standing facts; deterministic for a seed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).parents[1] / "benchmarks/synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = sys.modules.setdefault("synthetic", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(synthetic)
    return synthetic


def synthetic_store(target: str | Path, documents: int, *, seed: int, actors: int, chunk: int = 200) -> str:
    """A new synthetic store of ``documents`` documents at ``target`` (a SQLite path or a database URL)."""
    _generator().generate(str(target), documents, seed=seed, actors=actors, chunk=chunk, progress=False)
    return str(target)
