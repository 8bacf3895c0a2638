"""Shared fixtures.

``../shared`` (the seed corpus and the gold data) sits beside the checkout in
development and in CI; tests that need it skip with a clear reason elsewhere.
Loading spaCy and the KB is costly, so one :class:`Resources` serves the
whole session.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DYADLENS_SHARED", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "seeds"


@pytest.fixture(scope="session")
def gold_file(shared_dir: Path) -> Path:
    return shared_dir / "eval" / "seeds.gold.jsonl"


@pytest.fixture(scope="session")
def resources() -> Resources:
    return Resources()


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples" / "corpus"


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


# Property-based tests: few examples by default; ``make fuzz`` sets HYPOTHESIS_PROFILE=fuzz.
settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("fuzz", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
