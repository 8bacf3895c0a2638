"""ISO 3166-2 regions, world regions and sites (venues, districts) in the gazetteer and the ``places`` stage."""

from __future__ import annotations

import pytest

from dyadlens.analysis.common import EventPlace
from dyadlens.exports.gdelt import _place_fields
from dyadlens.geo.gazetteer import load_gazetteer
from dyadlens.geo.places import PlaceStage
from dyadlens.geo.subdivisions import subdivision_names, without_diacritics
from dyadlens.geo.words import load_place_words
from dyadlens.model import ActorRef, unresolved_id
from dyadlens.resources import Resources
from dyadlens.state import DocState
from handmade import add_mentions, make_doc, make_state


@pytest.fixture(scope="module")
def stage() -> PlaceStage:
    return PlaceStage(load_gazetteer(), Resources().kb, load_place_words())


def _unresolved(state: DocState, *names: str) -> None:
    for name in names:
        add_mentions(state, name, unresolved_id(name))
        state.add_actor(ActorRef(unresolved_id(name), name, "place", resolved=False))


@pytest.mark.fast
def test_iso_names_are_indexed_without_their_type_words_and_diacritics() -> None:
    names = subdivision_names("Qara Uygur Zizhiqu", "Autonomous region", ["zizhiqu", "uygur"])
    assert "Qara" in names and "Qara Uygur Zizhiqu" in names
    assert subdivision_names("Lakeside, Respublika", "Republic", ["respublika"])[-1] == "Lakeside"
    assert without_diacritics("Bāmyān") == "Bamyan"


@pytest.mark.fast
def test_every_country_has_its_first_level_regions_without_invented_coordinates() -> None:
    gazetteer = load_gazetteer()
    for name, country in (("Kunar", "AFG"), ("Khyber Pakhtunkhwa", "PAK"), ("Xinjiang", "CHN"), ("Hebei", "CHN")):
        place = gazetteer.lookup(name)
        assert place is not None and (place.precision, place.country) == ("admin1", country), name
        assert place.admin1 is not None and place.admin1.startswith(place.admin1[:2] + "-")
        assert place.lat is None and place.lon is None


@pytest.mark.fast
def test_a_city_keeps_its_name_and_the_region_noun_asks_for_the_region() -> None:
    gazetteer = load_gazetteer()
    city = gazetteer.lookup("Kandahar")
    region = gazetteer.region("Kandahar")
    assert city is not None and city.precision == "city"
    assert region is not None and (region.precision, region.admin1) == ("admin1", "AF-KAN")


@pytest.mark.fast
def test_world_regions_have_no_country_and_members_only_where_known() -> None:
    gazetteer = load_gazetteer()
    central = gazetteer.lookup("Central Asia")
    east = gazetteer.lookup("mideast")
    assert central is not None and central.precision == "region" and central.country == ""
    assert "UZB" in central.members
    assert east is not None and east.name == "Middle East" and east.members == ()


@pytest.mark.fast
def test_an_unknown_region_in_a_locative_phrase_leaves_the_actor_list(stage: PlaceStage) -> None:
    doc = make_doc('''
        Clashes  clash  NOUN   nsubj  1
        erupted  _      VERB   ROOT   1
        in       _      ADP    prep   1
        Kunar    _      PROPN  pobj   2
        and      _      CCONJ  cc     3
        the      _      DET    det    6
        Sahel    _      PROPN  conj   3
        .        _      PUNCT  punct  1
    ''', ents=[(3, 4, "GPE"), (6, 7, "LOC")])
    state = make_state(doc)
    _unresolved(state, "Kunar", "Sahel")
    stage(state)
    assert [(p.precision, p.country) for p in state.places] == [("admin1", "AFG"), ("region", None)]
    assert state.mentions == [] and not state.actors


@pytest.mark.fast
def test_a_venue_is_a_site_placed_by_the_city_beside_it(stage: PlaceStage) -> None:
    doc = make_doc('''
        Gunmen   gunman NOUN   nsubj     1
        stormed  storm  VERB   ROOT      1
        the      _      DET    det       5
        Lumen    _      PROPN  compound  4
        Music    _      PROPN  compound  5
        Hall     _      PROPN  dobj      1
        near     _      ADP    prep      5
        Kazan    _      PROPN  pobj      6
        .        _      PUNCT  punct     1
    ''', ents=[(2, 6, "ORG"), (7, 8, "GPE")])
    state = make_state(doc)
    _unresolved(state, "Lumen Music Hall")
    stage(state)
    sites = [p for p in state.places if p.precision == "site"]
    assert [(p.name, p.country) for p in sites] == [("Lumen Music Hall", "RUS")]
    assert sites[0].lat is None
    assert state.mentions == []


@pytest.mark.fast
def test_an_organisation_without_a_venue_noun_stays_an_actor(stage: PlaceStage) -> None:
    doc = make_doc('''
        Investors  investor NOUN   nsubj     1
        bought     buy      VERB   ROOT      1
        stakes     stake    NOUN   dobj      1
        in         _        ADP    prep      2
        Lumen      _        PROPN  compound  5
        Holdings   _        PROPN  pobj      3
        .          _        PUNCT  punct     1
    ''', ents=[(4, 6, "ORG")])
    state = make_state(doc)
    _unresolved(state, "Lumen Holdings")
    stage(state)
    assert state.places == []
    assert [m.actor_id for m in state.mentions] == [unresolved_id("Lumen Holdings")]


@pytest.mark.fast
def test_gdelt_gives_world_regions_and_sites_no_geographic_type() -> None:
    region = EventPlace("Central Asia", "region", None, None, None, None, "locative", None)
    site = EventPlace("Lumen Music Hall", "site", "RUS", None, None, None, "locative", None)
    assert _place_fields(region)["ActionGeo_Type"] == ""
    fields = _place_fields(site)
    assert fields["ActionGeo_Type"] == "" and fields["ActionGeo_CountryCode"] == "RS"
