"""Cut a document's text into runs for rendering with its spans highlighted.

The text is split at every span boundary (sentences, mentions, quotes, event
triggers); each run carries the classes of the spans that cover it. Runs are
grouped by sentence so each sentence can be one element with an anchor. The
template escapes every run: no text is ever marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from dyadlens.analysis.document import DocumentView, SentenceSpan


@dataclass(slots=True)
class Run:
    text: str
    classes: list[str]
    title: str | None = None


@dataclass(slots=True)
class Block:
    """A sentence (``sentence`` set) or the text between sentences."""

    sentence: SentenceSpan | None
    classes: list[str]
    event_ids: list[str]
    runs: list[Run] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    css: str
    title: str | None


def document_blocks(view: DocumentView, event_id: str | None = None, sentence_index: int | None = None) -> list[Block]:
    """The text as blocks of runs; the chosen event's sentence (or sentence) is highlighted."""
    spans = _spans(view, event_id)
    blocks: list[Block] = []
    cursor = 0
    for sentence in view.sentences:
        if sentence.start < cursor:
            continue
        if sentence.start > cursor:
            blocks.append(_block(view.text, None, cursor, sentence.start, spans, [], []))
        events_here = [
            e.id for e in view.events if e.evidence.start == sentence.start and e.evidence.end == sentence.end
        ]
        classes = _sentence_classes(view, sentence, events_here, event_id, sentence_index)
        blocks.append(_block(view.text, sentence, sentence.start, sentence.end, spans, classes, events_here))
        cursor = sentence.end
    if cursor < len(view.text):
        blocks.append(_block(view.text, None, cursor, len(view.text), spans, [], []))
    return blocks


def _spans(view: DocumentView, event_id: str | None) -> list[_Span]:
    spans = [
        _Span(m.start, m.end, "mention" if m.actor_id else "mention unresolved", f"{m.actor_name or '?'} ({m.rule})")
        for m in view.mentions
    ]
    spans += [_Span(q.start, q.end, f"quote quote-{q.kind}", f"quote by {q.speaker or '?'}") for q in view.quotes]
    for event in view.events:
        css = "trigger trigger-hl" if event.id == event_id else "trigger"
        title = f"{event.code} {event.code_name} ({event.modality})"
        spans.append(_Span(event.trigger_start, event.trigger_end, css, title))
    return spans


def _sentence_classes(
    view: DocumentView, sentence: SentenceSpan, events_here: list[str], event_id: str | None, sentence_index: int | None
) -> list[str]:
    classes = ["sent", f"kind-{sentence.kind}"]
    if not sentence.analysed:
        classes.append("not-analysed")
    if events_here:
        classes.append("has-event")
    if (event_id is not None and event_id in events_here) or sentence_index == sentence.index:
        classes.append("highlight")
    return classes


def _block(text: str, sentence: SentenceSpan | None, start: int, end: int, spans: list[_Span],
           classes: list[str], event_ids: list[str]) -> Block:
    inside = [s for s in spans if s.start < end and s.end > start]
    cuts = sorted({start, end, *(max(start, s.start) for s in inside), *(min(end, s.end) for s in inside)})
    block = Block(sentence=sentence, classes=classes, event_ids=event_ids)
    for left, right in pairwise(cuts):
        covering = [s for s in inside if s.start <= left and s.end >= right]
        css = sorted({c for s in covering for c in s.css.split()})
        title = "; ".join(s.title for s in covering if s.title) or None
        block.runs.append(Run(text=text[left:right], classes=css, title=title))
    return block
