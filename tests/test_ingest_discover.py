"""Discovery: files, folders, JSON lines, sidecar metadata, standard input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dyadlens.ingest.discover import discover, sniff_format
from dyadlens.ingest.readers import read_document
from dyadlens.model import Failure, RawInput


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def inputs(items: list[RawInput | Failure]) -> list[RawInput]:
    return [i for i in items if isinstance(i, RawInput)]


def failures(items: list[RawInput | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second file.")
    write(tmp_path / "a.md", "# First\n\nFile.")
    write(tmp_path / "sub" / "c.html", "<html><body><p>Third.</p></body></html>")
    write(tmp_path / ".hidden.txt", "skipped")
    found = inputs(list(discover([tmp_path])))
    assert [(r.doc_id, r.format) for r in found] == [("a", "md"), ("b", "txt"), ("c", "html")]
    assert found[0].data == b"# First\n\nFile."


def test_symlink_cycle_is_walked_once(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "a.txt", "Text.")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [r.doc_id for r in inputs(list(discover([tmp_path])))] == ["a"]


def test_discovery_is_deterministic(tmp_path: Path) -> None:
    for name in ("z.txt", "m.txt", "a.txt"):
        write(tmp_path / name, name)
    assert list(discover([tmp_path])) == list(discover([tmp_path]))


def test_sidecar_supplies_meta_and_is_not_a_document(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", "A title\n\nThe body.")
    write(tmp_path / "other.txt", "Other title\n\nOther body.")
    rows = [
        {"file": "story.txt", "title": "Sidecar title", "author": "Ana Writer", "published": "2021-08", "outlet": None},
        {"id": "other", "kind": "op-ed"},
    ]
    write(tmp_path / "meta.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    found = {r.doc_id: r for r in inputs(list(discover([tmp_path])))}
    assert set(found) == {"story", "other"}
    expected = {"file": "story.txt", "title": "Sidecar title", "author": "Ana Writer", "published": "2021-08"}
    assert found["story"].meta == expected
    assert found["other"].meta["kind"] == "op-ed"
    document = read_document(found["story"])
    assert (document.title, document.author, document.published) == ("Sidecar title", "Ana Writer", "2021-08")
    assert document.published_source == "sidecar"


def test_sidecar_applies_when_a_single_file_is_named(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", "Body text.")
    write(tmp_path / "meta.jsonl", json.dumps({"id": "custom-id", "file": "story.txt", "title": "T"}) + "\n")
    [found] = list(discover([story]))
    assert isinstance(found, RawInput)
    assert found.doc_id == "custom-id" and found.meta["title"] == "T"


def test_broken_sidecar_row_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", "Body text.")
    write(tmp_path / "meta.jsonl", '{"file": "story.txt", "title": "ok"}\nnot json\n')
    items = list(discover([tmp_path]))
    assert [f.path for f in failures(items)] == [f"{tmp_path / 'meta.jsonl'}:2"]
    assert inputs(items)[0].meta["title"] == "ok"


def test_jsonl_gives_one_input_per_line_and_a_failure_for_a_broken_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r1", "title": "One", "published": "2024-10", "text": "First record."}),
        '{"id": "r2", "text": "unterminated',
        "",
        json.dumps({"title": "No id", "text": "Third record."}),
        json.dumps({"id": "r4", "title": "No text"}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    items = list(discover([path]))
    found = inputs(items)
    assert [(r.doc_id, r.path, r.format) for r in found] == [
        ("r1", f"{path}:1", "json"),
        ("batch-4", f"{path}:4", "json"),
    ]
    assert found[0].data == b"First record."
    assert found[0].meta == {"id": "r1", "title": "One", "published": "2024-10"}
    problems = {f.path: f.reason for f in failures(items)}
    assert set(problems) == {f"{path}:2", f"{path}:5"}
    assert "broken JSON line" in problems[f"{path}:2"]
    assert "no 'text'" in problems[f"{path}:5"]


def test_json_file_with_a_list_of_records(tmp_path: Path) -> None:
    path = write(tmp_path / "two.json", json.dumps([{"id": "x", "text": "One."}, {"text": "Two."}]))
    found = inputs(list(discover([path])))
    assert [r.doc_id for r in found] == ["x", "two-2"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("notes.xyz", "unsupported file type .xyz"), ("README", "unsupported file type (no extension)")],
)
def test_unknown_extension_is_a_failure(tmp_path: Path, name: str, reason: str) -> None:
    write(tmp_path / name, "text")
    [item] = list(discover([tmp_path]))
    assert isinstance(item, Failure) and item.reason == reason


def test_oversized_file_is_a_failure_and_the_rest_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "x" * 500)
    write(tmp_path / "small.txt", "tiny")
    items = list(discover([tmp_path], max_bytes=100))
    assert [r.doc_id for r in inputs(items)] == ["small"]
    [failure] = failures(items)
    assert failure.path.endswith("big.txt") and "too large" in failure.reason


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    [item] = list(discover([tmp_path / "nope.txt"]))
    assert isinstance(item, Failure) and "no such file" in item.reason


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', "jsonl"),
        (b"<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
        (b"  <p>A fragment</p>", "html"),
        (b"%PDF-1.4\n...", "pdf"),
        (b"{not json at all} but prose", "txt"),
        (b"Plain words < and > signs.", "txt"),
    ],
)
def test_sniff_format(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt


def test_stdin_jsonl_and_text(tmp_path: Path) -> None:
    stream = io.BytesIO(b'{"id": "s1", "text": "From a pipe."}\n{"id": "s2", "text": "Again."}\n')
    assert [r.doc_id for r in inputs(list(discover(["-"], stdin=stream)))] == ["s1", "s2"]
    [item] = list(discover(["-"], stdin=io.BytesIO(b"Just some text.\n")))
    assert isinstance(item, RawInput)
    assert item.format == "txt" and item.path == "<stdin>" and item.doc_id.startswith("stdin-")


def test_stdin_over_the_limit_is_a_failure() -> None:
    [item] = list(discover(["-"], max_bytes=10, stdin=io.BytesIO(b"x" * 50)))
    assert isinstance(item, Failure) and "too large" in item.reason
