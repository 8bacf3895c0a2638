"""The ``locations`` stage and where a location shows: ``events --json``, the GDELT export, the web UI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder
from dyadlens.cli import main
from dyadlens.geo.gazetteer import load_gazetteer
from dyadlens.geo.locations import LocationStage, with_place
from dyadlens.geo.places import PlaceStage
from dyadlens.geo.words import load_place_words
from dyadlens.model import ActorRef, Event, Place
from dyadlens.resources import Resources
from handmade import make_doc, make_state

pytestmark = pytest.mark.fast


def _event(state: object, trigger: str, sentence_index: int = 0) -> Event:
    text = state.text  # type: ignore[attr-defined]
    start = text.index(trigger)
    return Event("e", "handmade", 0, len(text), sentence_index, start, start + len(trigger), "a", "b", "036",
                 "asserted")


def _located(*docs: object) -> list[Event]:
    state = make_state(*docs)  # type: ignore[arg-type]
    PlaceStage(load_gazetteer(), Resources().kb, load_place_words())(state)
    state.events.append(_event(state, "met"))
    LocationStage()(state)
    return state.events


def test_a_locative_phrase_of_the_triggers_clause_places_the_event() -> None:
    doc = make_doc('''
        Envoys   envoy  NOUN   nsubj  1
        met      meet   VERB   ROOT   1
        in       _      ADP    prep   1
        Namangan _      PROPN  pobj   2
        .        _      PUNCT  punct  1
    ''', ents=[(3, 4, "GPE")])
    [event] = _located(doc)
    assert (event.place_name, event.place_country, event.place_precision, event.place_rule) == (
        "Namangan", "UZB", "city", "clause")


def test_without_a_place_in_the_sentence_the_dateline_places_it() -> None:
    doc = make_doc('''
        DUSHANBE  _     PROPN  nsubj  4
        -         _     PUNCT  punct  0
        Envoys    envoy NOUN   appos  0
        quietly   _     ADV    advmod 4
        met       meet  VERB   ROOT   4
        .         _     PUNCT  punct  4
    ''')
    [event] = _located(doc)
    assert (event.place_name, event.place_rule) == ("Dushanbe", "dateline")


def test_an_event_without_any_place_stays_unlocated() -> None:
    doc = make_doc('''
        Envoys   envoy  NOUN   nsubj  1
        met      meet   VERB   ROOT   1
        .        _      PUNCT  punct  1
    ''')
    [event] = _located(doc)
    assert event.place_name is None and event.place_rule is None


def _located_doc() -> DocBuilder:
    doc = DocBuilder("placed-01", ["Uzbek <b>envoys</b> met Tajik envoys in Termez on 2 May 2024."], "2024-05-03",
                     "Steppe Wire", "Envoys meet")
    doc.records.actors += [ActorRef("uzbekistan", "Uzbekistan", "state", iso3="UZB"),
                           ActorRef("tajikistan", "Tajikistan", "state", iso3="TJK")]
    event = doc.event(0, "met", "uzbekistan", "tajikistan", "036", "asserted", "2024-05-02")
    start, end = doc.span(0, "Termez")
    place = Place("p", doc.doc_id, start, end, 0, "Tirmiz<i>", "city", "UZB", "12", 37.2, 67.3, 1215957, "locative")
    doc.records.events[:] = [with_place(event, place, "clause")]
    return doc


@pytest.fixture()
def db(tmp_path: Path) -> str:
    from dyadlens.store import open_store

    path = tmp_path / "placed.db"
    store = open_store(path)
    store.write(_located_doc().records)
    store.close()
    return str(path)


def test_events_json_lists_the_location(db: str) -> None:
    result = CliRunner().invoke(main, ["--db", db, "--json", "events"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["place"]["country"] == "UZB" and row["place"]["words"] == "Termez"


def test_gdelt_export_fills_actiongeo_in_gdelts_forms(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = CliRunner().invoke(main, ["--db", db, "export-events", "--format", "gdelt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, row = (line.split("\t") for line in out.read_text("utf-8").splitlines()[:2])
    fields = dict(zip(header, row, strict=True))
    assert fields["ActionGeo_Type"] == "4"
    assert fields["ActionGeo_CountryCode"] == "UZ"  # FIPS 10-4
    assert fields["ActionGeo_ADM1Code"] == "UZ12"
    assert fields["ActionGeo_FullName"] == "Tirmiz<i>, Uzbekistan"
    assert fields["place_words"] == "Termez"


def test_the_document_page_shows_the_location_escaped_and_its_json_twin_carries_it(db: str) -> None:
    from dyadlens.store import open_store
    from dyadlens.web.app import WebApp
    from test_web_app import get

    resources = Resources()
    store = open_store(Path(db))
    try:
        app = WebApp(store, resources.ontology, resources.kb)
        _, _, html = get(app, "/doc/placed-01")
        _, _, twin = get(app, "/doc/placed-01?format=json")
    finally:
        store.close()
    assert "in Tirmiz&lt;i&gt;, UZB (city)" in html
    assert json.loads(twin)["events"][0]["place"]["name"] == "Tirmiz<i>"
