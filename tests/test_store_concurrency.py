"""Readers and a writer in another process share one store (SQLite WAL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from dyadlens.runner import PipelineSpec, ingest
from dyadlens.store import open_store
from dyadlens.store.schema import documents

SENTENCES_PER_DOC = 12


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        sentences = [f"Convoy {number} passed checkpoint {s} before noon." for s in range(SENTENCES_PER_DOC)]
        (folder / f"convoy-{number:02d}.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")


def ingest_command(db: Path, folder: Path) -> list[str]:
    cli = "from dyadlens.cli import run; run()"
    return [sys.executable, "-c", cli, "--db", str(db), "-q", "ingest", str(folder), "--upto", "sentences"]


def test_store_reader_snapshot_survives_a_write_from_another_process(tmp_path: Path, db_path: Path) -> None:
    write_corpus(tmp_path / "first", 1)
    write_corpus(tmp_path / "second", 0)
    (tmp_path / "second" / "late.txt").write_text("A late report arrived. It was short.\n", encoding="utf-8")
    store = open_store(db_path)
    ingest([tmp_path / "first"], store, PipelineSpec(upto="sentences"))
    count = select(func.count()).select_from(documents)
    with store.reader() as reader:
        assert reader.scalar(count) == 1  # the read transaction is open from here
        writer = subprocess.run(ingest_command(db_path, tmp_path / "second"), capture_output=True, text=True)
        assert writer.returncode == 0, writer.stderr
        assert reader.scalar(count) == 1  # still its own snapshot
    assert len(store.documents()) == 2
    store.close()


def test_store_reader_sees_only_whole_documents_while_another_process_writes(tmp_path: Path, db_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 30)
    store = open_store(db_path)
    writer = subprocess.Popen(ingest_command(db_path, tmp_path / "corpus"), stderr=subprocess.PIPE, text=True)
    seen: set[str] = set()
    while writer.poll() is None:
        for info in store.documents():
            assert info.sentences == SENTENCES_PER_DOC
            records = store.load_records(info.id)
            assert records is not None and len(records.sentences) == SENTENCES_PER_DOC
            seen.add(info.id)
    assert writer.wait() == 0, writer.stderr.read() if writer.stderr else ""
    assert len(store.documents()) == 30
    assert seen <= {info.id for info in store.documents()}
    assert store.integrity_check() == []
    store.close()
