"""Scoring system output against gold, as the "Scoring" section of GUIDELINES.md says.

Per document and layer, system items are matched one-to-one to gold items
(a maximum matching, see :mod:`dyadlens.evaluation.matching`); every figure
is micro-averaged over documents and kept with its counts.

- actors: the set of canonical names per document.
- events, strict: tied to the gold sentence (see :mod:`dyadlens.evaluation.align`),
  same canonical source and target, same CAMEO root. Lenient: tied, same
  unordered dyad. Modality and date accuracy are over strict matches.
- quotes: same speaker and Jaccard >= 0.8 over lower-cased word tokens of the
  quoted text. Speakers agree when (a) one normalised name (lower-cased word
  tokens, a leading "the" dropped) ends with the other's words, so a
  surname-only "Kabulov" or a titled "Foreign Minister Sergey Lavrov" agrees
  with "Sergey Lavrov"; or (b) the gold speaker is an organisation and both
  speaker actors map to the same canonical actor. A gold speaker counts as
  an organisation when its name is a canonical actor name ("TASS") or is not
  shaped like a personal name (2 to 4 capitalised words with no parentheses):
  "Pakistan (Islamabad)", "Joint statement of ...".
- designations: same designator, designee and status; date agreement is
  reported separately, over the matches.
- dates agree when equal at the gold's precision: a system date more precise
  than the gold's agrees when its prefix matches; both null agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dyadlens.errors import InputError
from dyadlens.evaluation.align import SentenceLocator, Span, spans_tie
from dyadlens.evaluation.matching import maximum_matching
from dyadlens.evaluation.metrics import Accuracy, Counts, sum_accuracy, sum_counts
from dyadlens.evaluation.names import ActorNames

if TYPE_CHECKING:
    from dyadlens.evaluation.clusters import ClusterScore

QUOTE_JACCARD = 0.8
COUNT_LAYERS = ("actors", "events_strict", "events_lenient", "quotes", "designations")
ACCURACY_LAYERS = ("modality", "date", "designation_date")

_WORD = re.compile(r"\w+")
_PERSON_WORD = re.compile(r"^[A-Z][\w.'’-]*$")

Item = dict[str, Any]


@dataclass(frozen=True)
class ScoreError:
    """One false alarm, miss or disagreement, with the sentence it is about."""

    doc: str
    layer: str
    kind: str  # false alarm | miss | modality | date
    item: str
    sentence: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "layer": self.layer, "kind": self.kind, "item": self.item, "sentence": self.sentence}


@dataclass
class DocScore:
    doc: str
    counts: dict[str, Counts] = field(default_factory=dict)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    #: gold event index -> system event index of the strict event matches (event identity is scored on them)
    event_matches: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "layers": {k: v.as_dict() for k, v in self.counts.items()},
            "accuracy": {k: v.as_dict() for k, v in self.accuracy.items()},
        }


@dataclass
class Report:
    documents: list[DocScore] = field(default_factory=list)
    errors: list[ScoreError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: event identity against a cluster gold (``eval --clusters``), else None
    clustering: ClusterScore | None = None

    def counts(self, layer: str) -> Counts:
        return sum_counts(d.counts[layer] for d in self.documents)

    def accuracy(self, name: str) -> Accuracy:
        return sum_accuracy(d.accuracy[name] for d in self.documents)

    def as_dict(self, with_errors: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "layers": {layer: self.counts(layer).as_dict() for layer in COUNT_LAYERS},
            "accuracy": {name: self.accuracy(name).as_dict() for name in ACCURACY_LAYERS},
            "documents": [d.as_dict() for d in self.documents],
            "warnings": list(self.warnings),
        }
        if self.clustering is not None:
            payload["clustering"] = self.clustering.as_dict()
        if with_errors:
            payload["errors"] = [e.as_dict() for e in self.errors]
        return payload


def score(
    system_lines: Iterable[Item],
    gold_lines: Iterable[Item],
    texts: Mapping[str, str],
    names: ActorNames,
) -> Report:
    """Score system lines against gold lines; ``texts`` maps doc ids to document texts."""
    system_by_doc = {line["doc"]: line for line in system_lines}
    report = Report()
    for gold in gold_lines:
        doc = gold["doc"]
        if doc not in texts:
            raise InputError(doc, "gold document not found among --docs")
        system = system_by_doc.pop(doc, {"doc": doc})
        _score_document(_DocContext(doc, texts[doc], names, report), system, gold)
    report.warnings.extend(f"{doc}: system document has no gold line; ignored" for doc in sorted(system_by_doc))
    return report


@dataclass
class _DocContext:
    doc: str
    text: str
    names: ActorNames
    report: Report
    gold_locator: SentenceLocator = field(init=False)
    system_locator: SentenceLocator = field(init=False)

    def __post_init__(self) -> None:
        self.gold_locator = SentenceLocator(self.text)
        self.system_locator = SentenceLocator(self.text)

    def gold_span(self, item: Item) -> Span | None:
        sentence = item.get("sentence") or ""
        seen_before = sentence in self.gold_locator.found
        span = self.gold_locator.locate(sentence)
        if span is None and not seen_before:
            self.report.warnings.append(f"{self.doc}: gold sentence not found in the text: {sentence[:80]!r}")
        return span

    def system_span(self, item: Item) -> Span | None:
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and end > start:
            return (start, end)
        return self.system_locator.locate(item.get("sentence") or "")

    def actor(self, name: str | None) -> str | None:
        return self.names.canonical(name)

    def error(self, layer: str, kind: str, item: str, sentence: str | None) -> None:
        self.report.errors.append(ScoreError(self.doc, layer, kind, item, sentence))


def _score_document(ctx: _DocContext, system: Item, gold: Item) -> None:
    result = DocScore(ctx.doc)
    result.counts["actors"] = _score_actors(ctx, system.get("actors", []), gold.get("actors", []))
    strict, lenient, modality, date, result.event_matches = _score_events(
        ctx, system.get("events", []), gold.get("events", [])
    )
    result.counts.update(events_strict=strict, events_lenient=lenient)
    result.counts["quotes"] = _score_quotes(ctx, system.get("quotes", []), gold.get("quotes", []))
    designations, designation_date = _score_designations(
        ctx, system.get("designations", []), gold.get("designations", [])
    )
    result.counts["designations"] = designations
    result.accuracy.update(modality=modality, date=date, designation_date=designation_date)
    ctx.report.documents.append(result)


def _score_actors(ctx: _DocContext, system: Sequence[str], gold: Sequence[str]) -> Counts:
    system_set = {ctx.names.canonical(n) or n for n in system}
    gold_set = {ctx.names.canonical(n) or n for n in gold}
    for name in sorted(system_set - gold_set):
        ctx.error("actors", "false alarm", name, None)
    for name in sorted(gold_set - system_set):
        ctx.error("actors", "miss", name, None)
    return Counts(len(system_set & gold_set), len(system_set), len(gold_set))


def dates_agree(gold: str | None, system: str | None) -> bool:
    """Equal at the gold's precision; a more precise system date agrees when its prefix matches."""
    if gold is None or system is None:
        return gold is None and system is None
    return system == gold or system.startswith(gold + "-")


def _root(event: Item) -> str:
    return str(event.get("cameo") or event.get("code") or "")[:2]


def _describe_event(ctx: _DocContext, event: Item) -> str:
    code = event.get("code") or event.get("cameo") or "?"
    source, target = ctx.actor(event.get("source")), ctx.actor(event.get("target"))
    return f"{source} -> {target} {code} {event.get('modality')} {event.get('date')}"


def _score_events(
    ctx: _DocContext, system: Sequence[Item], gold: Sequence[Item]
) -> tuple[Counts, Counts, Accuracy, Accuracy, dict[int, int]]:
    gold_spans = [ctx.gold_span(e) for e in gold]
    system_spans = [ctx.system_span(e) for e in system]

    def dyad(event: Item) -> tuple[str | None, str | None]:
        return ctx.actor(event.get("source")), ctx.actor(event.get("target"))

    def strict(g: int, s: int) -> bool:
        return dyad(gold[g]) == dyad(system[s]) and _root(gold[g]) == _root(system[s])

    def lenient(g: int, s: int) -> bool:
        return sorted(dyad(gold[g]), key=str) == sorted(dyad(system[s]), key=str)

    def agreement(g: int, s: int) -> int:
        same_modality = gold[g].get("modality") == system[s].get("modality")
        return int(same_modality) + int(dates_agree(gold[g].get("date"), system[s].get("date")))

    tied = [[s for s in range(len(system)) if spans_tie(gold_spans[g], system_spans[s])] for g in range(len(gold))]
    strict_matches = _match(tied, strict, agreement)
    lenient_matches = _match(tied, lenient, agreement)
    _report_unmatched(ctx, "events", gold, system, strict_matches, lambda e: _describe_event(ctx, e))
    modality, date = _event_accuracy(ctx, gold, system, strict_matches)
    strict_counts = Counts(len(strict_matches), len(system), len(gold))
    return strict_counts, Counts(len(lenient_matches), len(system), len(gold)), modality, date, strict_matches


def _match(
    tied: Sequence[Sequence[int]],
    accept: Callable[[int, int], bool],
    preference: Callable[[int, int], float],
) -> dict[int, int]:
    candidates = [_ranked(g, tied[g], accept, preference) for g in range(len(tied))]
    return maximum_matching(candidates)


def _ranked(
    g: int, tied: Sequence[int], accept: Callable[[int, int], bool], preference: Callable[[int, int], float]
) -> list[int]:
    """The system items gold item ``g`` may match, most preferred first."""
    accepted = [s for s in tied if accept(g, s)]
    return sorted(accepted, key=lambda s: -preference(g, s))


def _event_accuracy(
    ctx: _DocContext, gold: Sequence[Item], system: Sequence[Item], matches: Mapping[int, int]
) -> tuple[Accuracy, Accuracy]:
    modality_ok = date_ok = 0
    for g, s in sorted(matches.items()):
        if gold[g].get("modality") == system[s].get("modality"):
            modality_ok += 1
        else:
            ctx.error("events", "modality", f"gold {gold[g].get('modality')}, system {system[s].get('modality')}",
                      gold[g].get("sentence"))
        if dates_agree(gold[g].get("date"), system[s].get("date")):
            date_ok += 1
        else:
            ctx.error("events", "date", f"gold {gold[g].get('date')}, system {system[s].get('date')}",
                      gold[g].get("sentence"))
    return Accuracy(modality_ok, len(matches)), Accuracy(date_ok, len(matches))


def _report_unmatched(
    ctx: _DocContext,
    layer: str,
    gold: Sequence[Item],
    system: Sequence[Item],
    matches: Mapping[int, int],
    describe: Callable[[Item], str],
) -> None:
    matched_system = set(matches.values())
    for s, item in enumerate(system):
        if s not in matched_system:
            ctx.error(layer, "false alarm", describe(item), item.get("sentence") or item.get("text"))
    for g, item in enumerate(gold):
        if g not in matches:
            ctx.error(layer, "miss", describe(item), item.get("sentence") or item.get("text"))


def word_tokens(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").casefold()))


def jaccard(a: str | None, b: str | None) -> float:
    left, right = word_tokens(a), word_tokens(b)
    union = left | right
    return len(left & right) / len(union) if union else 1.0


def _name_words(name: str | None) -> list[str]:
    words = _WORD.findall((name or "").casefold())
    return words[1:] if words[:1] == ["the"] else words


def names_agree(gold: str | None, system: str | None) -> bool:
    """One normalised name ends with the other's words (surname-only and titled forms agree)."""
    gold_words, system_words = _name_words(gold), _name_words(system)
    if not gold_words or not system_words:
        return False
    shorter, longer = sorted((gold_words, system_words), key=len)
    return longer[-len(shorter):] == shorter


def is_organisation_speaker(speaker: str | None, names: ActorNames) -> bool:
    if not speaker:
        return True
    if names.is_canonical_name(speaker):
        return True
    words = speaker.split()
    return not (2 <= len(words) <= 4 and all(_PERSON_WORD.match(w) for w in words))


def speakers_agree(gold: Item, system: Item, names: ActorNames) -> bool:
    if names_agree(gold.get("speaker"), system.get("speaker")):
        return True
    gold_actor = names.canonical(gold.get("speaker_actor"))
    return (
        gold_actor is not None
        and is_organisation_speaker(gold.get("speaker"), names)
        and names.canonical(system.get("speaker_actor")) == gold_actor
    )


def _describe_quote(quote: Item) -> str:
    return f"{quote.get('speaker')} ({quote.get('speaker_actor')}, {quote.get('kind')}): {quote.get('text')}"


def _score_quotes(ctx: _DocContext, system: Sequence[Item], gold: Sequence[Item]) -> Counts:
    def accept(g: int, s: int) -> bool:
        return (
            speakers_agree(gold[g], system[s], ctx.names)
            and jaccard(gold[g].get("text"), system[s].get("text")) >= QUOTE_JACCARD
        )

    def overlap(g: int, s: int) -> float:
        return jaccard(gold[g].get("text"), system[s].get("text"))

    every = [list(range(len(system))) for _ in gold]
    matches = _match(every, accept, overlap)
    _report_unmatched(ctx, "quotes", gold, system, matches, _describe_quote)
    return Counts(len(matches), len(system), len(gold))


def _describe_designation(ctx: _DocContext, item: Item) -> str:
    designator, designee = ctx.actor(item.get("designator")), ctx.actor(item.get("designee"))
    return f"{designator} -> {designee} {item.get('status')} {item.get('date')}"


def _score_designations(ctx: _DocContext, system: Sequence[Item], gold: Sequence[Item]) -> tuple[Counts, Accuracy]:
    def key(item: Item) -> tuple[str | None, str | None, str | None]:
        return ctx.actor(item.get("designator")), ctx.actor(item.get("designee")), item.get("status")

    def accept(g: int, s: int) -> bool:
        return key(gold[g]) == key(system[s])

    def same_date(g: int, s: int) -> float:
        return float(dates_agree(gold[g].get("date"), system[s].get("date")))

    every = [list(range(len(system))) for _ in gold]
    matches = _match(every, accept, same_date)
    _report_unmatched(ctx, "designations", gold, system, matches, lambda d: _describe_designation(ctx, d))
    agreeing = 0
    for g, s in sorted(matches.items()):
        if same_date(g, s):
            agreeing += 1
        else:
            ctx.error("designations", "date", f"gold {gold[g].get('date')}, system {system[s].get('date')}",
                      gold[g].get("sentence"))
    return Counts(len(matches), len(system), len(gold)), Accuracy(agreeing, len(matches))
