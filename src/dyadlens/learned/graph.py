"""The BERT encoder (MiniLM-L6) as an ONNX graph built from a dict of weights, run by onnxruntime.

Run time needs neither torch nor a model file on disk: the graph is written node by node with
``onnx.helper`` from the packaged base weights merged with the shipped fine-tuning
(:mod:`dyadlens.learned.weights`), once per process (about a second). Its one output is the
last hidden state, ``[batch, tokens, hidden]``; the heads read it in numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization
IR_VERSION = 8  # what onnxruntime reads for opset 17
CONTRIB_DOMAIN = "com.microsoft"  # onnxruntime's own operators (the fused attention)


@dataclass(frozen=True)
class BertShape:
    layers: int
    hidden: int
    heads: int
    eps: float = 1e-12


class _GraphWriter:
    """Nodes and initializers of one graph, with fresh names."""

    def __init__(self, weights: Mapping[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        array = self.weights[key]
        return self.const(key, np.ascontiguousarray(array.T if transpose else array).astype(np.float32))

    def op(self, op_type: str, *inputs: str, **attributes: Any) -> str:
        output = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], **attributes))
        return output

    def linear(self, x: str, prefix: str) -> str:
        return self.op("Add", self.op("MatMul", x, self.weight(f"{prefix}.weight", transpose=True)),
                       self.weight(f"{prefix}.bias"))

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        return self.op("LayerNormalization", x, self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias"),
                       axis=-1, epsilon=eps)

    def gelu(self, x: str) -> str:
        """The exact (erf) GELU that BERT uses."""
        scaled = self.op("Div", x, self.const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32)))
        one_plus = self.op("Add", self.op("Erf", scaled), self.const("one", np.array(1.0, dtype=np.float32)))
        return self.op("Mul", self.op("Mul", x, one_plus), self.const("half", np.array(0.5, dtype=np.float32)))


def build_bert(weights: Mapping[str, np.ndarray], shape: BertShape) -> bytes:
    """The serialized ONNX model: inputs ``input_ids`` and ``attention_mask`` ([batch, tokens],
    int64), output ``hidden`` ([batch, tokens, hidden], float32)."""
    g = _GraphWriter(weights)
    hidden = _embeddings(g, shape)
    mask = _attention_mask(g)
    for index in range(shape.layers):
        hidden = _layer(g, hidden, mask, f"encoder.layer.{index}", shape)
    g.nodes.append(helper.make_node("Identity", [hidden], ["hidden"]))
    graph = helper.make_graph(
        g.nodes,
        "dyadlens-bert",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", shape.hidden])],
        g.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(CONTRIB_DOMAIN, 1)]
    model = helper.make_model(graph, opset_imports=opsets, ir_version=IR_VERSION)
    return bytes(model.SerializeToString())


def _embeddings(g: _GraphWriter, shape: BertShape) -> str:
    words = g.op("Gather", g.weight("embeddings.word_embeddings.weight"), "input_ids")
    # positions 0..tokens-1: a Slice of the table (a Gather over Range upsets the optimizer)
    tokens = g.op("Slice", g.op("Shape", "input_ids"), g.const("one_i", np.array([1], dtype=np.int64)),
                  g.const("two_i", np.array([2], dtype=np.int64)))
    positions = g.op("Slice", g.weight("embeddings.position_embeddings.weight"),
                     g.const("zero_i", np.array([0], dtype=np.int64)), tokens,
                     g.const("axis0", np.array([0], dtype=np.int64)))
    token_type = g.const("token_type", np.asarray(g.weights["embeddings.token_type_embeddings.weight"][0], np.float32))
    summed = g.op("Add", g.op("Add", words, positions), token_type)
    return g.layer_norm(summed, "embeddings.LayerNorm", shape.eps)


def _attention_mask(g: _GraphWriter) -> str:
    """The padding mask as the fused attention reads it: [batch, tokens], int32, 1 = a token."""
    return g.op("Cast", "attention_mask", to=TensorProto.INT32)


def _layer(g: _GraphWriter, x: str, mask: str, prefix: str, shape: BertShape) -> str:
    attention = _self_attention(g, x, mask, f"{prefix}.attention.self", shape)
    projected = g.linear(attention, f"{prefix}.attention.output.dense")
    x = g.layer_norm(g.op("Add", projected, x), f"{prefix}.attention.output.LayerNorm", shape.eps)
    inner = g.gelu(g.linear(x, f"{prefix}.intermediate.dense"))
    out = g.linear(inner, f"{prefix}.output.dense")
    return g.layer_norm(g.op("Add", out, x), f"{prefix}.output.LayerNorm", shape.eps)


def _self_attention(g: _GraphWriter, x: str, mask: str, prefix: str, shape: BertShape) -> str:
    """onnxruntime's fused multi-head attention (``com.microsoft.Attention``) over the query, key
    and value projections packed side by side: the same arithmetic as BERT's, about a sixth faster
    on CPU than writing it out in standard operators."""
    names = ("query", "key", "value")
    packed = np.concatenate([g.weights[f"{prefix}.{n}.weight"].T for n in names], axis=1).astype(np.float32)
    bias = np.concatenate([g.weights[f"{prefix}.{n}.bias"] for n in names]).astype(np.float32)
    output = g.name("attention")
    g.nodes.append(helper.make_node("Attention", [x, g.const("qkv_weight", packed), g.const("qkv_bias", bias), mask],
                                    [output], domain=CONTRIB_DOMAIN, num_heads=shape.heads))
    return output
