"""Quotes without the model: quote-mark pairing (nlp/quote_marks.py) and the quote
extractor (nlp/quotes.py) on hand-built parses and mentions."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from dyadlens.model import Quote
from dyadlens.nlp.quote_marks import QuotedSpan, quoted_spans
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast


def contents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in quoted_spans(text)]


def test_the_marks_positions_surround_the_quoted_words() -> None:
    text = "The envoy wrote “talks resume soon” on Friday."
    [span] = quoted_spans(text)
    assert span == QuotedSpan(17, 34, 16, 34, len(text))
    assert (text[span.open_mark], text[span.close_mark]) == ("“", "”")


def test_straight_marks_pair_left_to_right_by_their_context() -> None:
    assert contents('Lima said "maybe" and then "certainly not" within an hour.') == ["maybe", "certainly not"]


def test_an_apostrophe_inside_single_quotes_does_not_close_them() -> None:
    assert contents("Lima’s envoy called it ‘Quito’s own plan’ at the close.") == ["Quito’s own plan"]


def test_spaces_just_inside_the_marks_are_not_quoted() -> None:
    assert contents("The note read « le port reste ouvert » in French.") == ["le port reste ouvert"]


def test_an_unclosed_quote_runs_to_its_line_end_only() -> None:
    text = "She began “the port stays open\nThe next line is plain."
    [span] = quoted_spans(text)
    assert (text[span.start : span.end], span.close_mark, span.line_end) == ("the port stays open", None, 30)


# -- the quote extractor, on hand-built parses ---------------------------------------------

#: “We will reopen the border,” Chile said.
DIRECT = """
    “         _        PUNCT  punct  9  ``
    We        we       PRON   nsubj  3
    will      _        AUX    aux    3  MD
    reopen    _        VERB   ccomp  9  VB
    the       _        DET    det    5
    border    _        NOUN   dobj   3
    ,         _        PUNCT  punct  9
    ”         _        PUNCT  punct  9  ''
    Chile     _        PROPN  nsubj  9
    said      say      VERB   ROOT   9
    .         _        PUNCT  punct  9
"""
#: Chile said that Peru had closed the border.
REPORTED = """
    Chile     _        PROPN  nsubj  1
    said      say      VERB   ROOT   1
    that      _        SCONJ  mark   5
    Peru      _        PROPN  nsubj  5
    had       have     AUX    aux    5  VBD
    closed    close    VERB   ccomp  1  VBN
    the       _        DET    det    7
    border    _        NOUN   dobj   5
    .         _        PUNCT  punct  1
"""
ACTORS = {"Chile": "chile", "Peru": "peru"}


def quotes_of(resources: Resources, *sentences: str | Doc) -> tuple[DocState, list[Quote]]:
    """The state of hand-built sentences (tables or docs) after the ``quotes`` stage, and its quotes."""
    state = make_state(*(make_doc(s) if isinstance(s, str) else s for s in sentences), actors=ACTORS)
    return state, run_stage(state, resources, "quotes").quotes


def test_a_direct_quote_is_attributed_to_the_subject_of_the_speech_verb(model_free_resources: Resources) -> None:
    state, [quote] = quotes_of(model_free_resources, DIRECT)
    assert state.text[quote.start : quote.end] == "We will reopen the border,"
    assert (quote.kind, quote.speaker_actor, quote.cue) == ("direct", "chile", "say")
    assert state.text[quote.speaker_start : quote.speaker_end] == "Chile"


def test_reported_speech_is_an_indirect_quote_of_the_reported_clause(model_free_resources: Resources) -> None:
    state, [quote] = quotes_of(model_free_resources, REPORTED)
    assert quote.kind == "indirect" and quote.speaker_actor == "chile"
    assert state.text[quote.start : quote.end].endswith("Peru had closed the border")


def test_a_quoted_name_after_so_called_is_no_quotation(model_free_resources: Resources) -> None:
    doc = make_doc("""
        Chile       _         PROPN  nsubj     1
        said        say       VERB   ROOT      1
        the         _         DET    det       8
        so          _         ADV    advmod    5
        -           _         PUNCT  punct     5  HYPH
        called      call      VERB   amod      8  VBN
        “           _         PUNCT  punct     8  ``
        border      _         NOUN   compound  8
        plan        _         NOUN   nsubj     11
        ”           _         PUNCT  punct     8  ''
        had         have      AUX    aux       11 VBD
        failed      fail      VERB   ccomp     1  VBN
        .           _         PUNCT  punct     1
    """, text="Chile said the so-called “border plan” had failed.")
    state, quotes = quotes_of(model_free_resources, doc)
    assert [q.open_mark for q in state.quote_spans] == [state.text.index("“")]
    assert [q.kind for q in quotes] == ["indirect"]


def test_an_unattributed_quote_right_after_an_attributed_one_continues_it(model_free_resources: Resources) -> None:
    state, quotes = quotes_of(model_free_resources, DIRECT, """
        “         _        PUNCT  punct  3  ``
        Trade     trade    NOUN   nsubj  3
        must      _        AUX    aux    3  MD
        flow      _        VERB   ROOT   3  VB
        again     _        ADV    advmod 3
        .         _        PUNCT  punct  3
        ”         _        PUNCT  punct  3  ''
    """)
    assert [(state.text[q.start : q.end], q.sentence_index, q.speaker_actor) for q in quotes] == [
        ("We will reopen the border,", 0, "chile"),
        ("Trade must flow again.", 1, "chile"),
    ]
    assert quotes[1].cue == "continuation"


def test_according_to_names_the_speaker_of_the_clause(model_free_resources: Resources) -> None:
    state, [quote] = quotes_of(model_free_resources, """
        According accord   VERB   prep   5  VBG
        to        _        ADP    prep   0
        Peru      _        PROPN  pobj   1
        ,         _        PUNCT  punct  5
        talks     talk     NOUN   nsubj  5  NNS
        failed    fail     VERB   ROOT   5
        in        _        ADP    prep   5
        the       _        DET    det    8
        capital   _        NOUN   pobj   6
        .         _        PUNCT  punct  5
    """)
    assert (quote.kind, quote.speaker_actor, quote.cue) == ("indirect", "peru", "according to")
    assert state.text[quote.start : quote.end].startswith("talks failed")
