"""``dyadlens train``: fine-tune the learned coder on the analyst's corrections in one store.

The corrections (:mod:`dyadlens.store.corrections`) become labelled pairs in their sentences,
with the store's own mentions. A seeded share of those sentences is held out; the rest, with
the shipped training corpus, fine-tunes the coder the store uses now (its own weights, else the
shipped ones). The new weights are installed for that store only if they label the held-out
pairs better than the current coder. Nothing leaves the machine.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadlens.learned.encoding import SpanMention, encode
from dyadlens.learned.pairs import NONE, Example, LabelledPair
from dyadlens.learned.scoring import scored_pairs
from dyadlens.learned.weights import SHIPPED, Adapter, load_tokenizer, sha256_of
from dyadlens.model import DocumentRecords
from dyadlens.store.corrections import Correction, active_weights, corrections, install_weights
from dyadlens.store.store import Store

#: the compiled training corpus of a source checkout (``make model`` builds it)
REPOSITORY_CORPUS = Path(__file__).resolve().parents[3] / "training" / "train.jsonl"


@dataclass(frozen=True)
class TuningSettings:
    epochs: int = 2
    holdout: float = 0.3
    boost: int = 4  # how many times each corrected sentence is seen per epoch
    corpus_share: float = 1.0  # share of the shipped corpus trained beside the corrections
    threshold: float = 0.5
    seed: int = 13


def corrected_pairs(found: Iterable[Correction]) -> dict[tuple[str, int, int], dict[tuple[str, str], LabelledPair]]:
    """Per sentence, the pairs the corrections label (a later correction of a pair wins)."""
    sentences: dict[tuple[str, int, int], dict[tuple[str, str], LabelledPair]] = {}
    for c in found:
        pairs = sentences.setdefault((c.doc_id, c.start, c.end), {})
        if c.source is None or c.target is None:
            continue
        if c.action == "reject":
            pairs[(c.source, c.target)] = LabelledPair(c.source, c.target, NONE)
            continue
        if c.action == "recode" and c.was_source and c.was_target and (c.was_source, c.was_target) != (
                c.source, c.target):
            pairs[(c.was_source, c.was_target)] = LabelledPair(c.was_source, c.was_target, NONE)
        code = c.code or ""
        pairs[(c.source, c.target)] = LabelledPair(c.source, c.target, code[:2], code, c.modality)
    return sentences


def correction_examples(store: Store, tokenizer: Any) -> list[Example]:
    """The corrected sentences as examples: their text, the store's mentions, the corrected pairs."""
    examples = []
    loaded: dict[str, DocumentRecords | None] = {}
    for (doc_id, start, end), pairs in corrected_pairs(corrections(store)).items():
        if doc_id not in loaded:
            loaded[doc_id] = store.load_records(doc_id)
        records = loaded[doc_id]
        if records is None or not pairs:
            continue
        mentions = [SpanMention(m.start - start, m.end - start, m.actor_id) for m in records.mentions
                    if m.actor_id is not None and start <= m.start and m.end <= end]
        text = records.document.text[start:end]
        encoded = encode(tokenizer, text, mentions)
        kept = [p for p in pairs.values() if p.source in encoded.marks and p.target in encoded.marks]
        if kept:
            examples.append(Example(text, mentions, encoded, kept))
    return examples


def split(found: Sequence[Example], holdout: float, seed: int) -> tuple[list[Example], list[Example]]:
    """(train, held out): a seeded share of the sentences, at least one, held out."""
    order = list(range(len(found)))
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(found) * holdout))
    held = set(order[:cut])
    return [e for i, e in enumerate(found) if i not in held], [e for i, e in enumerate(found) if i in held]


def accuracy(adapter_path: Path, held_out: Sequence[Example], threshold: float) -> float:
    """Share of the held-out pairs whose label (no event, or the root) the coder gets right."""
    from dyadlens.learned.classifier import PairClassifier

    rows = scored_pairs(PairClassifier.from_file(adapter_path), held_out)
    return sum(row.label(threshold) == row.gold.label for row in rows) / max(len(rows), 1)


def tune(store: Store, settings: TuningSettings, corpus: Path | None, log: Any = print) -> dict[str, Any]:
    """Train on the store's corrections; install the weights if they beat the current coder."""
    from dyadlens.learned import corpus as corpus_files
    from dyadlens.learned.make_model import subset
    from dyadlens.learned.pairs import examples
    from dyadlens.learned.train import Settings, Trainer
    from dyadlens.learned.weights import load_base

    tokenizer = load_tokenizer()
    found = correction_examples(store, tokenizer)
    if len(found) < 2:
        raise ValueError(f"{len(found)} corrected sentence(s) with both actors found: at least 2 are needed")
    train, held_out = split(found, settings.holdout, settings.seed)
    shipped = []
    if settings.corpus_share > 0:
        if corpus is None or not corpus.is_file():
            raise ValueError(f"no training corpus at {corpus}: give --corpus, or --corpus-share 0")
        shipped = subset(examples(corpus_files.load(corpus), tokenizer), settings.corpus_share, settings.seed)
    with tempfile.TemporaryDirectory(prefix="dyadlens-train-") as folder:
        current = _current_adapter(store, Path(folder))
        trainer = Trainer(load_base(), [*shipped, *train * settings.boost],
                          Settings(epochs=settings.epochs, seed=settings.seed))
        trainer.load(Adapter.read(current))
        candidate = Path(folder) / "candidate.safetensors"
        trainer.run(log).write(candidate)
        report: dict[str, Any] = {
            "corrected_sentences": len(found), "held_out_sentences": len(held_out),
            "held_out_pairs": sum(len(e.pairs) for e in held_out),
            "current": accuracy(current, held_out, settings.threshold),
            "new": accuracy(candidate, held_out, settings.threshold),
            "settings": vars(settings),
        }
        report["installed"] = report["new"] > report["current"]
        if report["installed"]:
            install_weights(store, sha256_of(candidate), candidate.read_bytes(), report)
    return report


def _current_adapter(store: Store, folder: Path) -> Path:
    """The store's active weights as a file, else the shipped ones."""
    stored = active_weights(store)
    if stored is None:
        return SHIPPED
    path = folder / "current.safetensors"
    path.write_bytes(stored.data)
    return path


def store_weights_file(store: Store) -> Path | None:
    """The store's own coder weights as a file in the user's cache (named by their hash, so a
    run and its worker processes read the same file), or None: the shipped weights."""
    import platformdirs

    stored = active_weights(store)
    if stored is None:
        return None
    path = Path(platformdirs.user_cache_dir("dyadlens")) / f"coder-{stored.id}.safetensors"
    if not path.is_file() or sha256_of(path) != stored.id:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(stored.data)
        partial.replace(path)
    return path
