"""Reliability of ingest: nothing stored is replaced by accident, one bad input
never ends the batch, metadata is bounded, impossible dates cost only the date.

Every input here is written by the test at run time; no binary fixture is committed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.cli.ingest_progress import _count_inputs
from dyadlens.errors import StoreError
from dyadlens.ingest.meta import FIELD_LIMITS, parse_date, read_front_matter
from dyadlens.runner import PipelineSpec, ingest
from dyadlens.store import Store, open_store

SPEC = PipelineSpec(upto="sentences")

GOOD_TEXT = "Trade envoys met in Nairobi on Monday. They agreed to cut tariffs on tea.\n"
OTHER_TEXT = "The border commission met twice in June. Both sides sent surveyors.\n"

#: Nested YAML aliases: a few hundred bytes that expand to about 10^6 strings once turned into text.
ALIAS_BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "title: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "---\n"
    "Ministers of both states met again in Geneva.\n"
)


@pytest.fixture()
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- no silent replacement ------------------------------------------------------------


def test_same_file_name_in_two_folders_keeps_both_documents(tmp_path: Path, store: Store) -> None:
    first = write(tmp_path / "2023" / "article.txt", GOOD_TEXT)
    second = write(tmp_path / "2024" / "article.txt", OTHER_TEXT)
    ingest([tmp_path / "2023"], store, SPEC)
    report = ingest([tmp_path / "2024"], store, SPEC)
    assert report.ok
    [moved] = report.stored
    assert moved.startswith("article~") and moved != "article"
    assert report.warnings and "stored as" in report.warnings[0][1]
    kept, added = store.document("article"), store.document(moved)
    assert kept is not None and kept.text == GOOD_TEXT and kept.path == str(first)
    assert added is not None and added.text == OTHER_TEXT and added.path == str(second)


def test_rerun_over_colliding_names_is_idempotent(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "corpus" / "a" / "index.html.txt", GOOD_TEXT)
    write(tmp_path / "corpus" / "b" / "index.html.txt", OTHER_TEXT)
    first = ingest([tmp_path / "corpus"], store, SPEC)
    again = ingest([tmp_path / "corpus"], store, SPEC)
    assert len(first.stored) == 2 and first.ok
    assert again.stored == [] and sorted(again.skipped) == sorted(first.stored) and again.ok
    assert len(store.document_ids()) == 2


def test_same_content_under_another_path_is_not_stored_twice(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "corpus" / "a" / "brief.txt", GOOD_TEXT)
    write(tmp_path / "corpus" / "b" / "brief.txt", GOOD_TEXT)
    report = ingest([tmp_path / "corpus"], store, SPEC)
    assert report.stored == ["brief"] and report.skipped == ["brief"]
    assert store.document_ids() == ["brief"]


def test_edited_file_is_refused_without_replace_and_updated_with_it(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path / "brief.txt", GOOD_TEXT)
    ingest([path], store, SPEC)
    write(path, OTHER_TEXT)
    refused = ingest([path], store, SPEC)
    assert [f.reason for f in refused.failed] == [
        "changed since it was stored as 'brief'; pass --replace to update the stored document"
    ]
    unchanged = store.document("brief")
    assert unchanged is not None and unchanged.text == GOOD_TEXT
    replaced = ingest([path], store, SPEC, replace=True)
    assert replaced.stored == ["brief"] and replaced.ok
    updated = store.document("brief")
    assert updated is not None and updated.text == OTHER_TEXT
    assert store.document_ids() == ["brief"]


def test_one_id_twice_in_one_run_keeps_both(tmp_path: Path, store: Store) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": "wire-1", "text": GOOD_TEXT}, {"id": "wire-1", "text": OTHER_TEXT}]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = ingest([feed], store, SPEC)
    assert report.stored[0] == "wire-1" and report.stored[1].startswith("wire-1~")
    texts = {doc_id: store.document(doc_id).text for doc_id in report.stored}  # type: ignore[union-attr]
    assert sorted(texts.values()) == sorted([GOOD_TEXT, OTHER_TEXT])


def test_store_refuses_to_overwrite_other_content_unless_asked(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path / "brief.txt", GOOD_TEXT)
    ingest([path], store, SPEC)
    original = store.load_records("brief")
    assert original is not None
    other = SPEC.build()(_raw(path, OTHER_TEXT))
    with pytest.raises(StoreError, match="already holds other content"):
        store.write(other)
    assert store.document("brief").text == GOOD_TEXT  # type: ignore[union-attr]
    assert store.write(other, replace=True).replaced


def _raw(path: Path, text: str):  # type: ignore[no-untyped-def]
    from dyadlens.model import RawInput

    return RawInput(doc_id="brief", path=str(path), format="txt", data=text.encode("utf-8"))


# --- metadata limits and dates --------------------------------------------------------


def test_yaml_alias_bomb_is_refused_and_the_document_kept(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path / "bomb.md", ALIAS_BOMB)
    report = ingest([path], store, SPEC)
    assert report.stored == ["bomb"]
    assert any("aliases are not accepted" in text for _, text in report.warnings)
    stored = store.document("bomb")
    assert stored is not None and (stored.title is None or len(stored.title) <= FIELD_LIMITS["title"])
    assert os.path.getsize(tmp_path / "test.db") < 2_000_000


def test_front_matter_values_that_are_not_text_are_refused() -> None:
    front = read_front_matter("---\ntitle: {nested: [1, 2]}\nauthor: [Ana Lima, Ben Okafor]\n---\nBody.\n")
    assert front.fields == {"author": "Ana Lima, Ben Okafor"}
    assert front.warnings == ("front matter field 'title' is not text (dict); ignored",)


def test_long_metadata_is_cut_at_its_limit_with_a_warning(tmp_path: Path, store: Store) -> None:
    feed = tmp_path / "feed.jsonl"
    record = {"id": "long", "title": "Talks " * 500, "text": GOOD_TEXT, "notes": "x" * 50_000}
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = ingest([feed], store, SPEC)
    stored = store.document("long")
    assert stored is not None and stored.title is not None
    assert len(stored.title) == FIELD_LIMITS["title"] and stored.title.endswith("…")
    assert "notes" not in stored.meta
    warned = [text for _, text in report.warnings]
    assert any(text.startswith("title over") for text in warned)
    assert any("'notes'" in text and "dropped" in text for text in warned)


@pytest.mark.parametrize("value", ["31 June 2024", "2024-02-30", "30 February 2023", "2023-11-31"])
def test_impossible_dates_are_not_dates(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["29 February 2024", "2024-02-29", "30 June 2024", "2023-12-31"])
def test_real_dates_still_parse(value: str) -> None:
    assert parse_date(value) is not None


def test_impossible_metadata_dates_cost_only_the_date(tmp_path: Path, resources: object) -> None:
    write(tmp_path / "corpus" / "byline.txt", "Summit ends\nBy Jane Doe | 31 June 2024\n\n" + GOOD_TEXT)
    write(tmp_path / "corpus" / "front.md", "---\ntitle: Talks\ndate: 2024-13-01\n---\n" + GOOD_TEXT)
    write(tmp_path / "corpus" / "sidecar" / "memo.txt", OTHER_TEXT)
    write(tmp_path / "corpus" / "sidecar" / "meta.jsonl", '{"file": "memo.txt", "published": "2024-02-30"}\n')
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "d.db"), "ingest", str(tmp_path / "corpus")])
    assert result.exit_code == 0, result.output
    assert "front.md: front matter date '2024-13-01' is not a valid date; ignored" in result.output
    assert "memo.txt: published date '2024-02-30' is not a valid date; ignored" in result.output
    with open_store(tmp_path / "d.db") as store:
        assert sorted(store.document_ids()) == ["byline", "front", "memo"]
        assert all(store.document(i).published is None for i in store.document_ids())  # type: ignore[union-attr]


# --- the progress bar's count -----------------------------------------------------------


def test_counting_inputs_for_the_progress_bar_never_fails(tmp_path: Path) -> None:
    (tmp_path / "folder.jsonl").mkdir()
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    write(tmp_path / "feed.jsonl", '{"text": "a"}\n\n{"text": "b"}\n')
    paths = (str(tmp_path / "folder.jsonl"), str(tmp_path / "gone.jsonl"), str(tmp_path / "feed.jsonl"))
    assert _count_inputs(paths) == 0 + 1 + 2  # an empty folder, a dangling link, two records


def test_a_text_over_the_character_limit_is_refused_and_the_batch_goes_on(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "corpus" / "long.txt", "The talks went on through the night. " * 50)
    write(tmp_path / "corpus" / "short.txt", GOOD_TEXT)
    spec = PipelineSpec(upto="sentences", max_chars=1000)
    report = ingest([tmp_path / "corpus"], store, spec)
    assert report.stored == ["short"]
    assert [f.reason for f in report.failed] == ["text too long: 1,850 characters (limit 1,000; see --max-chars)"]
