"""Long documents cost the same per sentence as short ones (issue #10, item 10).

The regression test counts work instead of timing it: the Python lines each
component executes on one paragraph made of 1, 2 and 4 copies of the same
text. Each extra copy is the same work for a pipeline whose cost is linear, so
going from 2 to 4 copies adds exactly twice what going from 1 to 2 added; a
step that scans the whole document once per sentence adds more each time (the
scans this test was written against gave 2.03 to 2.50). Line counts do not
depend on the machine or its load.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import dyadlens
from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput
from dyadlens.nlp.quotes import _without_overlaps
from dyadlens.nlp.span_index import SpanIndex
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

ARTICLES = ("2025-07-recognition.txt", "2024-03-crocus-attack.txt")
#: Exactly 2 for linear work; the margin only absorbs a stray constant.
MAX_GROWTH = 2.01
PACKAGE = str(Path(dyadlens.__file__).parent)


def lines_per_component(resources: Resources, text: str) -> Counter[str]:
    """Python lines of dyadlens run by each component (the parse stage, spaCy's, is left out)."""
    raw = RawInput(doc_id="long", path="long.txt", format="txt", data=text.encode(), meta={"published": "2025-07-10"})
    state = DocState(document=read_document(raw))
    counts: Counter[str] = Counter()
    for component in build_pipeline(resources).components:
        if component.name == "parse":
            component(state)
            continue
        with counting_lines(counts, component.name):
            component(state)
    return counts


@contextmanager
def counting_lines(counts: Counter[str], name: str) -> Iterator[None]:
    """Count the lines run in dyadlens code under ``name``; a tracer already set (coverage) comes back after."""

    def line(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            counts[name] += 1
        return line

    def call(frame: FrameType, event: str, arg: object) -> Any:
        return line if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(call)
    try:
        yield
    finally:
        sys.settrace(previous)


def test_each_component_does_the_same_work_for_each_copy(resources: Resources, examples_dir: Path) -> None:
    block = " ".join(" ".join((examples_dir / name).read_text(encoding="utf-8").split()) for name in ARTICLES)
    one, two, four = (lines_per_component(resources, " ".join([block] * copies)) for copies in (1, 2, 4))
    for name in one:
        first, second = two[name] - one[name], four[name] - two[name]
        if first:
            assert second / first <= MAX_GROWTH, f"{name}: {second / first:.3f} times the work per extra copy"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 25)).map(lambda p: Span(p[0], p[0] + p[1])), max_size=30)
OFFSETS = st.integers(-2, 90)


@given(spans=SPANS, low=OFFSETS, high=OFFSETS)
def test_span_index_answers_as_a_scan_would(spans: list[Span], low: int, high: int) -> None:
    index = SpanIndex(spans)
    assert index.starting_in(low, high) == [s for s in spans if low <= s.start < high]
    assert index.overlapping(low, high) == [s for s in spans if s.start < high and low < s.end]
    assert index.containing(low) == [s for s in spans if s.start <= low < s.end]
    assert index.overlaps_any(low, high) == any(s.start < high and low < s.end for s in spans)
    assert index.contains(low) == any(s.start <= low < s.end for s in spans)
    assert index.covers(low, high) == any(s.start <= low and high <= s.end for s in spans)


@given(spans=SPANS)
def test_overlapping_quotes_keep_the_first_as_a_scan_would(spans: list[Span]) -> None:
    kept: list[Span] = []
    for span in spans:
        if not any(k.start < span.end and span.start < k.end for k in kept):
            kept.append(span)
    assert _without_overlaps(spans) == sorted(kept, key=lambda s: s.start)  # type: ignore[arg-type]


def test_parses_keep_no_token_vectors(resources: Resources) -> None:
    """spaCy's tensor is a view of its whole batch's array; a kept parse must not pin it."""
    raw = RawInput(doc_id="d", path="d.txt", format="txt", data=b"Russia and China signed a deal. Kabul said nothing.")
    state = DocState(document=read_document(raw))
    for component in build_pipeline(resources, upto="parse").components:
        component(state)
    assert state.doc.tensor.size == 0 and state.doc.tensor.base is None
    assert state.doc.has_annotation("DEP") and state.doc.has_annotation("ENT_IOB")
    spans = [state.sentence_span(s.index) for s in state.sentences]
    assert len(spans) == 2 and all(span[0].sent == span for span in spans)
