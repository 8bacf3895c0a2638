"""The shared seed corpus through discovery, reading, cleaning and splitting.

Expected metadata is read from the corpus's own sidecar and gold files, so
no seed text is copied into the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.ingest.clean import Cleaner
from dyadlens.ingest.discover import discover
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.nlp.sentences import SentenceSplitter
from dyadlens.pipeline import Pipeline

MIN_GOLD_SENTENCE_MATCH = 0.95


@pytest.fixture(scope="module")
def seed_records(seeds_dir: Path) -> dict[str, DocumentRecords]:
    pipeline = Pipeline([Cleaner(), SentenceSplitter()])
    items = list(discover([seeds_dir]))
    assert all(isinstance(i, RawInput) for i in items), items
    return {raw.doc_id: pipeline(raw) for raw in items if isinstance(raw, RawInput)}


def sidecar_rows(seeds_dir: Path) -> list[dict[str, str]]:
    lines = (seeds_dir / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_five_documents_with_sidecar_metadata(seed_records: dict[str, DocumentRecords], seeds_dir: Path) -> None:
    rows = sidecar_rows(seeds_dir)
    assert len(seed_records) == 5 == len(rows)
    for row in rows:
        document = seed_records[row["id"]].document
        assert (document.title, document.author, document.published) == (row["title"], row["author"], row["published"])
        assert document.outlet == row["outlet"]
        assert document.published_source == "sidecar"
        assert document.kind == row["kind"]


def _labels(records: DocumentRecords) -> dict[str, str]:
    text = records.document.text
    return {text[r.start : r.end]: r.label for r in records.regions if r.excluded}


def test_seed_004_furniture_and_repeat(seed_records: dict[str, DocumentRecords]) -> None:
    records = seed_records["004_74056f8c7455e433"]
    labels = _labels(records)
    found = set(labels.values())
    assert {"disclaimer", "share prompt", "author bio", "copyright notice", "republication note"} <= found
    assert any(text.startswith("Disclaimer:") for text in labels)
    [repeat] = [r for r in records.regions if r.kind == "repeat"]
    first_start, first_end = (int(x) for x in repeat.label.removeprefix("repeat of ").split("-"))
    text = records.document.text
    assert text[first_start:first_end] == text[repeat.start : repeat.end]
    assert first_start < repeat.start
    repeated = [s for s in records.sentences if repeat.start <= s.start < repeat.end]
    assert repeated and all(s.kind == "repeat" and not s.analysed for s in repeated)


def test_seed_003_footnotes_are_marked_and_analysed(seed_records: dict[str, DocumentRecords]) -> None:
    records = seed_records["003_e3a24ab2bdbfeafd"]
    footnotes = [r for r in records.regions if r.kind == "footnote"]
    assert len(footnotes) >= 8
    assert all(not r.excluded for r in footnotes)
    kinds = {s.kind for s in records.sentences}
    assert "footnote" in kinds and "body" in kinds


def test_chrome_of_001_and_002_is_excluded(seed_records: dict[str, DocumentRecords]) -> None:
    for doc_id in ("001_0580eac802544299", "002_e39568eac4cb0ab3"):
        records = seed_records[doc_id]
        last = records.sentences[-1]
        assert (last.kind, last.analysed) == ("furniture", False)
        assert sum(1 for s in records.sentences if s.kind == "body") > 20


def test_gold_sentences_are_splitter_sentences(seed_records: dict[str, DocumentRecords], gold_file: Path) -> None:
    wanted = matched = 0
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        records = seed_records[gold["doc"]]
        text = records.document.text
        ours = {text[s.start : s.end] for s in records.sentences}
        for item in gold["events"] + gold["designations"]:
            wanted += 1
            matched += item["sentence"] in ours
    assert wanted > 100
    assert matched / wanted >= MIN_GOLD_SENTENCE_MATCH


def test_duplicate_fingerprints_differ_between_seeds(seed_records: dict[str, DocumentRecords]) -> None:
    prints = {r.document.fingerprint for r in seed_records.values()}
    assert len(prints) == 5 and "" not in prints
