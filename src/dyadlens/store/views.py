"""A stored document laid out for reading: its sentences, and what was
excluded from analysis and why, in text order; and the documents by date.

The CLI's ``show`` and ``docs`` render these; the library only builds them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from dyadlens.model import Document, Region, Sentence
from dyadlens.store.store import DocumentInfo, Store

LineKind = Literal["sentence", "excluded", "uncovered"]


@dataclass(frozen=True, slots=True)
class ViewLine:
    """One piece of the document text.

    ``sentence``: an analysed sentence (``label`` names a non-excluding
    region it lies in, e.g. a footnote). ``excluded``: a span later layers do
    not read, with the region kind and label saying why. ``uncovered``:
    non-blank text no sentence or region accounts for.
    """

    kind: LineKind
    start: int
    end: int
    text: str
    paragraph: int | None = None
    sentence_index: int | None = None
    sentence_kind: str | None = None
    region_kind: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: Document
    lines: list[ViewLine]
    regions: list[Region]
    sentences: list[Sentence]

    def metadata(self) -> dict[str, Any]:
        """The document's fields but its text and raw bytes."""
        return {k: v for k, v in asdict(self.document).items() if k not in ("text", "raw")}

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the metadata, the text and the lines (regions and sentences are in the lines)."""
        return {"document": self.metadata(), "text": self.document.text, "lines": [asdict(x) for x in self.lines]}


def documents_by_date(store: Store) -> list[DocumentInfo]:
    """The stored documents, oldest first; undated ones last, by id."""
    return sorted(store.documents(), key=lambda d: (d.published is None, d.published or "", d.id))


def document_view(store: Store, doc_id: str) -> DocumentView | None:
    records = store.load_records(doc_id)
    if records is None:
        return None
    lines = layout(records.document.text, records.sentences, records.regions)
    return DocumentView(records.document, lines, records.regions, records.sentences)


def layout(text: str, sentences: list[Sentence], regions: list[Region]) -> list[ViewLine]:
    """Excluded regions, sentences outside them and uncovered text, by offset."""
    excluded = sorted((r for r in regions if r.excluded), key=lambda r: (r.start, r.end))
    flagging = [r for r in regions if not r.excluded]
    lines = [_excluded_line(text, r) for r in excluded]
    for sentence in sentences:
        if any(r.start <= sentence.start and sentence.end <= r.end for r in excluded):
            continue
        lines.append(_sentence_line(text, sentence, excluded, flagging))
    lines.sort(key=lambda line: (line.start, line.end))
    return _with_uncovered(text, lines)


def _excluded_line(text: str, region: Region) -> ViewLine:
    return ViewLine(
        kind="excluded",
        start=region.start,
        end=region.end,
        text=text[region.start : region.end],
        region_kind=region.kind,
        label=region.label,
    )


def _sentence_line(text: str, sentence: Sentence, excluded: list[Region], flagging: list[Region]) -> ViewLine:
    """A sentence; one that is not analysed but lies outside every excluded
    region still shows as excluded, labelled with its own kind."""
    inside = next((r for r in flagging if r.start <= sentence.start < r.end), None)
    partly = next((r for r in excluded if r.start < sentence.end and sentence.start < r.end), None)
    region = partly or inside
    return ViewLine(
        kind="sentence" if sentence.analysed else "excluded",
        start=sentence.start,
        end=sentence.end,
        text=text[sentence.start : sentence.end],
        paragraph=sentence.paragraph,
        sentence_index=sentence.index,
        sentence_kind=sentence.kind,
        region_kind=region.kind if region else (None if sentence.analysed else sentence.kind),
        label=region.label if region else (None if sentence.analysed else f"{sentence.kind} sentence"),
    )


def _with_uncovered(text: str, lines: list[ViewLine]) -> list[ViewLine]:
    result: list[ViewLine] = []
    position = 0
    for line in lines:
        if line.start > position and text[position : line.start].strip():
            result.append(ViewLine(kind="uncovered", start=position, end=line.start, text=text[position : line.start]))
        result.append(line)
        position = max(position, line.end)
    if text[position:].strip():
        result.append(ViewLine(kind="uncovered", start=position, end=len(text), text=text[position:]))
    return result
