"""The one rule that turns what an analyst types into an actor id, and every way in using it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner, Result

from dyadlens.analysis.actors import AmbiguousActorError, UnknownActorError, resolve_actor
from dyadlens.cli import main
from dyadlens.kb.knowledge_base import KnowledgeBase, load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.model import ActorRef, Document, DocumentRecords, Event, Sentence, stable_id
from dyadlens.store import Store, open_store
from dyadlens.web.app import WebApp

#: A canonical name that is also another actor's alias, and an alias two actors share.
EXTRA_KB = """\
- id: russian-bloc
  name: Russian Bloc
  type: movement
  aliases: [Russia]
- id: taliban-splinter
  name: Taliban Splinter Group
  type: armed_group
  aliases: [Islamic Emirate of Afghanistan]
"""
TEXT = "Russia hosted the Velmora Foundation. The Orion Group met Russia."
ACTORS = [
    ActorRef("russia", "Russia", "state"),
    ActorRef("unresolved:velmora-foundation", "Velmora Foundation", "organization", resolved=False),
    ActorRef("unresolved:orion-group", "Orion Group", "organization", resolved=False),
    ActorRef("imported:orion-group", "Orion Group", "organization", resolved=False),
]


def _records() -> DocumentRecords:
    first = TEXT.split(". ")[0]
    spans = [(0, len(first) + 1), (len(first) + 2, len(TEXT))]
    sentences = [Sentence(stable_id("d", i), "d", i, start, end, i) for i, (start, end) in enumerate(spans)]
    pairs = [("russia", "unresolved:velmora-foundation"), ("unresolved:orion-group", "russia")]
    events = [
        Event(stable_id("d", "e", i), "d", start, end, i, start, start + 6, source, target, "043", "asserted",
              date=f"2024-0{i + 1}")
        for i, ((start, end), (source, target)) in enumerate(zip(spans, pairs, strict=True))
    ]
    document = Document("d", "d.txt", "txt", TEXT, published="2024-05-01", content_hash="d", fingerprint="d")
    return DocumentRecords(document=document, sentences=sentences, actors=ACTORS, events=events)


@pytest.fixture(scope="module")
def kb_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "extra.yaml"
    path.write_text(EXTRA_KB, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb(kb_file: Path) -> KnowledgeBase:
    return load_kb(extra_files=[kb_file])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "names.db"
    with open_store(path) as store:
        store.write(_records())
    return path


@pytest.fixture()
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as opened:
        yield opened


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("russia", "russia"),  # 1. an exact id
        ("unresolved:velmora-foundation", "unresolved:velmora-foundation"),
        ("RUSSIA", "russia"),  # 2. a canonical name, before russian-bloc's alias "Russia"
        ("Russian Federation", "russia"),  # 3. an alias
        (" velmora foundation ", "unresolved:velmora-foundation"),  # 4. a stored name
        ("Velmora-Foundation", "unresolved:velmora-foundation"),  # ... or the unresolved id its words make
    ],
)
def test_the_first_step_that_matches_decides(store: Store, kb: KnowledgeBase, text: str, expected: str) -> None:
    assert resolve_actor(store, kb, text) == expected


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Islamic Emirate of Afghanistan", "taliban (Taliban), taliban-splinter (Taliban Splinter Group)"),
        ("Bush", "george-h-w-bush (George H. W. Bush), george-w-bush (George W. Bush)"),
        ("orion group", "imported:orion-group (Orion Group), unresolved:orion-group (Orion Group)"),
    ],
)
def test_an_ambiguous_name_lists_its_candidates(store: Store, kb: KnowledgeBase, text: str, candidates: str) -> None:
    with pytest.raises(AmbiguousActorError, match=re.escape(f"ambiguous actor name '{text}': it names {candidates};")):
        resolve_actor(store, kb, text)


def test_an_unknown_name_is_an_error(store: Store, kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownActorError, match="no actor named 'Atlantis'"):
        resolve_actor(store, kb, "Atlantis")


def _run(db: Path, kb_file: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), "--kb", str(kb_file), "--json", *args])


def _web_dyad(db: Path, kb: KnowledgeBase, a: str, b: str) -> dict[str, str]:
    with open_store(db, read_only=True) as store:
        app = WebApp(store, load_ontology(), kb)
        environ = {"PATH_INFO": f"/api/dyad/{a}/{b}", "REQUEST_METHOD": "GET"}
        setup_testing_defaults(environ)
        payload: dict[str, str] = json.loads(b"".join(app(environ, lambda status, headers: None)))
    return payload


@pytest.mark.parametrize(
    ("name", "side"),
    [("Russia", "source"), ("russia", "source"), ("Russian Federation", "source"), ("velmora foundation", "target")],
)
def test_events_timeline_and_the_web_resolve_a_name_to_the_same_actor(
    db: Path, kb_file: Path, kb: KnowledgeBase, name: str, side: str
) -> None:
    events = _run(db, kb_file, "events", f"--{side}", name)
    timeline = _run(db, kb_file, "timeline", name, "unresolved:orion-group")
    assert events.exit_code == 0 and timeline.exit_code == 0, events.output + timeline.output
    chosen = json.loads(timeline.output)["a"]
    assert {row[side] for row in json.loads(events.output)} == {chosen}
    assert _web_dyad(db, kb, name, "unresolved:orion-group")["a"] == chosen


def test_events_and_timeline_refuse_an_ambiguous_alias_alike(db: Path, kb_file: Path) -> None:
    name = "Islamic Emirate of Afghanistan"
    events = _run(db, kb_file, "events", "--source", name)
    timeline = _run(db, kb_file, "timeline", name, "russia")
    assert events.exit_code == timeline.exit_code == 1
    assert events.output == timeline.output
    assert "taliban (Taliban), taliban-splinter (Taliban Splinter Group)" in events.output
