"""Threats and refusals of an action, reported demands, titled unknown people and pronoun
subjects across sentences, on sentences written for these tests."""

from __future__ import annotations

import pytest

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources


def code_text(resources: Resources, text: str) -> DocumentRecords:
    raw = RawInput(doc_id="t", path="t.txt", format="txt", data=text.encode("utf-8"), meta={"published": "2024-05-10"})
    return build_pipeline(resources, upto="event_context")(raw)


def events_of(records: DocumentRecords) -> set[tuple[str, str, str, str]]:
    return {(e.source, e.target, e.code, e.modality) for e in records.events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ghana threatened to impose sanctions on Togo.", ("ghana", "togo", "1312", "asserted")),
        (
            "Peru has threatened to break off diplomatic relations with Bolivia.",
            ("peru", "bolivia", "1313", "asserted"),
        ),
        ("Chile threatened to suspend talks with Argentina.", ("chile", "argentina", "134", "asserted")),
        ("Serbia refused to hold talks with Kosovo.", ("serbia", "kosovo", "125", "asserted")),
        ("Norway declined to sign the agreement with Iceland.", ("norway", "iceland", "127", "asserted")),
        ("Kenya could refuse to meet Uganda.", ("kenya", "uganda", "125", "possible")),
    ],
)
def test_threatened_or_refused_action_is_coded_as_the_threat_or_refusal(resources, text, expected) -> None:
    found = events_of(code_text(resources, text))
    assert expected in found
    assert not any(e[:2] == expected[:2] and e[2][:2] != expected[2][:2] for e in found)


def test_a_vow_stays_a_planned_action(resources) -> None:
    assert ("egypt", "sudan", "070", "planned") in events_of(code_text(resources, "Egypt vowed to help Sudan."))


def test_reported_must_is_a_demand_of_the_speaker(resources) -> None:
    records = code_text(resources, "Portugal said on Monday that Angola must release the detained sailors.")
    assert ("portugal", "angola", "100", "asserted") in events_of(records)


def test_reported_speech_keeps_the_claimant_of_the_embedded_event(resources) -> None:
    records = code_text(resources, "Jordan claimed that Syria had shelled Iraq.")
    event = next(e for e in records.events if (e.source, e.target) == ("syria", "iraq"))
    assert event.claimant == "jordan" and event.code.startswith("19")


def test_unknown_person_with_a_national_title_acts_for_the_state(resources) -> None:
    records = code_text(resources, "Ecuadorian Foreign Minister Ramona Quillfeather condemned Colombia.")
    assert ("ecuador", "colombia") in {(e.source, e.target) for e in records.events}


def test_subject_pronoun_of_the_next_sentence_is_the_previous_subject(resources) -> None:
    records = code_text(resources, "Vietnam hosted a delegation from Laos on Monday.\n\nIt later criticized Cambodia.")
    assert ("vietnam", "cambodia") in {(e.source, e.target) for e in records.events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fiji reported that Tonga had shelled Samoa.", ("fiji", "tonga", "112")),
        ("Mali claimed that Niger attacked Chad.", ("mali", "niger", "112")),
    ],
)
def test_reported_hostile_act_is_also_the_speakers_accusation(resources, text, expected) -> None:
    assert expected in {(e.source, e.target, e.code) for e in code_text(resources, text).events}


def test_reported_cooperation_is_no_accusation(resources) -> None:
    records = code_text(resources, "Mali said that Niger met Chad.")
    assert not any(e.code.startswith("11") for e in records.events)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moroccan soldiers beat up Algerian detainees.", ("morocco", "algeria", "18")),
        ("Malawi granted political asylum to ten Zambian activists.", ("malawi", "zambia", "07")),
        ("Liberian refugees attacked a police post.", None),
    ],
)
def test_a_countrys_people_stand_for_it_only_as_the_target(resources, text, expected) -> None:
    found = {(e.source, e.target, e.code[:2]) for e in code_text(resources, text).events}
    assert (expected in found) if expected else not any(e[0] == "liberia" for e in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nepal established diplomatic ties with Bhutan.", ("nepal", "bhutan", "05")),
        ("Latvian officials shared intelligence with Estonia.", ("latvia", "estonia", "06")),
        ("Hungary lodged a formal protest with Slovakia.", ("hungary", "slovakia", "11")),
        ("Gabon issued an ultimatum to Cameroon.", ("gabon", "cameroon", "13")),
        ("Chad provided maps and intelligence to Sudan.", ("chad", "sudan", "06")),
        ("Germany invaded Poland.", ("germany", "poland", "19")),
    ],
)
def test_common_news_wording_of_several_roots(resources, text, expected) -> None:
    assert expected in {(e.source, e.target, e.code[:2]) for e in code_text(resources, text).events}


def test_they_after_coordinated_subjects_is_each_of_them(resources) -> None:
    records = code_text(resources, "Peru and Chile met in Lima.\n\nThey signed a trade deal with Brazil.")
    found = {(e.source, e.target, e.code[:2]) for e in records.events}
    assert {("peru", "brazil", "06"), ("chile", "brazil", "06")} <= found
