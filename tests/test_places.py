"""The gazetteer and the ``places`` stage: look-ups, ambiguity, metonymy, place names out of the actor list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.geo.gazetteer import gdelt_adm1_code, is_usable_name, load_countries, load_gazetteer
from dyadlens.geo.places import PlaceStage, place_role
from dyadlens.geo.words import load_place_words
from dyadlens.model import ActorRef, is_unresolved, unresolved_id
from dyadlens.resources import Resources
from handmade import add_mentions, make_doc, make_state


@pytest.fixture(scope="module")
def stage() -> PlaceStage:
    return PlaceStage(load_gazetteer(), Resources().kb, load_place_words())


@pytest.mark.fast
def test_a_city_resolves_to_its_country_region_and_coordinates() -> None:
    place = load_gazetteer().lookup("Peshawar")
    assert place is not None
    assert (place.precision, place.country, place.admin1) == ("city", "PAK", "03")
    assert place.lat is not None and 33 < place.lat < 35


@pytest.mark.fast
def test_alternate_spellings_find_the_same_city() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("Termez") == gazetteer.lookup("Tirmiz")
    assert not is_usable_name("KBL") and not is_usable_name("kabul") and is_usable_name("Kaboul")


@pytest.mark.fast
def test_ambiguity_prefers_country_then_capital_then_the_documents_countries_then_population() -> None:
    gazetteer = load_gazetteer()
    georgia, washington = gazetteer.lookup("Georgia"), gazetteer.lookup("Washington")
    assert georgia is not None and georgia.precision == "country"
    assert washington is not None and (washington.precision, washington.admin1) == ("city", "DC")
    biggest, in_turkey = gazetteer.lookup("Kazan"), gazetteer.lookup("Kazan", {"TUR"})
    assert biggest is not None and biggest.country == "RUS"
    assert in_turkey is not None and in_turkey.country == "TUR"
    assert gazetteer.lookup("Nowhereville") is None


@pytest.mark.fast
def test_gdelt_adm1_code_joins_fips_country_and_region() -> None:
    countries = load_countries()
    assert gdelt_adm1_code(countries["AFG"], "13") == "AF13"
    assert gdelt_adm1_code(countries["DEU"], None) == "GM"  # FIPS, not ISO
    assert gdelt_adm1_code(None, "13") == ""


@pytest.mark.fast
def test_roles_from_the_parse() -> None:
    words = load_place_words()
    doc = make_doc('''
        Tirmiz     _        PROPN  nsubj     1
        urged      urge     VERB   ROOT      1
        Karshi     _        PROPN  dobj      1
        to         _        PART   aux       4
        meet       _        VERB   xcomp     1
        in         _        ADP    prep      4
        Namangan   _        PROPN  pobj      5
        at         _        ADP    prep      4
        the        _        DET    det       11
        Andijan    _        PROPN  compound  11
        -          _        PUNCT  punct     11
        talks      talk     NOUN   pobj      7
        .          _        PUNCT  punct     1
    ''')
    assert place_role([doc[0]], words) == "acting"
    assert place_role([doc[2]], words) == "acting"  # object of a verb of contact
    assert place_role([doc[6]], words) == "locative"
    assert place_role([doc[9]], words) == "gathering"


@pytest.mark.fast
def test_an_unknown_place_that_acts_stands_for_its_state_and_one_that_does_not_leaves(stage: PlaceStage) -> None:
    acting = make_doc('''
        Tirmiz   _       PROPN  nsubj  1
        warned   warn    VERB   ROOT   1
        Dushanbe _       PROPN  dobj   1
        .        _       PUNCT  punct  1
    ''', ents=[(0, 1, "GPE"), (2, 3, "GPE")])
    placed = make_doc('''
        Envoys   envoy   NOUN   nsubj  1
        met      meet    VERB   ROOT   1
        in       _       ADP    prep   1
        Namangan _       PROPN  pobj   2
        .        _       PUNCT  punct  1
    ''', ents=[(3, 4, "GPE")])
    state = make_state(acting, placed, published="2024-05-10")
    for name in ("Tirmiz", "Dushanbe", "Namangan"):
        add_mentions(state, name, unresolved_id(name))
        state.add_actor(ActorRef(unresolved_id(name), name, "place", resolved=False))
    stage(state)
    by_words = {state.text[m.start : m.end]: m for m in state.mentions}
    assert by_words["Tirmiz"].actor_id == "uzbekistan" and by_words["Tirmiz"].rule == "place-metonym"
    assert by_words["Dushanbe"].actor_id == "tajikistan"
    assert "Namangan" not in by_words
    assert not any(is_unresolved(a) for a in state.actors)
    assert [(p.name, p.rule) for p in state.places] == [("Namangan", "locative")]


@pytest.mark.fast
def test_a_region_noun_makes_the_place_a_region(stage: PlaceStage) -> None:
    doc = make_doc('''
        Fighting  fighting NOUN   nsubj     1
        spread    _        VERB   ROOT      1
        in        _        ADP    prep      1
        Kandahar  _        PROPN  compound  4
        province  _        NOUN   pobj      2
        .         _        PUNCT  punct     1
    ''', ents=[(3, 5, "GPE")])
    state = make_state(doc)
    stage(state)
    assert [(p.precision, p.country, p.rule) for p in state.places] == [("admin1", "AFG", "locative")]


@pytest.mark.fast
def test_ordinary_words_and_dates_are_not_places(stage: PlaceStage) -> None:
    doc = make_doc('''
        Talks   talk  NOUN   nsubj  1
        resume  _     VERB   ROOT   1
        in      _     ADP    prep   1
        March   _     PROPN  pobj   2
        .       _     PUNCT  punct  1
    ''', ents=[(3, 4, "DATE")])
    state = make_state(doc)
    stage(state)
    assert state.places == []


@pytest.mark.fast
def test_a_dateline_names_the_documents_place(stage: PlaceStage) -> None:
    doc = make_doc('''
        DUSHANBE  _     PROPN  ROOT   0
        ,         _     PUNCT  punct  0
        May       _     PROPN  appos  0
        3         _     NUM    nummod 2
        -         _     PUNCT  punct  0
        Talks     talk  NOUN   appos  0
        ended     end   VERB   acl    5
        .         _     PUNCT  punct  0
    ''', ents=[(2, 4, "DATE")])
    state = make_state(doc)
    stage(state)
    assert [(p.name, p.country, p.rule) for p in state.places] == [("Dushanbe", "TJK", "dateline")]


def test_a_dateline_the_parse_also_tags_as_a_place_is_one_place(stage: PlaceStage) -> None:
    doc = make_doc('''
        ANKARA    _     PROPN  nsubj  5
        ,         _     PUNCT  punct  0
        March     _     PROPN  appos  0
        3         _     NUM    nummod 2
        -         _     PUNCT  punct  0
        Talks     talk  NOUN   ROOT   5
        ended     end   VERB   acl    5
        in        _     ADP    prep   6
        Ankara    _     PROPN  pobj   7
        .         _     PUNCT  punct  5
    ''', ents=[(0, 1, "GPE"), (2, 4, "DATE"), (8, 9, "GPE")])
    state = make_state(doc)
    stage(state)
    assert [(p.name, p.rule) for p in state.places] == [("Ankara", "dateline"), ("Ankara", "locative")]
    assert len({p.id for p in state.places}) == 2


@pytest.mark.slow
def test_actors_unresolved_lists_no_gazetteer_places_on_the_sample_corpus(tmp_path: Path) -> None:
    from dyadlens.cli import main

    runner = CliRunner()
    db = str(tmp_path / "sample.db")
    corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus"
    assert runner.invoke(main, ["-q", "--db", db, "ingest", str(corpus)]).exit_code == 0
    listed = runner.invoke(main, ["--db", db, "--json", "actors", "--unresolved"])
    assert listed.exit_code == 0, listed.output
    names = [row["name"] for row in json.loads(listed.output)]
    gazetteer = load_gazetteer()
    assert names, "the sample corpus still has unresolved names"
    assert not [n for n in names if n in gazetteer], names
