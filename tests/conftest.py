"""Shared fixtures.

``../shared`` (the seed corpus and the gold data) sits beside the checkout in
development and in CI; tests that need it skip with a clear reason elsewhere.
Loading spaCy and the KB is costly, so one :class:`Resources` serves the
whole session.

Tests marked ``fast`` (the tier of ``pytest -m fast``, see tests/README.md) run
on hand-built parses (``tests/handmade.py``) and must load no spaCy model: for
each of them :func:`model_guard` makes every way of loading one fail and
records the attempt, so the test fails even where the code swallows the error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from dyadlens.resources import SPACY_MODEL, Resources
from postgres_server import STORE_BACKENDS

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


class ModelGuard:
    """Refuses and records every attempt to load a spaCy model (patched in by :func:`model_guard`)."""

    #: spaCy's loaders: ``spacy.load`` and the ``spacy.util`` functions behind it and behind a
    #: model package's own ``load()``.
    LOADERS = ("load_model", "load_model_from_package", "load_model_from_path", "load_model_from_init_py")

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def refuse(self, name: object = "?", *args: Any, **kwargs: Any) -> Any:
        self.attempts.append(str(name))
        raise AssertionError(f"a fast test tried to load a spaCy model: {name}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import spacy
        import spacy.util

        monkeypatch.setattr(spacy, "load", self.refuse)
        for loader in self.LOADERS:
            monkeypatch.setattr(spacy.util, loader, self.refuse)


@pytest.fixture(autouse=True)
def model_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModelGuard | None]:
    """For a test marked ``fast``: no spaCy model is loaded, and the model package is not imported."""
    if request.node.get_closest_marker("fast") is None:
        yield None
        return
    guard = ModelGuard()
    guard.install(monkeypatch)
    imported_before = SPACY_MODEL in sys.modules
    yield guard
    assert not guard.attempts, f"fast test tried to load a spaCy model: {guard.attempts}"
    assert imported_before or SPACY_MODEL not in sys.modules, f"fast test imported {SPACY_MODEL}"


@pytest.fixture(scope="session")
def model_free_resources() -> Resources:
    """The KB, ontology, verb dictionary and lexicon, with a spaCy pipeline that may not be touched
    (:class:`handmade.ModelFreeResources`; imported here, not above, so that other tiers do not
    import spaCy for it)."""
    from handmade import ModelFreeResources

    return ModelFreeResources()


# Property-based tests: few examples by default; ``make fuzz`` sets HYPOTHESIS_PROFILE=fuzz.
settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("fuzz", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))



# --- both backends: SQLite files and a throwaway PostgreSQL cluster (tests/postgres_server.py) ----


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """One PostgreSQL cluster for the whole session; without PostgreSQL binaries the tests that
    need it skip, unless ``DYADLENS_REQUIRE_POSTGRES=1`` (CI), where they fail."""
    from postgres_server import PostgresServer, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL not installed (no initdb on PATH nor under /usr/lib/postgresql/*/bin)"
        if os.environ.get("DYADLENS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and DYADLENS_REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    server = PostgresServer(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store on each backend: a SQLite file path, or a ``postgresql://`` URL."""
    from postgres_server import new_store_target

    return new_store_target(request, tmp_path, "test.db")


@pytest.fixture()
def corpus_ctx(store_url: str, resources: Resources) -> Iterator[Any]:
    """The hand-written corpus (``analysis_corpus.build_store``) in a new store of each backend, as an analysis
    context with the shipped ontology and KB."""
    from analysis_corpus import build_store
    from dyadlens.analysis.common import AnalysisContext
    from dyadlens.store import open_store

    store = open_store(build_store(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()
