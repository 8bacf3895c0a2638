"""``dyadlens ingest``, ``docs``, ``show``, ``export`` and ``stats`` end to end."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dyadlens.cli import main
from dyadlens.store import open_store

GOOD_IDS = ["bulletin", "feed-a", "feed-b", "harbour", "memo", "minutes"]
BAD_INPUTS = ["blank.txt", "scan.txt", "torn.pdf", "feed.jsonl:2"]


def make_pdf(path: Path, lines: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def make_mixed_folder(folder: Path) -> Path:
    """Good inputs of every format beside an empty file, a binary file, a
    truncated PDF and a JSON Lines file with one broken line."""
    folder.mkdir()
    (folder / "memo.txt").write_text(
        "Trade envoys met in Nairobi on Monday. They agreed to cut tariffs on tea.\n", encoding="utf-8"
    )
    (folder / "minutes.md").write_text(
        "# Minutes of the border commission\n\nThe commission met twice in June. Both sides sent surveyors.\n",
        encoding="utf-8",
    )
    (folder / "bulletin.html").write_text(
        "<html><head><title>Grain corridor bulletin</title></head><body><article>"
        "<h1>Grain corridor bulletin</h1>"
        "<p>Ships carrying grain left the port of Odesa on Tuesday after weeks of delay, officials said.</p>"
        "<p>Insurers said premiums for the route had fallen since the spring, when several vessels waited offshore.</p>"
        "<p>Share this article</p></article></body></html>",
        encoding="utf-8",
    )
    make_pdf(folder / "harbour.pdf", ["The harbour authority reopened the northern pier.", "Repairs took six weeks."])
    whole = (folder / "harbour.pdf").read_bytes()
    (folder / "torn.pdf").write_bytes(whole[: len(whole) // 3])
    (folder / "blank.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "feed.jsonl").write_text(
        '{"id": "feed-a", "text": "Fishing fleets returned early because of the storm."}\n'
        '{"id": "feed-b", "text": "The storm cut power to two islands.", "broken\n'
        '{"id": "feed-b", "text": "The storm cut power to two islands. Crews restored it by night."}\n',
        encoding="utf-8",
    )
    return folder


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """A store holding the mixed folder, ingested once for the read-only tests."""
    root = tmp_path_factory.mktemp("mixed")
    folder = make_mixed_folder(root / "inbox")
    db = root / "store.db"
    return db, folder, cli(db, "ingest", str(folder), "--upto", "sentences")


def test_cli_ingest_stores_good_inputs_and_names_every_bad_one(ingested: tuple[Path, Path, Result]) -> None:
    db, folder, result = ingested
    assert result.exit_code == 1
    failure_lines = result.stderr.splitlines()
    assert len(failure_lines) == len(BAD_INPUTS)  # one line per bad input and nothing else
    assert all(line.startswith("failed: ") for line in failure_lines)
    for name, line in zip(sorted(BAD_INPUTS), sorted(failure_lines), strict=True):
        assert str(folder / name) in line
    assert "empty input" in result.stderr
    assert "documents: 6 stored, 0 skipped (unchanged), 4 failed" in result.stdout
    assert "sentences" in result.stdout and "designations" in result.stdout
    store = open_store(db)
    assert sorted(store.document_ids()) == GOOD_IDS
    assert {f.path for f in store.failures()} == {str(folder / name) for name in BAD_INPUTS}
    assert store.integrity_check() == []
    store.close()


def test_cli_ingest_again_stores_nothing_new(ingested: tuple[Path, Path, Result], tmp_path: Path) -> None:
    db, folder, _ = ingested
    result = cli(db, "--json", "ingest", str(folder), "--upto", "sentences")
    report = json.loads(result.stdout)
    assert result.exit_code == 1  # the bad inputs still fail
    assert report["stored"] == []
    assert sorted(report["skipped"]) == GOOD_IDS
    assert len(report["failed"]) == len(BAD_INPUTS)
    assert report["store"]["documents"] == len(GOOD_IDS)


def test_cli_ingest_rejects_an_unknown_stage(tmp_path: Path) -> None:
    result = cli(tmp_path / "x.db", "ingest", str(tmp_path), "--upto", "sentence")
    assert result.exit_code == 2
    assert "sentences" in result.stderr


def test_cli_ingest_of_good_inputs_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text("Rain delayed the vote. Counting resumed later.\n", encoding="utf-8")
    result = cli(tmp_path / "ok.db", "ingest", str(tmp_path / "in"), "--upto", "sentences")
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.stdout and result.stderr == ""


def test_cli_docs_lists_documents(ingested: tuple[Path, Path, Result]) -> None:
    db, _, _ = ingested
    table = cli(db, "docs")
    assert table.exit_code == 0
    header = table.stdout.splitlines()[0].split()
    assert header == ["id", "date", "outlet", "sentences", "events", "duplicate_of", "title"]
    assert "Grain corridor bulletin" in table.stdout
    listed = json.loads(cli(db, "docs", "--json").stdout)
    assert sorted(d["id"] for d in listed) == GOOD_IDS
    assert all(d["sentences"] >= 1 for d in listed)


def test_cli_show_marks_sentences_and_excluded_text(ingested: tuple[Path, Path, Result]) -> None:
    db, _, _ = ingested
    result = cli(db, "show", "bulletin")
    assert result.exit_code == 0
    assert "title: Grain corridor bulletin" in result.stdout
    assert "| Ships carrying grain left the port of Odesa" in result.stdout
    shown = json.loads(cli(db, "show", "bulletin", "--json").stdout)
    excluded = [line for line in shown["lines"] if line["kind"] == "excluded"]
    assert excluded, "the share prompt should be excluded"
    for line in excluded:
        assert f"[excluded {line['region_kind']}: {line['label']}]" in result.stdout
    assert cli(db, "show", "nothing-here").exit_code == 1


def test_cli_show_marks_a_repeated_paragraph(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    paragraph = "The ceasefire held through the night. Aid trucks crossed at dawn."
    text = f"{paragraph}\n\nTalks resume on Friday.\n\n{paragraph}\n"
    (tmp_path / "in" / "wire.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "repeat.db"
    assert cli(db, "ingest", str(tmp_path / "in"), "--upto", "sentences").exit_code == 0
    shown = json.loads(cli(db, "--json", "show", "wire").stdout)
    repeats = [line for line in shown["lines"] if line["kind"] == "excluded" and line["region_kind"] == "repeat"]
    assert len(repeats) == 1 and "ceasefire" in repeats[0]["text"]
    assert "[excluded repeat:" in cli(db, "show", "wire").stdout


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_export_each_format(ingested: tuple[Path, Path, Result], tmp_path: Path, fmt: str) -> None:
    db, _, _ = ingested
    out = tmp_path / f"sentences.{fmt}"
    result = cli(db, "export", "--table", "sentences", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    store = open_store(db)
    expected = list(store.rows("sentences"))
    store.close()
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        expected = [{k: str(v) for k, v in row.items()} for row in expected]
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert rows == expected
    assert len(rows) > 6


def test_cli_export_to_stdout_and_gold_lines(ingested: tuple[Path, Path, Result]) -> None:
    db, _, _ = ingested
    documents = cli(db, "export", "--table", "documents", "--format", "jsonl", "-o", "-")
    assert sorted(json.loads(line)["id"] for line in documents.stdout.splitlines()) == GOOD_IDS
    gold = cli(db, "export", "--format", "gold-jsonl")
    assert sorted(json.loads(line)["doc"] for line in gold.stdout.splitlines()) == GOOD_IDS


def test_cli_export_parquet_of_an_empty_table_keeps_its_columns(
    ingested: tuple[Path, Path, Result], tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    db, _, _ = ingested
    out = tmp_path / "events.parquet"
    assert cli(db, "export", "--table", "events", "--format", "parquet", "-o", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 0
    assert {"source", "target", "code", "root", "date"} <= set(table.column_names)


def test_cli_export_rejects_an_unknown_table(ingested: tuple[Path, Path, Result]) -> None:
    db, _, _ = ingested
    result = cli(db, "export", "--table", "secrets")
    assert result.exit_code == 2 and "sentences" in result.stderr


def test_cli_stats_and_integrity_check(ingested: tuple[Path, Path, Result]) -> None:
    db, _, _ = ingested
    stats = json.loads(cli(db, "--json", "stats", "--check").stdout)
    assert stats["documents"] == len(GOOD_IDS) and stats["failures"] == len(BAD_INPUTS)
    assert stats["problems"] == []
    text = cli(db, "stats", "--check")
    assert text.exit_code == 0 and "integrity check: ok" in text.stdout


def test_cli_read_commands_need_an_existing_store(tmp_path: Path) -> None:
    result = cli(tmp_path / "missing.db", "docs")
    assert result.exit_code == 1 and "dyadlens ingest" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def write_long_corpus(folder: Path, count: int, sentences: int) -> None:
    folder.mkdir()
    for number in range(count):
        body = " ".join(f"Patrol {number} logged incident {s} near the river crossing." for s in range(sentences))
        (folder / f"log-{number:02d}.txt").write_text(f"{body}\n", encoding="utf-8")


@pytest.mark.parametrize("workers", [1, 2])
def test_cli_ingest_killed_mid_batch_keeps_whole_documents_and_reruns_to_the_end(tmp_path: Path, workers: int) -> None:
    count, sentences = 30, 60
    write_long_corpus(tmp_path / "logs", count, sentences)
    db = tmp_path / "killed.db"
    command = [sys.executable, "-c", "from dyadlens.cli import run; run()", "--db", str(db), "-q"]
    ingest = [*command, "ingest", str(tmp_path / "logs"), "--upto", "sentences", "--workers", str(workers)]
    child = subprocess.Popen(ingest, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while child.poll() is None and not _stored_at_least(db, 3):
            time.sleep(0.01)
        helpers = _children(child.pid)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert len(helpers) >= workers - 1  # the workers (and, with spawn, its resource tracker)
    assert _all_ended(helpers, within=10.0), "worker processes outlived the killed ingest"
    store = open_store(db)
    stored = store.documents()
    assert len(stored) >= 3
    for info in stored:
        records = store.load_records(info.id)
        assert records is not None
        assert info.sentences == len(records.sentences) == sentences
    assert store.integrity_check() == []
    store.close()
    rerun = subprocess.run([*command, "--json", *ingest[len(command) :]], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert len(report["skipped"]) == len(stored)
    assert len(report["stored"]) == count - len(stored)
    store = open_store(db)
    assert [info.sentences for info in store.documents()] == [sentences] * count
    assert store.integrity_check() == []
    store.close()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _all_ended(pids: list[int], within: float) -> bool:
    """Whether every process in ``pids`` has ended (or is a zombie nobody reaped) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_running(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stored_at_least(db: Path, wanted: int) -> bool:
    if not db.exists():
        return False
    store = open_store(db)
    try:
        return len(store.document_ids()) >= wanted
    finally:
        store.close()


def test_cli_show_keeps_control_characters_of_an_article_off_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    text = "Envoys met at the lake.\x1b]0;renamed\x07 They spoke for an hour about the dam and the river.\n"
    (tmp_path / "in" / "lake.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "ctl.db"
    assert cli(db, "ingest", str(tmp_path / "in"), "--upto", "sentences").exit_code == 0
    shown = cli(db, "show", "lake").stdout
    assert "Envoys met at the lake." in shown
    assert "\x1b" not in shown and "\x07" not in shown
