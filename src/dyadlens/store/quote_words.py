"""The words key of a quote (``quotes.words_key``, migration 0015): a quotation's words, case-folded and
joined by single spaces, hashed to a signed 64-bit integer. Two quotations with the same words (however
punctuated or cased) have the same key, so the dyad brief counts how often a quotation recurs from an
index over small integers instead of every quotation's text (docs/analysis.md, "The dyad brief").

Every write path stores it: :meth:`dyadlens.store.Store.write`, the bulk load of partitions and the
benchmarks' synthetic generator; migration 0015 fills it for the quotes stored before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

_WORD = re.compile(r"\w+")


def quotation_words(text: str) -> str:
    """The words of a quotation, case-folded, one space apart: what makes two quotations the same."""
    return " ".join(_WORD.findall(text.casefold()))


def words_key(text: str) -> int:
    """The key of ``text``'s words: the first 8 bytes of their BLAKE2b digest as a signed integer (it fits
    a ``BIGINT``; two different quotations of one dyad share a key with odds of about 1 in 10^10)."""
    digest = hashlib.blake2b(quotation_words(text).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def keyed_quotes(rows: list[dict[str, Any]], texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """Quote rows (``doc_id``, ``start``, ``end``) with their ``words_key``, ``texts``: each document's text."""
    return [{**row, "words_key": words_key(texts[row["doc_id"]][row["start"]:row["end"]])} for row in rows]
