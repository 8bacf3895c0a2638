"""A corpus of bad inputs, built at run time, ingested in one batch beside good ones.

For the whole batch: one clear ``failed:`` line per bad input naming it, every
good input stored, exit status 1, the integrity check clean, and nothing that
was stored before lost or changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.store import open_store

ARTICLE = "Trade envoys met in Nairobi on Monday. They agreed to cut tariffs on tea.\n"
MAX_BYTES = 300_000

pytestmark = pytest.mark.slow


def _pdf(user_password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "The harbour authority reopened the northern pier.", new_x="LMARGIN", new_y="NEXT")
    if user_password is not None:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    return bytes(pdf.output())


def _deep_json(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


#: Bad inputs: file name (relative to the corpus) -> (content, words the failure must say).
BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty input"),
    "blank.txt": (b" \n\t\n  ", "empty input"),
    "binary.txt": (bytes(range(256)) * 4, "binary content"),
    "latin1.txt": ("Les ministres se sont réunis à Genève.".encode("latin-1"), "not valid UTF-8"),
    "huge.txt": (b"The talks went on. " * (MAX_BYTES // 10), "file too large"),
    "torn.pdf": (_pdf()[:400], "PDF"),
    "locked.pdf": (_pdf(user_password="secret"), "encrypted"),
    "broken.html": (b"<html><body><div><<<</div>", "no"),
    "broken.json": (b'{"text": "Talks resumed."', "not valid JSON"),
    "deep.json": (_deep_json().encode(), "nested too deeply"),
    "wide.json": (b'{"text": "Talks.", "n": ' + b"9" * 5000 + b"}", "number over 4,300 digits"),
    "unicode.txt": (b"Talks" + b"\xed\xa0\x80" + b" resumed.", "not valid UTF-8"),
}
#: Bad records inside JSON Lines files: path as reported -> words the failure must say.
BAD_LINES: dict[str, str] = {
    "feed.jsonl:1": "nested too deeply",
    "feed.jsonl:2": "number over 4,300 digits",
    "feed.jsonl:3": "field 'text' is not valid Unicode",
    "feed.jsonl:4": "field 'id' is not valid Unicode",
    "feed.jsonl:5": "field 'title' is not valid Unicode",
    "feed.jsonl:6": "broken JSON line",
    "side/meta.jsonl:1": "nested too deeply",
}
FEED_LINES = [
    '{"text": ' + _deep_json() + "}",
    '{"id": "n", "text": "Talks.", "n": ' + "9" * 5000 + "}",
    '{"id": "s1", "text": "Talks \\ud800 resumed."}',
    '{"id": "s\\ud800", "text": "Talks resumed."}',
    '{"id": "s3", "title": "T \\udfff", "text": "Talks resumed."}',
    '{"id": "cut", "text": "Talks',
    json.dumps({"id": "wire-ok", "text": ARTICLE}),
]
GOOD_IDS = ["alias-bomb", "byline", "front", "kept", "memo", "plain", "wire-ok"]


def build_corpus(root: Path) -> dict[str, str]:
    """Write the corpus; returns the bad paths (as the CLI reports them) -> the words each failure must say."""
    root.mkdir()
    for name, (data, _) in BAD.items():
        (root / name).write_bytes(data)
    (root / "feed.jsonl").write_text("\n".join(FEED_LINES) + "\n", encoding="utf-8")
    (root / "side").mkdir()
    (root / "side" / "meta.jsonl").write_text('{"file": ' + _deep_json() + "}\n", encoding="utf-8")
    (root / "side" / "memo.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "plain.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "byline.txt").write_text("Summit ends\nBy Jane Doe | 31 June 2024\n\n" + ARTICLE, encoding="utf-8")
    (root / "front.md").write_text("---\ntitle: Talks\ndate: 2024-13-01\n---\n" + ARTICLE, encoding="utf-8")
    bomb = "---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\ntitle: [*b, *b, *b]\n---\n"
    (root / "alias-bomb.md").write_text(bomb + ARTICLE, encoding="utf-8")
    (root / "later").mkdir()
    (root / "later" / "kept.txt").write_text("A different article under a name already stored.\n", encoding="utf-8")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    with open(bytes(root) + b"/caf\xe9.txt", "w", encoding="utf-8") as undecodable_name:
        undecodable_name.write(ARTICLE)
    expected = {str(root / name): words for name, (_, words) in BAD.items()}
    expected.update({str(root / where): words for where, words in BAD_LINES.items()})
    expected[str(root / "dangling.txt")] = "dangling symbolic link"
    expected[str(root) + "/caf\\xe9.txt"] = "file name is not valid UTF-8"
    return expected


def test_a_batch_of_bad_inputs_fails_each_one_clearly_and_keeps_everything_else(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    invoke: Callable[..., object] = CliRunner().invoke
    before_root = tmp_path / "before"
    before_root.mkdir()
    (before_root / "kept.txt").write_text(ARTICLE, encoding="utf-8")
    first = invoke(main, ["--db", str(db), "ingest", str(before_root)])
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    with open_store(db) as store:
        kept_before = store.load_records("kept")

    expected = build_corpus(tmp_path / "corpus")
    result = invoke(main, ["--db", str(db), "ingest", "--max-bytes", str(MAX_BYTES), str(tmp_path / "corpus")])
    output: str = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert "Traceback" not in output
    failed = [line for line in output.splitlines() if line.startswith("failed: ")]
    for path, words in expected.items():
        lines = [
            line for line in failed if line.startswith(f"failed: {path}: ") or line.startswith(f"failed: {path} (")
        ]
        assert len(lines) == 1, (path, failed)
        assert words in lines[0], lines[0]
    assert len(failed) == len(expected), failed

    with open_store(db) as store:
        stored = sorted(store.document_ids())
        moved = [doc_id for doc_id in stored if doc_id.startswith("kept~")]
        assert sorted(set(stored) - set(moved)) == GOOD_IDS and len(moved) == 1
        assert store.load_records("kept") == kept_before
        assert store.integrity_check() == []
        assert {f.path for f in store.failures()} == set(expected)
