"""The learned coder's model: input encoding, the ONNX graph against torch, the shipped weights."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from dyadlens.learned.encoding import CLS, MARK_CLOSE, MARK_OPEN, MAX_TOKENS, SEP, SpanMention, encode
from dyadlens.learned.weights import SHIPPED, Adapter, CoderWeightsError, load_tokenizer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return load_tokenizer()


def test_every_mention_is_marked_and_each_actor_keeps_its_marks(tokenizer) -> None:  # type: ignore[no-untyped-def]
    text = "Kenyan and Somali officials met, Nairobi's ministry said."
    mentions = [SpanMention(0, 6, "KEN"), SpanMention(11, 17, "SOM"), SpanMention(33, 40, "KEN")]
    encoded = encode(tokenizer, text, mentions)
    assert encoded.ids[0] == CLS and encoded.ids[-1] == SEP
    assert encoded.ids.count(MARK_OPEN) == 3 and encoded.ids.count(MARK_CLOSE) == 3
    assert list(encoded.marks) == ["KEN", "SOM"]
    assert len(encoded.marks["KEN"]) == 2
    for positions in encoded.marks.values():
        for position in positions:
            assert encoded.ids[position] == MARK_OPEN
            assert tokenizer.id_to_token(encoded.ids[position + 1]) in {"kenyan", "somali", "nairobi"}


def test_a_mention_inside_another_is_marked_once_and_a_long_sentence_is_cut(tokenizer) -> None:  # type: ignore[no-untyped-def]
    mentions = [SpanMention(4, 28, "RUS"), SpanMention(4, 11, "X")]
    nested = encode(tokenizer, "The Russian Foreign Ministry said.", mentions)
    assert list(nested.marks) == ["RUS"]
    long_text = "word " * 200 + "Kenya"
    cut = encode(tokenizer, long_text, [SpanMention(0, 4, "A"), SpanMention(len(long_text) - 5, len(long_text), "B")])
    assert len(cut.ids) == MAX_TOKENS and cut.ids[-1] == SEP
    assert list(cut.marks) == ["A"]


def test_the_onnx_graph_computes_what_the_training_encoder_computes(tokenizer) -> None:  # type: ignore[no-untyped-def]
    torch = pytest.importorskip("torch")
    from dyadlens.learned.classifier import PairClassifier
    from dyadlens.learned.encoding import padded
    from dyadlens.learned.train import Settings, Trainer
    from dyadlens.learned.weights import load_base

    trainer = Trainer(load_base(), [], Settings(seed=3))
    with torch.no_grad():  # an adapter that changes something: random LoRA updates and marks
        for layer in trainer.encoder.lora_layers().values():
            layer.b.normal_(0, 0.02)
        trainer.encoder.marks.normal_(0, 0.5)
    classifier = PairClassifier(trainer.adapter())
    batch = [encode(tokenizer, text, [SpanMention(0, 5, "A"), SpanMention(10, 15, "B")])
             for text in ("Chile and Peru signed a deal.", "Japan urged China to show restraint in the strait.")]
    ids, mask = padded(batch)
    trainer.encoder.eval()
    with torch.no_grad():
        expected = trainer.encoder(torch.tensor(ids), torch.tensor(mask)).numpy()
    found = classifier.hidden_states(batch)
    assert np.abs(found - expected)[np.array(mask, dtype=bool)].max() < 1e-4


def test_the_shipped_weights_fit_the_pinned_base_and_are_small() -> None:
    adapter = Adapter.read(SHIPPED)
    assert SHIPPED.stat().st_size < 10_000_000
    assert adapter.meta["codes"] and all(len(code) >= 3 for code in adapter.meta["codes"])
    assert any(key.startswith("lora.") for key in adapter.tensors)


def test_a_file_that_is_not_a_coder_is_refused(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    path = tmp_path / "other.safetensors"
    save_file({"x": np.zeros(2, dtype=np.float32)}, str(path))
    with pytest.raises(CoderWeightsError, match="not a dyadlens coder file"):
        Adapter.read(path)


def test_the_classifier_scores_every_ordered_pair() -> None:
    from dyadlens.learned.classifier import PairClassifier

    classifier = PairClassifier.from_file()
    text = "Russia and Ukraine exchanged prisoners on Tuesday in talks hosted by Turkey."
    mentions = [SpanMention(0, 6, "RUS"), SpanMention(11, 18, "UKR"), SpanMention(69, 75, "TUR")]
    [found] = classifier.predict([(text, mentions)])
    assert {(p.source, p.target) for p in found} == {
        ("RUS", "UKR"), ("UKR", "RUS"), ("RUS", "TUR"), ("TUR", "RUS"), ("UKR", "TUR"), ("TUR", "UKR")}
    for prediction in found:
        assert 0.0 <= prediction.score <= 1.0 and prediction.code.startswith(prediction.root)
    assert classifier.predict([("Nobody here.", [SpanMention(0, 6, "X")])]) == [[]]


def test_the_learned_coder_runs_without_torch(tmp_path: Path) -> None:
    """Run time needs no torch: a torch that cannot be imported, and records any attempt, changes nothing."""
    blocker, attempt = tmp_path / "blocked", tmp_path / "torch-imported"
    (blocker / "torch").mkdir(parents=True)
    (blocker / "torch" / "__init__.py").write_text(
        f"open({str(attempt)!r}, 'w').close()\nraise ImportError('torch is not installed here')\n")
    script = textwrap.dedent("""
        from dyadlens.learned.classifier import PairClassifier
        from dyadlens.learned.encoding import SpanMention
        [found] = PairClassifier.from_file().predict([("Chile and Peru signed a deal.",
                                                       [SpanMention(0, 5, "A"), SpanMention(10, 14, "B")])])
        assert len(found) == 2
        print("ok")
    """)
    env = {"PYTHONPATH": str(blocker), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert not attempt.exists(), "the run-time path imported torch"
