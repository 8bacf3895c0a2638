"""The example corpus: every format reads, metadata comes from the right place,
the republished copy is a duplicate, and the sample PDF script reproduces the PDF."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dyadlens.ingest.clean import Cleaner
from dyadlens.ingest.discover import discover
from dyadlens.ingest.readers import read_document
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.nlp.sentences import SentenceSplitter
from dyadlens.pipeline import Pipeline

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example_records(examples_dir: Path) -> dict[str, DocumentRecords]:
    items = list(discover([examples_dir]))
    assert all(isinstance(i, RawInput) for i in items), items
    pipeline = Pipeline([Cleaner(), SentenceSplitter()])
    return {raw.doc_id: pipeline(raw) for raw in items if isinstance(raw, RawInput)}


def test_every_format_is_present(example_records: dict[str, DocumentRecords]) -> None:
    formats = sorted(r.document.format for r in example_records.values())
    assert len(example_records) == 9
    assert formats.count("txt") >= 2 and formats.count("html") == 2
    assert {"md", "pdf", "json"} <= set(formats)


def test_metadata_sources(example_records: dict[str, DocumentRecords]) -> None:
    sources = {doc_id: r.document.published_source for doc_id, r in example_records.items()}
    assert sources["2021-10-moscow-talks"] == "sidecar"
    assert sources["2024-03-crocus-attack"] == "byline"
    assert sources["2025-04-court-suspends-ban"] == "html-meta"
    assert sources["2025-07-ban-to-recognition"] == "header"
    assert sources["2024-03-pakistan-strikes"] == "json"
    crocus = example_records["2024-03-crocus-attack"].document
    assert (crocus.author, crocus.published) == ("Lena Ortiz", "2024-03-28")


def test_republished_copy_has_the_same_fingerprint(example_records: dict[str, DocumentRecords]) -> None:
    prints = {doc_id: r.document.fingerprint for doc_id, r in example_records.items()}
    assert prints["2025-07-recognition"] == prints["2025-07-recognition-republished"]
    assert len(set(prints.values())) == len(prints) - 1


def test_republished_copy_furniture_is_excluded(example_records: dict[str, DocumentRecords]) -> None:
    labels = {r.label for r in example_records["2025-07-recognition-republished"].regions if r.excluded}
    assert {"author bio", "republication note"} <= labels


def test_repeat_and_footnotes_are_marked(example_records: dict[str, DocumentRecords]) -> None:
    repeats = [r for r in example_records["2024-07-delisting-proposal"].regions if r.kind == "repeat"]
    assert len(repeats) == 1
    footnotes = [r for r in example_records["2025-07-ban-to-recognition"].regions if r.kind == "footnote"]
    assert len(footnotes) == 3


def test_sentence_offsets_are_valid(example_records: dict[str, DocumentRecords]) -> None:
    for records in example_records.values():
        text = records.document.text
        assert records.sentences
        for sentence in records.sentences:
            piece = text[sentence.start : sentence.end]
            assert piece and piece == piece.strip()


def test_pdf_script_rebuilds_the_committed_pdf(examples_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_sample_pdf", REPO / "scripts" / "make_sample_pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = examples_dir / module.OUTPUT.name
    rebuilt = RawInput("x", "rebuilt.pdf", "pdf", module.build_pdf())
    stored = RawInput("x", str(committed), "pdf", committed.read_bytes())
    assert read_document(rebuilt).text == read_document(stored).text
