"""The pipeline's fast paths give what the plain reading they replace gives (issue #13, speed).

Each fast path (a regular expression for the alias tokenizer, memos kept in the parse's
``user_data``, bisection over token offsets, a cache of near names) is held here against the
straightforward code it stands for, on real parses of the model.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from dyadlens.kb.aliases import _iter_tokens, normalise, tokenize
from dyadlens.nlp.actor_fuzzy import FuzzyNames, edit_distance
from dyadlens.nlp.actor_matching import is_capitals
from dyadlens.nlp.actors import known_word_test
from dyadlens.nlp.offsets import entities, roots, span_root, tokens_starting_in
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState

TRICKY = ["a", "Z", "0", "9", " ", "_", "-", ".", "'", "\u2019", "\u00a0", "\t", "\x1c", "\u2084", "\u00bd",
          "\u216b", "\u00e9", "\u0663", "\u00b2", "\u00df", "\u0130", "\u2014", "\u201c", "\u200b", "\u3000", "\u0301"]


@pytest.mark.fast
def test_alias_tokens_match_the_character_walk() -> None:
    rng = random.Random(13)
    texts = ["Moscow\u2084\u2085 hosted the U.S. envoy", "Caf\u00e92 and \u00bd of Tehrik-i-Taliban", ""]
    texts += ["".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 14))) for _ in range(20_000)]
    for text in texts:
        assert tokenize(text) == list(_iter_tokens(normalise(text))), repr(text)


@pytest.mark.fast
def test_footnote_marks_stay_punctuation() -> None:
    assert [t.text for t in tokenize("Moscow\u2084\u2085 talks")] == ["Moscow", "\u2084", "\u2085", "talks"]


@pytest.mark.fast
def test_capitals_share_matches_its_definition() -> None:
    def by_definition(text: str) -> bool:
        letters = [c for c in text if c.isalpha()]
        return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8

    rng = random.Random(7)
    texts = ["TALIBAN TAKE KABUL", "Taliban take Kabul", "UN SAYS aid", "\u24b6\u24b7 ABCD e"]
    alphabet = "aAbB Z1.\u00c9\u00e9\u24b6\u01c5"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(20_000)]
    assert [is_capitals(t) for t in texts] == [by_definition(t) for t in texts]


@pytest.fixture(scope="module")
def parsed(resources: Resources, seeds_dir: Path) -> DocState:
    """The first seed article, read and parsed by the pipeline's own stages."""
    from dyadlens.ingest.discover import discover
    from dyadlens.ingest.readers import read_document
    from dyadlens.model import RawInput

    raw = next(r for r in discover([seeds_dir]) if isinstance(r, RawInput))
    state = DocState(document=read_document(raw))
    for stage in build_pipeline(resources, upto="parse").components:
        stage(state)
    return state


def _sentence_spans(state: DocState) -> list[Any]:
    spans = [state.sentence_span(s.index) for s in state.analysed_sentences()]
    return [s for s in spans if s is not None]


def test_tokens_starting_in_matches_the_scan(parsed: DocState) -> None:
    checked = 0
    for span in _sentence_spans(parsed):
        first, last = span[0].idx, span[-1].idx + len(span[-1].text)
        for start in range(first - 1, last + 1, 3):
            for end in (start, start + 1, start + 7, start + 40):
                expected = [t.i for t in span if start <= t.idx < end]
                assert list(tokens_starting_in(span, start, end)) == expected
                checked += 1
    assert checked > 1000


def test_roots_and_entities_match_the_parse(parsed: DocState) -> None:
    spans = _sentence_spans(parsed)
    assert spans
    for span in spans:
        assert [t.i for t in roots(span)] == [t.i for t in span if t.head.i == t.i]
        ents = [(e.start, e.end, e.label_) for e in span.ents]
        assert [(e.start, e.end, e.label_) for e in entities(span)] == ents
        assert [(e.start, e.end, e.label_) for e in entities(span)] == ents  # from the memo
    assert any(entities(span) for span in spans)


def test_span_root_matches_char_span(parsed: DocState) -> None:
    doc = parsed.doc
    for span in _sentence_spans(parsed)[:10]:
        for token in span:
            start, end = token.idx, token.idx + len(token.text) + 3
            plain = doc.char_span(start, end, alignment_mode="expand")
            expected = plain.root.i if plain is not None and len(plain) else None
            for _ in range(2):  # computed, then from the memo
                found = span_root(doc, start, end)
                assert (found.i if found is not None else None) == expected
            relative = span_root(span, start - span.start_char, end - span.start_char)
            inner = span.char_span(start - span.start_char, end - span.start_char, alignment_mode="expand")
            expected_inner = inner.root.i if inner is not None and len(inner) else None
            assert (relative.i if relative is not None else None) == expected_inner
    assert span_root(None, 0, 3) is None


def test_near_names_are_the_same_from_the_cache(resources: Resources) -> None:
    fuzzy = FuzzyNames(resources.kb, known_word_test(resources.nlp))
    words = ["Talibn", "Afganistan", "Pakistn", "Moscoww", "Ministry", "Kazakstan"]
    first = [fuzzy.candidates(w, set()) for w in words]
    second = [fuzzy.candidates(w, set()) for w in words]
    assert first == second
    assert first[0] and {e.entity_id for e in first[0]} == {first[0][0].entity_id}
    assert first[4] == ()  # a known English word is no misspelling


@pytest.mark.fast
def test_letters_a_word_lacks_bound_the_edit_distance() -> None:
    rng = random.Random(13)
    for _ in range(3000):
        a = "".join(rng.choice("abcdeab") for _ in range(rng.randint(1, 9)))
        b = "".join(rng.choice("abcdefb") for _ in range(rng.randint(1, 9)))
        bound = max(len(set(a) - set(b)), len(set(b) - set(a)))
        assert bound <= edit_distance(a, b, 20)


def test_near_names_are_those_of_the_whole_search(resources: Resources) -> None:
    """The letter test passes over no name within the allowed edits: the nearest names are those
    a distance to every name of a near length gives."""
    fuzzy = FuzzyNames(resources.kb, lambda _word: False)
    rng = random.Random(7)
    names = [name for entries in fuzzy.by_length.values() for name, _letters, _entry in entries]
    words = [_misspelt(rng.choice(names), rng) for _ in range(400)] + ["Talibn", "Afganistan", "Pakistn"]
    found = 0
    for word in {w.casefold() for w in words if len(w) >= 5}:
        limit = 2 if len(word) >= 8 else 1
        best: dict[int, list[object]] = {}
        for length in range(len(word) - limit, len(word) + limit + 1):
            for name, _letters, entry in fuzzy.by_length.get(length, ()):
                distance = edit_distance(word, name, limit)
                if 0 < distance <= limit:
                    best.setdefault(distance, []).append(entry)
        expected = tuple(best[min(best)]) if best else ()
        assert fuzzy._nearest_uncached(word, limit) == expected, word
        found += bool(expected)
    assert found > 100


def _misspelt(name: str, rng: random.Random) -> str:
    """``name`` with one or two letters changed, dropped, doubled or swapped."""
    letters = list(name)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(letters))
        kind = rng.randrange(4)
        if kind == 0:
            letters[i] = rng.choice("aeioukstrn")
        elif kind == 1 and len(letters) > 1:
            del letters[i]
        elif kind == 2:
            letters.insert(i, letters[i])
        elif i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)
