"""Who said what across a document's discourse (nlp/quotes.py), on hand-built parses:
a pronoun speaker is a person, not a state the parser took for one; a clause reported
inside another speaker's report is that speaker's; a reported clause hung on a time
phrase or after a trailing ", X said," attribution is still found."""

from __future__ import annotations

import pytest

from dyadlens.model import Quote
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import make_doc, make_state, run_stage

pytestmark = pytest.mark.fast

ACTORS = {"Chile": "chile", "Peru": "peru", "Lima": "peru"}


def quotes_in(resources: Resources, *docs: object) -> tuple[DocState, list[Quote]]:
    state = make_state(*docs, actors=ACTORS)  # type: ignore[arg-type]
    return state, run_stage(state, resources, "quotes").quotes


def quoted(state: DocState, quote: Quote) -> str:
    return state.text[quote.start : quote.end]


#: Ana Ruiz said Lima would help Chile rebuild.  (the parser takes "Chile" for a person)
NAMING_SENTENCE = """
    Ana       _        PROPN  compound  1
    Ruiz      _        PROPN  nsubj     2
    said      say      VERB   ROOT      2
    Lima      _        PROPN  nsubj     5
    would     _        AUX    aux       5  MD
    help      _        VERB   ccomp     2  VB
    Chile     _        PROPN  nsubj     7
    rebuild   _        VERB   ccomp     5  VB
    .         _        PUNCT  punct     2
"""
#: “We stand together,” he said.
PRONOUN_QUOTE = """
    “         _        PUNCT  punct  6  ``
    We        we       PRON   nsubj  2
    stand     _        VERB   ccomp  6  VBP
    together  _        ADV    advmod 2
    ,         _        PUNCT  punct  6
    ”         _        PUNCT  punct  6  ''
    he        he       PRON   nsubj  7
    said      say      VERB   ROOT   7
    .         _        PUNCT  punct  7
"""


def test_he_said_goes_to_the_person_named_not_to_a_state_the_parser_took_for_a_person(
    model_free_resources: Resources,
) -> None:
    naming = make_doc(NAMING_SENTENCE, ents=[(0, 2, "PERSON"), (3, 4, "GPE"), (6, 7, "PERSON")])
    state, quotes = quotes_in(model_free_resources, naming, make_doc(PRONOUN_QUOTE))
    [direct] = [q for q in quotes if q.kind == "direct"]
    assert quoted(state, direct) == "We stand together,"
    assert direct.speaker == "Ana Ruiz"


#: Both sides called the talks useful, the Chile ministry said.
NESTED_REPORT = """
    Both      _        DET    det       1
    sides     side     NOUN   nsubj     2  NNS
    called    call     VERB   ccomp     10 VBD
    the       _        DET    det       4
    talks     talk     NOUN   dobj      2  NNS
    useful    _        ADJ    oprd      2
    ,         _        PUNCT  punct     10
    the       _        DET    det       9
    Chile     _        PROPN  compound  9
    ministry  _        NOUN   nsubj     10
    said      say      VERB   ROOT      10
    .         _        PUNCT  punct     10
"""


def test_a_description_reported_inside_a_ministrys_statement_is_the_ministrys_quote(
    model_free_resources: Resources,
) -> None:
    state, [quote] = quotes_in(model_free_resources, make_doc(NESTED_REPORT))
    assert quoted(state, quote) == "Both sides called the talks useful"
    assert (quote.speaker_actor, quote.cue) == ("chile", "say")


#: Chile said the next day that it would reopen the port.  (the parse hangs the clause on "day")
CLAUSE_ON_A_DAY = """
    Chile     _        PROPN  nsubj     1
    said      say      VERB   ROOT      1
    the       _        DET    det       4
    next      _        ADJ    amod      4
    day       _        NOUN   npadvmod  1
    that      _        SCONJ  mark      8
    it        _        PRON   nsubj     8
    would     _        AUX    aux       8  MD
    reopen    _        VERB   relcl     4  VB
    the       _        DET    det       10
    port      _        NOUN   dobj      8
    .         _        PUNCT  punct     1
"""


def test_a_that_clause_the_parser_hangs_on_a_time_phrase_is_still_reported(model_free_resources: Resources) -> None:
    state, [quote] = quotes_in(model_free_resources, make_doc(CLAUSE_ON_A_DAY))
    assert quoted(state, quote) == "it would reopen the port"
    assert (quote.kind, quote.speaker_actor) == ("indirect", "chile")


#: LIMA — Peru closed the border on Monday, Chile said, after talks broke down.
TRAILING_ATTRIBUTION = """
    LIMA      _        PROPN  nsubj     3
    —         _        PUNCT  punct     3
    Peru      _        PROPN  nsubj     3
    closed    close    VERB   ccomp     14 VBD
    the       _        DET    det       5
    border    _        NOUN   dobj      3
    on        _        ADP    prep      3
    Monday    _        PROPN  pobj      6
    ,         _        PUNCT  punct     9
    Chile     _        PROPN  nsubj     10
    said      say      VERB   parataxis 14 VBD
    ,         _        PUNCT  punct     14
    after     _        SCONJ  mark      14
    talks     talk     NOUN   nsubj     14 NNS
    broke     break    VERB   ROOT      14 VBD
    down      _        ADP    prt       14 RP
    .         _        PUNCT  punct     14
"""


def test_a_trailing_attribution_reports_the_clause_before_it_from_its_subject(model_free_resources: Resources) -> None:
    state, [quote] = quotes_in(model_free_resources, make_doc(TRAILING_ATTRIBUTION))
    assert quoted(state, quote) == "Peru closed the border on Monday"
    assert (quote.kind, quote.speaker_actor) == ("indirect", "chile")
