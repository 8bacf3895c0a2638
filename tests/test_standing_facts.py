"""Standing facts (stage ``standing``, nlp/standing.py): a sentence that says a status or relation
holds is kept as an event but marked standing; an act, dated or in the simple past, is not."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.model import Designation, Event, RawInput
from dyadlens.nlp.standing import StandingFacts, standing_stage
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import ModelFreeResources, make_doc, make_state, token_at

STILL_LISTS = """
    Norway     _         PROPN  nsubj   2
    still      _         ADV    advmod  2
    lists      list      VERB   ROOT    2  VBZ
    the        _         DET    det     4
    Front      _         PROPN  dobj    2
    as         _         ADP    prep    2
    a          _         DET    det     8
    terrorist  _         ADJ    amod    8
    group      _         NOUN   pobj    5
    .          _         PUNCT  punct   2
"""
DESIGNATED = """
    Norway      _          PROPN  nsubj  1
    designated  designate  VERB   ROOT   1  VBD
    the         _          DET    det    3
    Front       _          PROPN  dobj   1
    .           _          PUNCT  punct  1
"""
BANNED = """
    The     _    DET    det        1
    Front   _    PROPN  nsubjpass  3
    {aux}   be   AUX    auxpass    3  {tag}
    banned  ban  VERB   ROOT       3  VBN
    by      _    ADP    agent      3
    Norway  _    PROPN  pobj       4
    .       _    PUNCT  punct      3
"""
OUTLAWED = """
    The       _       DET    det     1
    Front     _       PROPN  nsubj   7
    (         _       PUNCT  punct   3  -LRB-
    outlawed  outlaw  VERB   acl     1  VBN
    in        _       ADP    prep    3
    Norway    _       PROPN  pobj    4
    )         _       PUNCT  punct   3  -RRB-
    sent      send    VERB   ROOT    7
    envoys    envoy   NOUN   dobj    7
    .         _       PUNCT  punct   7
"""
NOT_YET_REMOVED = """
    Norway   _       PROPN  nsubj   4
    has      have    AUX    aux     4  VBZ
    not      _       PART   neg     4
    yet      _       ADV    advmod  4
    removed  remove  VERB   ROOT    4  VBN
    the      _       DET    det     6
    Front    _       PROPN  dobj    4
    from     _       ADP    prep    4
    its      _       PRON   poss    9  PRP$
    list     _       NOUN   pobj    7
    .        _       PUNCT  punct   4
"""
DID_NOT_REMOVE = """
    Norway  _       PROPN  nsubj  3
    did     do      AUX    aux    3  VBD
    not     _       PART   neg    3
    remove  remove  VERB   ROOT   3  VB
    the     _       DET    det    5
    Front   _       PROPN  dobj   3
    .       _       PUNCT  punct  3
"""
CONTINUES_TO = """
    Norway     _         PROPN  nsubj  1
    continues  continue  VERB   ROOT   1  VBZ
    to         _         PART   aux    3  TO
    {verb}     {lemma}   VERB   xcomp  1  VB
    the        _         DET    det    5
    Front      _         PROPN  dobj   3
    .          _         PUNCT  punct  1
"""
BANS = """
    Norway  _    PROPN  nsubj  1
    bans    ban  VERB   ROOT   1  VBZ
    the     _    DET    det    3
    Front   _    PROPN  dobj   1
    .       _    PUNCT  punct  1
"""
ON_LIST = """
    The      _       DET    det    1
    Front    _       PROPN  nsubj  2
    remains  remain  VERB   ROOT   2  VBZ
    on       _       ADP    prep   2
    Norway   _       PROPN  poss   6
    's       _       PART   case   4  POS
    list     _       NOUN   pobj   3
    .        _       PUNCT  punct  2
"""
MET_BUT_NOT_RECOGNISED = """
    Norway      _          PROPN  nsubj  1
    met         meet       VERB   ROOT   1  VBD
    the         _          DET    det    3
    Front       _          PROPN  dobj   1
    but         _          CCONJ  cc     1
    has         have       AUX    aux    7  VBZ
    not         _          PART   neg    7
    recognised  recognise  VERB   conj   1  VBN
    it          _          PRON   dobj   7
    .           _          PUNCT  punct  1
"""
ACTORS = {"Norway": "norway", "Front": "front"}


@pytest.fixture(scope="module")
def stage() -> StandingFacts:
    return standing_stage(ModelFreeResources())


def state_of(*tables: str) -> DocState:
    return make_state(*(make_doc(t) for t in tables), actors=ACTORS)


def event_at(
    state: DocState, sentence_index: int, trigger: str, code: str, modality: str = "asserted",
    date_rule: str = "present",
) -> Event:
    """An event of Norway on the Front with ``trigger`` (a word of the sentence) as its trigger."""
    token = token_at(state, sentence_index, trigger)
    sentence = state.sentences[sentence_index]
    return Event(
        f"e{sentence_index}-{trigger}-{code}", state.document.id, sentence.start, sentence.end, sentence_index,
        token.idx, token.idx + len(token), "norway", "front", code, modality, date_rule=date_rule,
    )


def marked(stage: StandingFacts, state: DocState, *events: Event) -> list[bool]:
    state.events = list(events)
    stage(state)
    return [e.standing for e in state.events]


@pytest.mark.fast
def test_a_continuative_adverb_makes_a_listing_standing_and_a_simple_past_does_not(stage: StandingFacts) -> None:
    state = state_of(STILL_LISTS, DESIGNATED)
    still = event_at(state, 0, "lists", "172")
    designated = event_at(state, 1, "designated", "172")
    assert marked(stage, state, still, designated) == [True, False]


@pytest.mark.fast
def test_a_present_passive_is_standing_unless_past_or_dated(stage: StandingFacts) -> None:
    state = state_of(BANNED.format(aux="is", tag="VBZ"), BANNED.format(aux="was", tag="VBD"))
    present = event_at(state, 0, "banned", "172")
    dated = event_at(state, 0, "banned", "172", date_rule="explicit:year")
    past = event_at(state, 1, "banned", "172")
    assert marked(stage, state, present, dated, past) == [True, False, False]


@pytest.mark.fast
def test_a_participle_qualifying_a_name_is_standing(stage: StandingFacts) -> None:
    state = state_of(OUTLAWED)
    assert marked(stage, state, event_at(state, 0, "outlawed", "172", date_rule="past-undated")) == [True]


@pytest.mark.fast
def test_a_negated_change_holds_the_state_in_the_perfect_not_in_the_simple_past(stage: StandingFacts) -> None:
    state = state_of(NOT_YET_REMOVED, DID_NOT_REMOVE)
    not_yet = event_at(state, 0, "removed", "081", modality="negated", date_rule="not-yet")
    did_not = event_at(state, 1, "remove", "081", modality="negated")
    assert marked(stage, state, not_yet, did_not) == [True, False]


@pytest.mark.fast
def test_a_continuative_verb_makes_a_status_standing_but_not_a_series_of_attacks(stage: StandingFacts) -> None:
    state = state_of(CONTINUES_TO.format(verb="regard", lemma="regard"), CONTINUES_TO.format(verb="strike", lemma="_"))
    regard = event_at(state, 0, "regard", "172")
    strike = event_at(state, 1, "strike", "190")
    assert marked(stage, state, regard, strike) == [True, False]


@pytest.mark.fast
def test_a_conjunct_with_its_own_auxiliary_keeps_its_own_tense(stage: StandingFacts) -> None:
    state = state_of(MET_BUT_NOT_RECOGNISED)
    met = event_at(state, 0, "met", "040", date_rule="past-undated")
    not_recognised = event_at(state, 0, "recognised", "054", modality="negated", date_rule="not-yet")
    assert marked(stage, state, met, not_recognised) == [False, True]


@pytest.mark.fast
def test_a_headline_present_tells_an_act(stage: StandingFacts) -> None:
    state = state_of(BANS, BANS)
    state.sentences[0] = replace(state.sentences[0], kind="heading")
    headline = event_at(state, 0, "bans", "172")
    body = event_at(state, 1, "bans", "172")
    assert marked(stage, state, headline, body) == [False, True]


def designation(state: DocState, sentence_index: int, rule: str, date: str | None = None,
                event_id: str | None = None) -> Designation:
    sentence = state.sentences[sentence_index]
    return Designation(f"d{sentence_index}-{rule}-{date}", state.document.id, sentence.start, sentence.end,
                       "norway", "front", "listed", date=date, event_id=event_id, rule=rule)


@pytest.mark.fast
def test_a_designation_follows_its_event_or_its_stative_pattern(stage: StandingFacts) -> None:
    state = state_of(STILL_LISTS, DESIGNATED, ON_LIST, BANNED.format(aux="was", tag="VBD"))
    still, designated = event_at(state, 0, "lists", "172"), event_at(state, 1, "designated", "172")
    state.designations = [
        designation(state, 0, "event:172:asserted", event_id=still.id),
        designation(state, 1, "event:172:asserted", event_id=designated.id),
        designation(state, 2, "pattern:on-list"),
        designation(state, 2, "pattern:on-list", date="2003"),
        designation(state, 3, "pattern:passive-ban"),
    ]
    marked(stage, state, still, designated)
    assert [d.standing for d in state.designations] == [True, False, True, False, False]


#: Invented sentences, each its own document: (text, the event's code, standing or an act).
SENTENCES = [
    ("Turkey still lists the PKK as a terrorist organisation.", "172", True),
    ("The PKK, which is banned by Turkey, has called for talks.", "172", True),
    ("Canada has long designated Hezbollah as a terrorist group.", "172", True),
    ("Russia has not yet removed the Taliban from its list of terrorist organisations.", "081", True),
    ("Serbia does not recognise Kosovo.", "054", True),
    ("Colombia still recognises the government of Venezuela.", "054", True),
    ("Japan continues to impose sanctions on North Korea.", "163", True),
    ("China still maintains close ties with Pakistan.", "050", True),
    ("Turkey designated the PKK a terrorist organisation in 1997.", "172", False),
    ("The United States placed Hezbollah on its list of terrorist organisations in October 1997.", "172", False),
    ("Kazakhstan removed the Taliban from its list of banned organisations last December.", "081", False),
    ("Russia recognised the Taliban government on Thursday.", "054", False),
    ("Egypt banned the Muslim Brotherhood in December 2013.", "172", False),
    ("Ethiopia expelled the Kenyan ambassador in March 2022.", "174", False),
]


@pytest.fixture(scope="module")
def coded(resources: Resources) -> list[list[Event]]:
    pipeline = build_pipeline(resources)
    raws = (
        RawInput(doc_id=f"s{i}", path=f"s{i}.txt", format="txt", data=text.encode(), meta={"published": "2024-05-10"})
        for i, (text, _, _) in enumerate(SENTENCES)
    )
    return [pipeline(raw).events for raw in raws]


@pytest.mark.slow
@pytest.mark.parametrize("number", range(len(SENTENCES)), ids=[s[0][:40] for s in SENTENCES])
def test_the_pipeline_marks_standing_facts_and_leaves_acts(coded: list[list[Event]], number: int) -> None:
    text, code, standing = SENTENCES[number]
    events = [e for e in coded[number] if e.code == code]
    assert events, f"no {code} event in {text!r}: {[e.code for e in coded[number]]}"
    assert all(e.standing == standing for e in events)


@pytest.mark.slow
def test_on_the_sample_corpus_still_listed_is_standing_and_the_2003_listings_are_acts(
    tmp_path: Path, examples_dir: Path
) -> None:
    db = tmp_path / "sample.db"
    result = CliRunner().invoke(main, ["-q", "--db", str(db), "ingest", str(examples_dir)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT substr(d.text, e.start + 1, e.end - e.start), e.code, e.standing FROM events e "
            "JOIN documents d ON d.id = e.doc_id WHERE e.code = '172'"
        ).fetchall()
        on_list = connection.execute("SELECT standing FROM designations WHERE rule = 'pattern:on-list'").fetchall()
    by_sentence = {sentence.split(",")[0]: bool(standing) for sentence, _, standing in rows}
    assert by_sentence["Russia still lists the Taliban as a terrorist organisation"] is True
    dated = [standing for sentence, _, standing in rows if "2003" in sentence and "still" not in sentence]
    assert dated and not any(dated)
    assert on_list and all(standing for (standing,) in on_list)
