"""Fine-tune the learned coder (needs the ``train`` extra: torch, CPU wheel).

The encoder is the same BERT as :mod:`dyadlens.learned.graph`, written in torch, with
low-rank (LoRA) updates on its dense layers; the layer norms, the two marker embeddings and
the heads are trained whole. Only those leave training (:class:`~dyadlens.learned.weights.Adapter`),
so what ships is a few MB and the run-time graph is the base plus them. Seeded: the same data,
settings and thread count give the same weights.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from dyadlens.learned.classifier import MINILM
from dyadlens.learned.encoding import EVENT_LABELS, MARK_CLOSE, MARK_OPEN, MODALITY_LABELS, padded
from dyadlens.learned.pairs import Example, LabelledPair
from dyadlens.learned.weights import BASE_SHA256, WORD_EMBEDDINGS, Adapter

LORA_TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "intermediate.dense", "output.dense")
IGNORE = -100


@dataclass(frozen=True)
class Settings:
    epochs: int = 5
    batch: int = 16
    rank: int = 16
    alpha: float = 32.0
    lr: float = 1e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    seed: int = 13
    threads: int = 2
    min_code_count: int = 3


class LoraLinear(nn.Module):
    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, rank: int, scale: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight, requires_grad=False)
        self.bias = nn.Parameter(bias, requires_grad=False)
        self.a = nn.Parameter(torch.randn(rank, weight.shape[1]) / rank)
        self.b = nn.Parameter(torch.zeros(weight.shape[0], rank))
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias) + self.scale * F.linear(F.linear(x, self.a), self.b)


class Encoder(nn.Module):
    """MiniLM-L6 in torch, the base frozen, LoRA on every dense layer."""

    def __init__(self, base: dict[str, np.ndarray], settings: Settings) -> None:
        super().__init__()
        tensor = {key: torch.tensor(value) for key, value in base.items()}
        self.scale = settings.alpha / settings.rank
        self.words = nn.Parameter(tensor[WORD_EMBEDDINGS], requires_grad=False)
        self.marks = nn.Parameter(tensor[WORD_EMBEDDINGS][[MARK_OPEN, MARK_CLOSE]].clone())
        self.positions = nn.Parameter(tensor["embeddings.position_embeddings.weight"], requires_grad=False)
        self.token_type = nn.Parameter(tensor["embeddings.token_type_embeddings.weight"][0], requires_grad=False)
        self.norms = nn.ParameterDict()
        self.dense = nn.ModuleDict()
        for key in tensor:
            if "LayerNorm" in key:
                self.norms[_slot(key)] = nn.Parameter(tensor[key])
        for layer in range(MINILM.layers):
            for target in LORA_TARGETS:
                name = f"encoder.layer.{layer}.{target}"
                self.dense[_slot(name)] = LoraLinear(tensor[f"{name}.weight"], tensor[f"{name}.bias"],
                                                     settings.rank, self.scale)
        self.dropout = nn.Dropout(settings.dropout)

    def lora_layers(self) -> dict[str, LoraLinear]:
        """The dense layers by their weight names (``encoder.layer.0.attention.self.query``)."""
        return {slot.replace("__", "."): layer for slot, layer in self.dense.items() if isinstance(layer, LoraLinear)}

    def _norm(self, x: torch.Tensor, prefix: str) -> torch.Tensor:
        return F.layer_norm(x, (MINILM.hidden,), self.norms[_slot(f"{prefix}.weight")],
                            self.norms[_slot(f"{prefix}.bias")], MINILM.eps)

    def _dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
        result: torch.Tensor = self.dense[_slot(name)](x)
        return result

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        words = F.embedding(ids, self.words)
        for row, token in enumerate((MARK_OPEN, MARK_CLOSE)):
            words = torch.where((ids == token)[..., None], self.marks[row], words)
        x = self._norm(words + self.positions[: ids.shape[1]] + self.token_type, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for layer in range(MINILM.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}")
        return x

    def _layer(self, x: torch.Tensor, bias: torch.Tensor, prefix: str) -> torch.Tensor:
        batch, tokens, _ = x.shape
        size = MINILM.hidden // MINILM.heads

        def heads(name: str) -> torch.Tensor:
            return self._dense(x, f"{prefix}.attention.self.{name}").view(batch, tokens, MINILM.heads, size) \
                .transpose(1, 2)

        scores = heads("query") @ heads("key").transpose(-1, -2) / size**0.5 + bias
        context = (self.dropout(torch.softmax(scores, -1)) @ heads("value")).transpose(1, 2)
        attended = self._dense(context.reshape(batch, tokens, MINILM.hidden), f"{prefix}.attention.output.dense")
        x = self._norm(self.dropout(attended) + x, f"{prefix}.attention.output.LayerNorm")
        inner = F.gelu(self._dense(x, f"{prefix}.intermediate.dense"))
        return self._norm(self.dropout(self._dense(inner, f"{prefix}.output.dense")) + x, f"{prefix}.output.LayerNorm")


def _slot(key: str) -> str:
    """A weight name as a module-dict key (no dots)."""
    return key.replace(".", "__")


class PairHeads(nn.Module):
    def __init__(self, codes: int, hidden: int = MINILM.hidden, dropout: float = 0.1) -> None:
        super().__init__()
        self.hidden = nn.Linear(3 * hidden, hidden)
        self.event = nn.Linear(hidden, len(EVENT_LABELS))
        self.code = nn.Linear(hidden, max(codes, 1))
        self.modality = nn.Linear(hidden, len(MODALITY_LABELS))
        self.dropout = nn.Dropout(dropout)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        shared = F.gelu(self.hidden(self.dropout(features)))
        return self.event(shared), self.code(shared), self.modality(shared)


def code_vocabulary(examples: Iterable[Example], min_count: int) -> list[str]:
    counts = Counter(p.code for e in examples for p in e.pairs if p.code and p.label != "none")
    return sorted(code for code, count in counts.items() if count >= min_count)


class Trainer:
    def __init__(self, base: dict[str, np.ndarray], examples: Sequence[Example], settings: Settings) -> None:
        torch.manual_seed(settings.seed)
        torch.set_num_threads(settings.threads)
        self.settings = settings
        self.examples = list(examples)
        self.codes = code_vocabulary(self.examples, settings.min_code_count)
        self.encoder = Encoder(base, settings)
        self.heads = PairHeads(len(self.codes), dropout=settings.dropout)

    def load(self, adapter: Adapter) -> None:
        """Start from trained weights (``dyadlens train`` continues the coder in use)."""
        self.codes = list(adapter.meta["codes"])
        self.heads = PairHeads(len(self.codes), dropout=self.settings.dropout)
        tensors = {key: torch.tensor(value) for key, value in adapter.tensors.items()}
        with torch.no_grad():
            self.encoder.marks.copy_(tensors["rows.marks"])
            for slot, parameter in self.encoder.norms.items():
                parameter.copy_(tensors[f"replace.{slot.replace('__', '.')}"])
            for name, layer in self.encoder.lora_layers().items():
                layer.a.copy_(tensors[f"lora.{name}.weight.a"])
                layer.b.copy_(tensors[f"lora.{name}.weight.b"])
            for name, parameter in self.heads.named_parameters():
                parameter.copy_(tensors[f"head.{name}"])

    def parameters(self) -> list[nn.Parameter]:
        return [p for module in (self.encoder, self.heads) for p in module.parameters() if p.requires_grad]

    def run(self, log: Any = print) -> Adapter:
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.settings.lr, weight_decay=self.settings.weight_decay)
        steps = self.settings.epochs * -(-len(self.examples) // self.settings.batch)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1.0 - step / max(steps, 1)))
        order = random.Random(self.settings.seed)
        for epoch in range(self.settings.epochs):
            started, total = time.perf_counter(), 0.0
            self.encoder.train()
            self.heads.train()
            shuffled = list(self.examples)
            order.shuffle(shuffled)
            for offset in range(0, len(shuffled), self.settings.batch):
                loss = self._loss(shuffled[offset : offset + self.settings.batch])
                optimizer.zero_grad()
                loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it untyped
                nn.utils.clip_grad_norm_(self.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                total += loss.item()
            log(f"epoch {epoch + 1}: loss {total / max(1, len(shuffled) // self.settings.batch):.4f} "
                f"({time.perf_counter() - started:.0f} s)")
        return self.adapter()

    def _loss(self, batch: Sequence[Example]) -> torch.Tensor:
        features, targets = self._features(batch)
        event_logits, code_logits, modality_logits = self.heads(features)
        events, codes, modalities = (torch.tensor(column) for column in zip(*targets, strict=True))
        loss = F.cross_entropy(event_logits, events)
        if (codes != IGNORE).any():
            loss = loss + 0.5 * F.cross_entropy(code_logits, codes, ignore_index=IGNORE)
        if (modalities != IGNORE).any():
            loss = loss + 0.5 * F.cross_entropy(modality_logits, modalities, ignore_index=IGNORE)
        return loss

    def _features(self, batch: Sequence[Example]) -> tuple[torch.Tensor, list[tuple[int, int, int]]]:
        ids, mask = padded([example.encoded for example in batch])
        hidden = self.encoder(torch.tensor(ids), torch.tensor(mask))
        rows, targets = [], []
        for index, example in enumerate(batch):
            marks = example.encoded.marks
            for pair in example.pairs:
                rows.append(torch.cat([hidden[index, 0], hidden[index, marks[pair.source]].mean(0),
                                       hidden[index, marks[pair.target]].mean(0)]))
                targets.append(self._targets(pair))
        return torch.stack(rows), targets

    def _targets(self, pair: LabelledPair) -> tuple[int, int, int]:
        event = EVENT_LABELS.index(pair.label)
        code = self.codes.index(pair.code) if event and pair.code in self.codes else IGNORE
        modality = MODALITY_LABELS.index(pair.modality) if event and pair.modality else IGNORE
        return event, code, modality

    def adapter(self) -> Adapter:
        tensors: dict[str, np.ndarray] = {"rows.marks": self.encoder.marks.detach().numpy()}
        for slot, parameter in self.encoder.norms.items():
            tensors[f"replace.{slot.replace('__', '.')}"] = parameter.detach().numpy()
        for name, layer in self.encoder.lora_layers().items():
            tensors[f"lora.{name}.weight.a"] = layer.a.detach().numpy()
            tensors[f"lora.{name}.weight.b"] = layer.b.detach().numpy()
        for name, parameter in self.heads.named_parameters():
            tensors[f"head.{name}"] = parameter.detach().numpy()
        meta = {"base_sha256": BASE_SHA256, "codes": self.codes, "lora_scale": self.encoder.scale,
                "settings": vars(self.settings), "examples": len(self.examples),
                "pairs": sum(len(e.pairs) for e in self.examples)}
        return Adapter(tensors, meta)
