"""spaCy's attribute ruler applied through the ``Doc``'s arrays, with the same result.

The English model's ``attribute_ruler`` maps each token's tag (and a few words and
dependencies) to its coarse part of speech, morphology and some lemmas: 179 patterns run
through spaCy's ``Matcher``, about a sixth of the model's time on a sentence. Nearly all of
them look at one token, whose few attributes repeat, so :class:`ArrayAttributeRuler` decides
once per distinct ``(tag, dependency, lower-case form, is-space)`` which patterns match it,
checks the few two-token patterns where their first word occurs, and writes the merged
attributes back as arrays.

The outcome is the ruler's: matches are applied in pattern order, a later pattern
overwriting an earlier one, each setting its token's attributes (what
``AttributeRuler.set_annotations`` does). A ruler with a pattern of any other shape (other
attributes, operators or quantifiers) is not taken: :func:`array_ruler` returns ``None`` and
the parse keeps spaCy's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG  # type: ignore[import-not-found]  # no stub
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: What a pattern token may test, as ``Doc.to_array`` columns (in this order in a token's key).
_KEY_COLUMNS = (TAG, DEP, LOWER, IS_SPACE)
_KEY_POSITION = {"TAG": 0, "DEP": 1, "LOWER": 2, "IS_SPACE": 3}
#: The attributes written through arrays; a merged result setting anything else is set per token.
_ARRAY_COLUMNS = (TAG, POS, MORPH, LEMMA)
_ARRAY_SET = frozenset(_ARRAY_COLUMNS)

TokenKey = tuple[int, int, int, int]
Test = Callable[[TokenKey], bool]
Found = tuple[tuple[int, ...], tuple[tuple[int, int], ...], frozenset[int]]
#: Stands for a lower-case form no test names or matches (no string hashes to it: hashes are unsigned).
_IRRELEVANT = -1


class UnsupportedPattern(ValueError):
    """A pattern this ruler does not read; the caller keeps spaCy's ruler."""


class ArrayAttributeRuler:
    """Apply an ``AttributeRuler``'s patterns (given as ``(token patterns, attrs, index)`` in order)."""

    def __init__(self, vocab: Any, rules: Iterable[tuple[list[list[dict[str, Any]]], dict[int, int], int]]) -> None:
        self.vocab = vocab
        self.single: list[tuple[int, Test]] = []  # one-token patterns that do not name a word
        self.lexical: list[tuple[int, Test]] = []  # those that do: no match unless the word is relevant
        self.pairs: list[tuple[int, Test, Test, int]] = []
        self.attrs: list[dict[int, int]] = []
        self._named: set[int] = set()  # the lower-case forms a test names
        self._regexes: list[re.Pattern[str]] = []
        for number, (patterns, attrs, index) in enumerate(rules):
            self.attrs.append(attrs)
            for pattern in patterns:
                self._add(number, pattern, index)
        self._found_cache: dict[TokenKey, Found] = {}
        self._relevant: dict[int, bool] = {}
        self._merged_cache: dict[tuple[int, ...], dict[int, int]] = {}

    def _add(self, number: int, pattern: list[dict[str, Any]], index: int) -> None:
        tests = [self._token_test(spec) for spec in pattern]
        if len(tests) == 1 and index in (0, -1):
            (self.lexical if _names_a_word(pattern[0]) else self.single).append((number, tests[0]))
        elif len(tests) == 2 and index in (0, 1, -1, -2):
            self.pairs.append((number, tests[0], tests[1], index % 2))
        else:
            raise UnsupportedPattern(f"pattern of {len(tests)} tokens at index {index}")

    def _token_test(self, spec: dict[str, Any]) -> Test:
        tests = [self._value_test(name, value) for name, value in spec.items()]
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda key: first(key) and second(key)
        return lambda key: all(test(key) for test in tests)

    def _value_test(self, name: str, value: Any) -> Test:
        if name not in _KEY_POSITION:
            raise UnsupportedPattern(f"attribute {name}")
        position = _KEY_POSITION[name]
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                raise UnsupportedPattern(f"IS_SPACE {value!r}")
            return lambda key: bool(key[position]) == value
        if isinstance(value, str):
            wanted = self._hash(value)
            self._named.add(wanted)
            return lambda key: key[position] == wanted
        if isinstance(value, dict) and len(value) == 1:
            return self._operator_test(position, *next(iter(value.items())))
        raise UnsupportedPattern(f"{name} {value!r}")

    def _operator_test(self, position: int, operator: str, operand: Any) -> Test:
        if operator in ("IN", "NOT_IN") and isinstance(operand, list):
            values = frozenset(self._hash(v) for v in operand)
            self._named.update(values)
            inside = operator == "IN"
            return lambda key: (key[position] in values) == inside
        if operator == "REGEX" and isinstance(operand, str):
            regex = re.compile(operand)
            self._regexes.append(regex)
            strings = self.vocab.strings
            return lambda key: key[position] != _IRRELEVANT and regex.search(strings[key[position]]) is not None
        raise UnsupportedPattern(f"operator {operator}")

    def _hash(self, value: str) -> int:
        return int(self.vocab.strings.as_int(value)) if value else 0

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        found = [self._found(self._key(row)) for row in doc.to_array(list(_KEY_COLUMNS)).tolist()]
        matched = [list(single) for single, _, _ in found]
        for i in range(len(found) - 1):
            for number, target in found[i][1]:
                if number in found[i + 1][2]:
                    matched[i + target].append(number)
        self._write(doc, [self._merged(tuple(sorted(numbers))) for numbers in matched])
        return doc

    def _key(self, row: list[int]) -> TokenKey:
        """The token's attributes, its lower-case form replaced by ``_IRRELEVANT`` where no test can tell
        it from any other such form (so a few hundred keys cover a text's tokens)."""
        tag, dep, lower, space = row
        relevant = self._relevant.get(lower)
        if relevant is None:
            text = self.vocab.strings[lower]
            relevant = self._relevant[lower] = lower in self._named or any(r.search(text) for r in self._regexes)
        return (tag, dep, lower if relevant else _IRRELEVANT, space)

    def _found(self, key: TokenKey) -> Found:
        """The one-token patterns the token matches, the two-token patterns it can open (with the
        position of the token they set) and those it can close."""
        found = self._found_cache.get(key)
        if found is None:
            found = self._found_cache[key] = (
                self._single_matches(key),
                tuple((number, target) for number, first, _, target in self.pairs if first(key)),
                frozenset(number for number, _, second, _ in self.pairs if second(key)),
            )
        return found

    def _single_matches(self, key: TokenKey) -> tuple[int, ...]:
        """A lower-case form that no test names cannot meet a pattern that names one: those are
        tried only for the others."""
        lexical = self.lexical if key[2] != _IRRELEVANT else []
        return tuple(sorted(number for number, test in self.single + lexical if test(key)))

    def _merged(self, numbers: tuple[int, ...]) -> dict[int, int]:
        merged = self._merged_cache.get(numbers)
        if merged is None:
            merged = {}
            for number in numbers:
                merged.update(self.attrs[number])
            self._merged_cache[numbers] = merged
        return merged

    def _write(self, doc: Doc, merged: list[dict[int, int]]) -> None:
        """Each token's merged attributes: the usual four through one array; a token whose
        result sets anything else (a space's dependency) is then set as the ruler sets it."""
        columns = list(_ARRAY_COLUMNS)
        values = doc.to_array(columns).tolist()
        for row, attrs in zip(values, merged, strict=True):
            for column, attr in enumerate(_ARRAY_COLUMNS):
                if attr in attrs:
                    row[column] = attrs[attr]
        doc.from_array(columns, cast(Any, numpy.array(values, dtype=numpy.uint64)))
        for i, attrs in enumerate(merged):
            if not attrs.keys() <= _ARRAY_SET:
                set_token_attrs(doc[i], attrs)


def _names_a_word(spec: dict[str, Any]) -> bool:
    """Whether the token test holds only for lower-case forms it names or matches."""
    value = spec.get("LOWER")
    return isinstance(value, str) or (isinstance(value, dict) and value.keys() <= {"IN", "REGEX"})


def array_ruler(nlp: Any) -> ArrayAttributeRuler | None:
    """The model's attribute ruler as an :class:`ArrayAttributeRuler`, or None where it cannot be one."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    ruler = nlp.get_pipe("attribute_ruler")
    rules = [(ruler.matcher.get(str(n))[1], ruler.attrs[n], ruler.indices[n]) for n in range(len(ruler.attrs))]
    try:
        return ArrayAttributeRuler(nlp.vocab, rules)
    except UnsupportedPattern:
        return None


def pipe(nlp: Any, replaced: Mapping[str, Callable[[Doc], Doc]], texts: Iterable[str],
         batch_size: int) -> Iterable[Doc]:
    """``nlp.pipe(texts, batch_size=...)``, each component named in ``replaced`` run as the
    function given for it (:func:`array_ruler`, :func:`dyadlens.nlp.lemmas.memo_lemmatizer`)."""
    if not replaced:
        return cast(Iterable[Doc], nlp.pipe(texts, batch_size=batch_size))
    docs: Iterable[Doc] = (nlp.make_doc(text) for text in texts)
    for name, component in nlp.pipeline:
        if name in replaced:
            docs = map(replaced[name], docs)
        elif hasattr(component, "pipe"):
            docs = component.pipe(docs, batch_size=batch_size)
        else:
            docs = map(component, docs)
    return docs
