"""``make model``: compile the corpus, fine-tune the coder, write the shipped weights, score them.

    python -m dyadlens.learned.make_model [--out FILE] [--fraction F] [--epochs N]

Needs the ``train`` extra (torch). Seeded: from the committed corpus and the pinned base it
reproduces ``src/dyadlens/learned/data/coder.safetensors`` on a machine with the same thread
count (its sha256 and scores are printed and recorded in docs/learned-coder.md).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from dyadlens.learned import corpus
from dyadlens.learned.pairs import Example, examples
from dyadlens.learned.scoring import score_classifier
from dyadlens.learned.weights import SHIPPED, load_base, load_tokenizer, sha256_of

CORPUS = Path("training")


def subset(found: list[Example], fraction: float, seed: int) -> list[Example]:
    """A seeded share of the examples (for the learning curve)."""
    if fraction >= 1.0:
        return found
    chosen = random.Random(seed).sample(range(len(found)), round(len(found) * fraction))
    return [found[i] for i in sorted(chosen)]


def main() -> None:
    from dyadlens.learned.classifier import PairClassifier
    from dyadlens.learned.train import Settings, Trainer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--fraction", type=float, default=1.0, help="train on this share of the sentences")
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    corpus.build(args.corpus)
    tokenizer = load_tokenizer()
    settings = Settings(epochs=args.epochs)
    train = subset(examples(corpus.load(args.corpus / "train.jsonl"), tokenizer), args.fraction, settings.seed)
    started = time.perf_counter()
    adapter = Trainer(load_base(), train, settings).run()
    seconds = time.perf_counter() - started  # printed, not stored: the file must not depend on the clock
    adapter.write(args.out)
    test = examples(corpus.load(args.corpus / "test.jsonl"), tokenizer)
    scores = score_classifier(PairClassifier.from_file(args.out), test)
    print(json.dumps({"file": str(args.out), "sha256": sha256_of(args.out), "bytes": args.out.stat().st_size,
                      "train_sentences": len(train), "train_pairs": sum(len(e.pairs) for e in train),
                      "training_seconds": round(seconds), "test": scores}, indent=2))


if __name__ == "__main__":
    main()
