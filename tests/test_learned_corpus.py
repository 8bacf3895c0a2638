"""The team-written training corpus: the source format, its checks, the compiled files."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest

from dyadlens.learned import corpus
from dyadlens.learned.corpus import NO_EVENT, CorpusError, near_duplicates, parse_mentions, read_source

REPO = Path(__file__).resolve().parent.parent
TRAINING = REPO / "training"

ARTICLE = """\
@doc test-wire-001
@published 2025-11-04
@register wire
@region Horn of Africa

= [[Kenya]] and [[Somalia]] agree to reopen border crossings
  Kenya > Somalia 057 asserted 2025-11-04
NAIROBI, Nov 4 — [[Kenyan|Kenya]] and [[Somali|Somalia]] officials agreed on Tuesday to reopen three crossings.
  Kenya > Somalia 057 asserted 2025-11-04 "on Tuesday"
  Kenya > Somalia 036 planned -

The talks were hosted by [[Ethiopia]], which [[Eritrea]] accused of meddling.
  Eritrea > Ethiopia 112 asserted 2025-11-04
"""


def write(tmp_path: Path, text: str, name: str = "a.dyad") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mentions_are_unmarked_with_their_offsets() -> None:
    text, mentions = parse_mentions("[[Kenyan|Kenya]] and [[Somalia]] met in [[Addis Ababa|Ethiopia]].")
    assert text == "Kenyan and Somalia met in Addis Ababa."
    assert [(text[m.start : m.end], m.actor) for m in mentions] == [
        ("Kenyan", "Kenya"), ("Somalia", "Somalia"), ("Addis Ababa", "Ethiopia")]


def test_an_article_compiles_to_gold_events_and_labelled_pairs(tmp_path: Path) -> None:
    article = read_source(write(tmp_path, ARTICLE))
    assert article.text().startswith("Kenya and Somalia agree to reopen border crossings\n\nNAIROBI, Nov 4 — Kenyan")
    body = article.sentences[1]
    # the first event of a pair labels it; the reverse pair is a negative
    assert [(p.source, p.target, p.label, p.code) for p in body.pairs()] == [
        ("Kenya", "Somalia", "05", "057"), ("Somalia", "Kenya", NO_EVENT, None)]
    last = article.sentences[2]
    labels = {(p.source, p.target): p.label for p in last.pairs()}
    assert labels == {("Eritrea", "Ethiopia"): "11", ("Ethiopia", "Eritrea"): NO_EVENT}
    record = corpus.record(article, "train", tmp_path)
    assert len(record["events"]) == 4
    assert record["events"][2] == {"sentence": body.text, "source": "Kenya", "target": "Somalia", "cameo": "03",
                                   "code": "036", "modality": "planned", "date": None}
    assert record["actors"] == ["Kenya", "Somalia", "Ethiopia", "Eritrea"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  Eritrea > Ethiopia 112", "  Eritrea > Sudan 112"), "'Sudan' is not marked in the sentence"),
        (("112 asserted", "212 asserted"), "has no CAMEO root"),
        (("112 asserted", "112 claimed"), "unknown modality"),
        (('"on Tuesday"', '"on Monday"'), "is not in the sentence"),
        (("@register wire", "@register blog"), "@register 'blog'"),
        (("[[Eritrea]] accused", "[[Eritrea accused"), re.escape("unbalanced [[ ]]")),
    ],
)
def test_a_malformed_source_names_its_file_and_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, ARTICLE.replace(*change))
    with pytest.raises(CorpusError, match=message) as raised:
        read_source(path)
    assert str(path) in str(raised.value)


def test_near_duplicates_are_found_and_different_sentences_are_not() -> None:
    texts = [
        "The foreign ministry said on Tuesday that it would recall its ambassador for consultations.",
        "The foreign ministry said on Tuesday that it would recall its ambassador for talks.",
        "Rebels shelled the airport overnight, killing two civilians and wounding a dozen more.",
    ]
    found = near_duplicates(texts)
    assert [(a, b) for a, b, _ in found] == [(0, 1)]
    assert found[0][2] >= 0.6


def test_the_compiled_corpus_is_in_step_with_its_sources(tmp_path: Path) -> None:
    (tmp_path / "sources").symlink_to(TRAINING / "sources")
    corpus.build(tmp_path)
    for split in ("train", "test"):
        assert (tmp_path / f"{split}.jsonl").read_text() == (TRAINING / f"{split}.jsonl").read_text(), (
            f"training/{split}.jsonl is stale: run python -m dyadlens.learned.corpus build")
        built = sorted(p.name for p in (tmp_path / "texts" / split).iterdir())
        assert built == sorted(p.name for p in (TRAINING / "texts" / split).iterdir())


def test_the_corpus_has_the_size_and_the_variety_the_coder_needs() -> None:
    records = {split: corpus.load(TRAINING / f"{split}.jsonl") for split in ("train", "test")}
    sentences = [s for split in records.values() for doc in split for s in doc["sentences"]]
    pairs = [p for s in sentences for p in s["pairs"]]
    events = [p for p in pairs if p["label"] != NO_EVENT]
    assert len(sentences) >= 4000 and len(pairs) >= 8000
    assert {p["label"] for p in events} == {f"{root:02d}" for root in range(1, 21)}
    assert {p["modality"] for p in events} == set(corpus.MODALITIES)
    assert len(events) / len(pairs) < 0.5, "no-event pairs are a large share"
    assert statistics.mean(len(s["text"].split()) for s in sentences) >= 20
    assert len({doc["writer"] for doc in records["train"]}) >= 5
    assert {doc["register"] for split in records.values() for doc in split} == set(corpus.REGISTERS)


def test_no_test_sentence_repeats_a_training_sentence() -> None:
    train = [s["text"] for d in corpus.load(TRAINING / "train.jsonl") for s in d["sentences"]]
    test = [s["text"] for d in corpus.load(TRAINING / "test.jsonl") for s in d["sentences"]]
    leaks = [(a, b) for a, b, similarity in near_duplicates([*train, *test], threshold=0.8)
             if a < len(train) <= b]
    assert leaks == [], [test[b - len(train)] for _, b in leaks[:5]]


def test_the_compiled_records_are_gold_files_dyadlens_eval_reads() -> None:
    from dyadlens.evaluation.gold import read_gold_lines

    lines = read_gold_lines(TRAINING / "test.jsonl")
    texts = {p.stem for p in (TRAINING / "texts" / "test").glob("*.txt")}
    assert {line["doc"] for line in lines} == texts
    meta = [json.loads(row) for row in (TRAINING / "texts" / "test" / "meta.jsonl").read_text().splitlines()]
    assert {row["id"] for row in meta} == texts
