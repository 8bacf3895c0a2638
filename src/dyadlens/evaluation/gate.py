"""The quality gate: per-layer floors that each gold set must reach.

``tests/quality_floors.json`` holds one floor set per gold set:

- the seeds set at the top level (``floors``, ``gold_sha256``, ``why``): the
  development gold in ``../shared``, whose gold and documents live outside
  the repository;
- ``examples``: the second gold set ``examples/gold.jsonl`` over the sample
  corpus ``examples/corpus`` (paths relative to the repository root, in
  ``gold`` and ``docs``), with its own ``floors``, ``gold_sha256`` and ``why``.
  It needs nothing outside the repository: actor names are compared by the
  knowledge base's canonical names rather than ``actors.tsv``;
- ``discourse``: the third, ``examples/discourse.gold.jsonl`` over
  ``examples/discourse`` (invented news from other theatres, written to hold the
  constructions of the discourse layer), in the same form as ``examples``.

A set may also name a cluster gold over its gold (``clusters``, repository-relative,
with its own ``clusters_sha256``): its event-identity clustering is then gated too
(``CLUSTER_METRICS``). A set that names a cluster gold but has no digest yet has not
been measured on it; ``scripts/raise_floors.py`` sets its first floors.

A floor is the lowest acceptable value of a metric; the digest is that of the
gold file the floors were measured on. Floors only go up:
``scripts/raise_floors.py`` rewrites them from a fresh evaluation.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadlens.errors import InputError
from dyadlens.evaluation.harness import evaluate
from dyadlens.evaluation.names import ActorNames, name_key
from dyadlens.evaluation.scorer import Report
from dyadlens.model import MODALITIES
from dyadlens.partial_dates import PartialDate

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.kb.ontology import Ontology
    from dyadlens.resources import Resources

GATE_METRICS = (
    "actors_f1",
    "actors_precision",
    "events_strict_f1",
    "events_lenient_f1",
    "modality_accuracy",
    "date_accuracy",
    "quotes_f1",
    "designations_f1",
)
#: The clustering figures gated for a set that names a cluster gold (:mod:`dyadlens.evaluation.clusters`).
CLUSTER_METRICS = (
    "clusters_pairwise_f1",
    "clusters_pairwise_precision",
)

SEEDS = "seeds"
EXAMPLES = "examples"
DISCOURSE = "discourse"
#: The gold sets whose gold and documents live in the repository (paths in the floors file).
IN_REPO_SETS = (EXAMPLES, DISCOURSE)
#: The learned coder's own floors (:mod:`dyadlens.learned.quality`), beside the gold sets' in the same file.
LEARNED = "learned"
FLOOR_SETS = (SEEDS, *IN_REPO_SETS)

DESIGNATION_STATUSES = (
    "listed",
    "delisted",
    "delisting_proposed",
    "delisting_promised",
    "recognized",
    "recognition_withheld",
)
QUOTE_KINDS = ("direct", "indirect")
_ROOT = re.compile(r"^(0[1-9]|1\d|20)$")


@dataclass(frozen=True)
class Floors:
    """One gold set's floors. ``gold`` and ``docs`` (repository-relative) are set for in-repo sets;
    ``clusters`` (repository-relative) and its digest ``clusters_sha256`` for a set with a cluster gold."""

    floors: dict[str, float]
    gold_sha256: str
    why: str
    gold: str | None = None
    docs: str | None = None
    clusters: str | None = None
    clusters_sha256: str | None = None

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics this set gates: the clustering ones only once measured on its cluster gold."""
        return gated_metrics(self.clusters_sha256 is not None)


def gated_metrics(with_clusters: bool) -> tuple[str, ...]:
    return (*GATE_METRICS, *CLUSTER_METRICS) if with_clusters else GATE_METRICS


def gold_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gate_values(report: Report) -> dict[str, float]:
    """The gated figures of an evaluation report (the clustering ones when it scored clustering)."""
    values = {
        "actors_f1": report.counts("actors").f1,
        "actors_precision": report.counts("actors").precision,
        "events_strict_f1": report.counts("events_strict").f1,
        "events_lenient_f1": report.counts("events_lenient").f1,
        "modality_accuracy": report.accuracy("modality").value,
        "date_accuracy": report.accuracy("date").value,
        "quotes_f1": report.counts("quotes").f1,
        "designations_f1": report.counts("designations").f1,
    }
    if report.clustering is not None:
        values |= {
            "clusters_pairwise_f1": report.clustering.pairwise.f1,
            "clusters_pairwise_precision": report.clustering.pairwise.precision,
        }
    return values


def gate_failures(values: Mapping[str, float], floors: Mapping[str, float]) -> list[str]:
    """One message per metric below its floor, naming the metric, its value and the floor."""
    return [
        f"{name}: {values.get(name, 0.0):.3f} is below its floor {floor:.3f}"
        for name, floor in floors.items()
        if values.get(name, 0.0) < floor
    ]


def round_down(value: float, places: int = 2) -> float:
    """``value`` rounded down to ``places`` decimals (0.5799999 from float noise counts as 0.58)."""
    scale = 10.0**places
    return math.floor(round(value * scale, 6)) / scale


def raised_floors(
    current: Mapping[str, float], values: Mapping[str, float], allow_lower: bool, metrics: Sequence[str] = GATE_METRICS
) -> dict[str, float]:
    """New floors of ``metrics``: the measured values rounded down, never below the old floors unless allowed
    (a metric without an old floor starts from its measured value)."""
    new = {name: round_down(values.get(name, 0.0)) for name in metrics}
    if allow_lower:
        return new
    return {name: max(new[name], current.get(name, 0.0)) for name in metrics}


def _read_floors_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"not a quality-floors file ({type(exc).__name__}: {exc})") from exc
    if not isinstance(data, dict):
        raise InputError(str(path), "not a quality-floors file (expected a JSON object)")
    return data


def _floor_set_payload(data: Mapping[str, Any], floor_set: str) -> Mapping[str, Any]:
    if floor_set not in FLOOR_SETS:
        raise ValueError(f"unknown floor set {floor_set!r} (expected one of {', '.join(FLOOR_SETS)})")
    return data if floor_set == SEEDS else data[floor_set]


def load_floors(path: Path, floor_set: str = SEEDS) -> Floors:
    """The floors of one gold set (``seeds`` by default) from a quality-floors file."""
    data = _read_floors_file(path)
    try:
        part = _floor_set_payload(data, floor_set)
        floors = {name: float(part["floors"][name]) for name in gated_metrics("clusters_sha256" in part)}
        return Floors(
            floors=floors,
            gold_sha256=str(part["gold_sha256"]),
            why=str(part["why"]),
            gold=_optional_text(part, "gold"),
            docs=_optional_text(part, "docs"),
            clusters=_optional_text(part, "clusters"),
            clusters_sha256=_optional_text(part, "clusters_sha256"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not a quality-floors file ({floor_set}: {type(exc).__name__}: {exc})") from exc


def _optional_text(part: Mapping[str, Any], key: str) -> str | None:
    return str(part[key]) if key in part else None


def _floors_payload(floors: Floors) -> dict[str, Any]:
    """A set's JSON object, keys in reading order; paths and digests only where the set has them."""
    fields = {"why": floors.why, "gold": floors.gold, "docs": floors.docs, "gold_sha256": floors.gold_sha256,
              "clusters": floors.clusters, "clusters_sha256": floors.clusters_sha256, "floors": floors.floors}
    return {key: value for key, value in fields.items() if value is not None}


def write_floors(path: Path, floors: Floors, floor_set: str = SEEDS) -> None:
    """Replace one gold set's floors in the file, keeping the other sets as they are."""
    data = _read_floors_file(path) if path.exists() else {}
    payload = _floors_payload(floors)
    if floor_set not in FLOOR_SETS:
        raise ValueError(f"unknown floor set {floor_set!r} (expected one of {', '.join(FLOOR_SETS)})")
    if floor_set == SEEDS:
        data = payload | {key: value for key, value in data.items() if key in (*FLOOR_SETS, LEARNED)}
    else:
        data[floor_set] = payload
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def kb_actor_names(kb: KnowledgeBase) -> ActorNames:
    """The knowledge base's canonical names as the actor table (no aliases: gold and system
    both write canonical names, and for every actor in ``actors.tsv`` the KB name is that name)."""
    names = sorted(set(kb.canonical_names().values()))
    return ActorNames(by_key={name_key(name): name for name in names}, canonical_names=frozenset(names))


def evaluate_in_repo(repo: Path, floors: Floors, resources: Resources) -> Report:
    """Run the full pipeline over an in-repository set's documents and score it against its gold
    (and its clustering, when the set names a cluster gold), actor names from the knowledge base."""
    if floors.gold is None or floors.docs is None:
        raise InputError("quality_floors.json", "the set names no gold or docs path")
    return evaluate(repo / floors.gold, repo / floors.docs, resources, clusters_path=cluster_gold_path(repo, floors),
                    names=kb_actor_names(resources.kb))


def cluster_gold_path(repo: Path, floors: Floors) -> Path | None:
    """The set's cluster gold, when it names one."""
    return repo / floors.clusters if floors.clusters is not None else None


def check_gold(
    lines: Iterable[Mapping[str, Any]], texts: Mapping[str, str], ontology: Ontology, actor_names: Iterable[str]
) -> list[str]:
    """Problems with a gold file, one message each (empty = valid): unknown documents, sentences or
    quoted texts that are not exact substrings of the stored text, invalid roots, codes, modalities,
    statuses, quote kinds or dates, and actor names outside ``actor_names`` or the document's list."""
    known = set(actor_names)
    problems: list[str] = []
    for line in lines:
        doc = str(line.get("doc"))
        if doc not in texts:
            problems.append(f"{doc}: no such document")
            continue
        problems.extend(f"{doc}: {p}" for p in _check_document(line, texts[doc], ontology, known))
    return problems


def _check_document(line: Mapping[str, Any], text: str, ontology: Ontology, known: set[str]) -> list[str]:
    actors = list(line.get("actors") or [])
    published = line.get("published")
    problems = [] if _is_date(published) else [f"published {published!r} is not YYYY, YYYY-MM or YYYY-MM-DD"]
    problems += [f"actor {name!r} is not a canonical name" for name in actors if name not in known]
    for number, event in enumerate(line.get("events") or [], 1):
        problems += [f"event {number}: {p}" for p in _check_event(event, text, ontology, actors)]
    for number, quote in enumerate(line.get("quotes") or [], 1):
        problems += [f"quote {number}: {p}" for p in _check_quote(quote, text, actors)]
    for number, item in enumerate(line.get("designations") or [], 1):
        problems += [f"designation {number}: {p}" for p in _check_designation(item, text, actors)]
    return problems


def _check_event(event: Mapping[str, Any], text: str, ontology: Ontology, actors: list[str]) -> list[str]:
    problems = _check_sentence(event.get("sentence"), text)
    root, code = str(event.get("cameo")), event.get("code")
    if not _ROOT.match(root):
        problems.append(f"cameo root {root!r} is not 01-20")
    if code is not None and not (ontology.is_valid(str(code)) and str(code).startswith(root)):
        problems.append(f"code {code!r} is not a CAMEO code under root {root!r}")
    if event.get("modality") not in MODALITIES:
        problems.append(f"modality {event.get('modality')!r} is not one of {', '.join(MODALITIES)}")
    if event.get("date") is not None and not _is_date(event.get("date")):
        problems.append(f"date {event.get('date')!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if event.get("target") is not None:
        problems += _check_actors(actors, event.get("target"))
    return problems + _check_actors(actors, event.get("source"))


def _check_quote(quote: Mapping[str, Any], text: str, actors: list[str]) -> list[str]:
    problems: list[str] = []
    quoted = quote.get("text")
    if not isinstance(quoted, str) or not quoted or quoted not in text:
        problems.append(f"text {quoted!r} is not an exact substring of the document")
    if quote.get("kind") not in QUOTE_KINDS:
        problems.append(f"kind {quote.get('kind')!r} is not direct or indirect")
    if not quote.get("speaker"):
        problems.append("no speaker")
    if quote.get("speaker_actor") is not None and quote.get("speaker_actor") not in actors:
        problems.append(f"speaker_actor {quote.get('speaker_actor')!r} is not in the document's actors")
    return problems


def _check_designation(item: Mapping[str, Any], text: str, actors: list[str]) -> list[str]:
    problems = _check_sentence(item.get("sentence"), text)
    if item.get("status") not in DESIGNATION_STATUSES:
        problems.append(f"status {item.get('status')!r} is not one of {', '.join(DESIGNATION_STATUSES)}")
    if item.get("date") is not None and not _is_date(item.get("date")):
        problems.append(f"date {item.get('date')!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return problems + _check_actors(actors, item.get("designator"), item.get("designee"))


def _check_sentence(sentence: Any, text: str) -> list[str]:
    if isinstance(sentence, str) and sentence and sentence in text:
        return []
    return [f"sentence {sentence!r} is not an exact substring of the document"]


def _check_actors(actors: list[str], *names: Any) -> list[str]:
    return [f"actor {name!r} is not in the document's actors" for name in names if name not in actors]


def _is_date(value: Any) -> bool:
    """None, or a partial date written in its canonical form (no blanks, two-digit months and days)."""
    if value is None:
        return True
    found = PartialDate.parse_or_none(value) if isinstance(value, str) else None
    return found is not None and str(found) == value
