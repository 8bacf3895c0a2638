"""Property-based tests: whatever the bytes, readers, metadata parsers,
discovery and the pipeline either give a result or the project's own input
error; any other exception is a bug.

The default profile keeps the examples few so the suite stays fast; ``make
fuzz`` runs the ``fuzz`` profile (registered in conftest.py) with many more.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadlens.errors import InputError
from dyadlens.ingest.discover import discover
from dyadlens.ingest.meta import find_date, parse_date, read_front_matter, read_text_meta
from dyadlens.ingest.readers import FORMATS, read_document
from dyadlens.model import DocumentRecords, Failure, RawInput
from dyadlens.pipeline import Pipeline, build_pipeline
from dyadlens.resources import Resources
from dyadlens.store import open_store

#: Text that looks like what readers meet: markup, front matter, dates, quotes, odd code points.
PIECES = st.sampled_from(
    [
        "---\n", "title: ", "date: ", "&a ", "*a ", "[", "]", "{", "}", "\n", "\n\n", "By ", " | ",
        "31 June 2024", "2024-02-30", "29 Feb 2024", "June 2023", "<html>", "<p>", "</p>", "<div>",
        "<meta charset='utf-16'>", '"', "“", "”", "said", "Russia", "the Taliban", "\u202e", "\ud800",
        "\x00", "\x1b[2J", "\ufeff", "%PDF-1.4", "9" * 20, "\t", "é", "中文",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=25).map("".join)
BYTES = st.one_of(st.binary(max_size=400), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXTS, inner, max_size=4)),
    max_leaves=12,
)
FIELDS = st.sampled_from(["id", "title", "author", "published", "url", "kind", "outlet", "file", "extra"])
RECORDS = st.dictionaries(FIELDS, JSON_VALUES, max_size=5).map(lambda r: {**r, "text": "Talks resumed in Doha."})



def _valid_unicode(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: Metadata as discovery hands it on: it refuses records and sidecar rows holding lone surrogates.
META = st.dictionaries(FIELDS, JSON_VALUES, max_size=3).filter(_valid_unicode)

QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(data=BYTES, fmt=st.sampled_from(FORMATS), meta=META)
def test_readers_give_a_document_or_an_input_error(data: bytes, fmt: str, meta: dict[str, object]) -> None:
    raw = RawInput(doc_id="fuzz", path="fuzz.input", format=fmt, data=data, meta=meta)
    try:
        document = read_document(raw)
    except InputError as error:
        assert error.path == "fuzz.input"
        return
    assert document.text.strip()
    json.dumps(document.meta, ensure_ascii=False, default=str).encode("utf-8")
    for value in (document.title, document.author, document.outlet, document.url):
        assert value is None or len(value) <= 2048


@QUICK
@given(text=TEXTS)
def test_metadata_parsers_never_raise(text: str) -> None:
    front = read_front_matter(text)
    assert all(isinstance(v, str) for v in front.fields.values())
    read_text_meta(text)
    for found in (parse_date(text), find_date(text)):
        if found is not None and len(found) == 10:
            dt.date.fromisoformat(found)  # a day that exists


@QUICK
@given(lines=st.lists(st.one_of(RECORDS.map(json.dumps), BYTES.map(lambda b: b.decode("latin-1"))), max_size=6))
def test_discovery_of_json_lines_gives_inputs_or_failures(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("feed")
    (folder / "feed.jsonl").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    (folder / "meta.jsonl").write_bytes("\n".join(reversed(lines)).encode("utf-8", "surrogatepass"))
    for item in discover([folder]):
        assert isinstance(item, (RawInput, Failure))
        if isinstance(item, RawInput):
            item.doc_id.encode("utf-8")


@pytest.fixture(scope="module")
def full_pipeline(resources: Resources) -> Pipeline:
    return build_pipeline(resources)


@pytest.fixture()
def fuzz_store(tmp_path: Path) -> Iterator[object]:
    store = open_store(tmp_path / "fuzz.db")
    yield store
    store.close()


SENTENCES = st.sampled_from(
    [
        "Russia and China signed an agreement in Moscow on 3 March 2024.",
        "The foreign minister said: “We will not accept the sanctions.”",
        "Iran accused Israel of striking its consulate last week.",
        "The United States designated the group a terrorist organisation in 2003.",
        "Turkey threatened to block Sweden's membership of NATO.",
        "Officials in Kabul welcomed the decision on Tuesday, he said.",
    ]
)


@settings(
    deadline=None,
    max_examples=max(10, settings.default.max_examples // 4),  # the pipeline is the slow part: a quarter
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(st.one_of(SENTENCES, TEXTS), min_size=1, max_size=8))
@pytest.mark.slow
def test_the_whole_pipeline_stores_generated_documents(
    full_pipeline: Pipeline, fuzz_store: object, parts: list[str]
) -> None:
    text = " ".join(parts).encode("utf-8", "surrogatepass")
    raw = RawInput(doc_id="generated", path="generated.txt", format="txt", data=text)
    try:
        records = full_pipeline(raw)
    except InputError:
        return
    assert isinstance(records, DocumentRecords)
    store = fuzz_store
    store.write(records, replace=True)  # type: ignore[attr-defined]
    assert store.integrity_check() == []  # type: ignore[attr-defined]
