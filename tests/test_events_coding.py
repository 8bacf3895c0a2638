"""Event coding over the real pipeline, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources

Dyad = tuple[str | None, str | None, str]


def code_text(resources: Resources, text: str, published: str = "2024-05-10") -> DocumentRecords:
    raw = RawInput(doc_id="test", path="test.txt", format="txt", data=text.encode("utf-8"),
                   meta={"published": published, "title": "Test"})
    return build_pipeline(resources, upto="event_context")(raw)


def dyads(records: DocumentRecords) -> set[Dyad]:
    return {(e.source, e.target, e.code[:2]) for e in records.events}


def only_event(records: DocumentRecords, source: str, target: str):
    found = [e for e in records.events if (e.source, e.target) == (source, target)]
    assert len(found) == 1, [(e.source, e.target, e.code) for e in records.events]
    return found[0]


def test_active_verb_with_direct_object(resources: Resources) -> None:
    records = code_text(
        resources, "Turkey hosted a delegation from Qatar in Ankara on Monday.\n\nEgypt criticized Israel."
    )
    assert ("egypt", "israel", "11") in dyads(records)


def test_passive_voice_takes_the_by_agent_as_source(resources: Resources) -> None:
    records = code_text(resources, "Hamas was designated as a terrorist organization by Canada in 2002.")
    event = only_event(records, "canada", "hamas")
    assert event.code.startswith("17") and event.modality == "asserted"


def test_coordinated_subjects_of_a_symmetric_verb_give_one_event_per_pair(resources: Resources) -> None:
    records = code_text(resources, "China, Iran and Pakistan met on the sidelines of the summit last week.")
    assert {("china", "iran", "04"), ("china", "pakistan", "04"), ("iran", "pakistan", "04")} <= dyads(records)


def test_a_meeting_in_a_city_is_hosted_by_the_venues_state(resources: Resources) -> None:
    """Issue #16's gathering convention: with no host named, the venue's government hosts;
    each participant visits it and the participants are not coded with each other."""
    found = dyads(code_text(resources, "China, Iran and Pakistan met in Tashkent last week."))
    assert {("china", "uzbekistan", "04"), ("iran", "uzbekistan", "04"), ("pakistan", "uzbekistan", "04")} <= found
    assert ("china", "iran", "04") not in found


def test_coordinated_verbs_share_their_subject(resources: Resources) -> None:
    records = code_text(resources, "Japan hosted and later praised Brazil.")
    assert {("japan", "brazil", "04"), ("japan", "brazil", "05")} <= dyads(records)


def test_coordinated_objects_give_one_event_each(resources: Resources) -> None:
    records = code_text(resources, "Germany condemned Syria and Iran.")
    assert {("germany", "syria", "11"), ("germany", "iran", "11")} <= dyads(records)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany's engagement with Iran has grown since January.", ("germany", "iran", "04")),
        ("The delisting of Hamas by Norway surprised its allies.", ("norway", "hamas", "08")),
        ("Kenya imposed sanctions on Somalia.", ("kenya", "somalia", "16")),
        ("Chile expanded its military cooperation with Peru.", ("chile", "peru", "06")),
        ("Talks between Armenia and Azerbaijan resumed in May.", ("armenia", "azerbaijan", "04")),
    ],
)
def test_nominal_triggers(resources: Resources, text: str, expected: Dyad) -> None:
    assert expected in dyads(code_text(resources, text))


def test_relative_clause_antecedent_is_the_source(resources: Resources) -> None:
    records = code_text(resources, "Qatar, which hosted Iran, later criticized Israel.")
    assert {("qatar", "iran", "04"), ("qatar", "israel", "11")} <= dyads(records)


def test_governing_clause_agent(resources: Resources) -> None:
    records = code_text(resources, "France could help Mali repair its helicopters.")
    event = only_event(records, "france", "mali")
    assert event.code.startswith("06") and event.modality == "possible"


def test_two_events_in_one_sentence_with_an_accusation(resources: Resources) -> None:
    records = code_text(resources, "Iraq accuses Iran of arming Hezbollah.")
    accusation = only_event(records, "iraq", "iran")
    content = only_event(records, "iran", "hezbollah")
    assert accusation.code.startswith("11") and accusation.modality == "asserted"
    assert content.code.startswith("07") and content.modality == "alleged"


def test_reported_speech_records_the_claimant(resources: Resources) -> None:
    records = code_text(resources, "Egypt said that Israel had attacked Lebanon.")
    event = only_event(records, "israel", "lebanon")
    assert event.claimant == "egypt" and event.code.startswith("18")


def test_repeated_paragraph_is_coded_once(resources: Resources) -> None:
    paragraph = "Canada expelled two diplomats from Venezuela after a dispute over the embassy."
    once = code_text(resources, paragraph + "\n\nThe dispute continued.")
    twice = code_text(resources, paragraph + "\n\nThe dispute continued.\n\n" + paragraph)
    assert len(once.events) >= 1
    assert [(e.source, e.target, e.code) for e in twice.events] == [(e.source, e.target, e.code) for e in once.events]


def test_events_carry_evidence_trigger_rule_and_date(resources: Resources) -> None:
    text = "In March 2023, Norway hosted Colombia in Oslo."
    records = code_text(resources, text)
    event = only_event(records, "norway", "colombia")
    assert text[event.start : event.end] == text
    assert text[event.trigger_start : event.trigger_end] == "hosted"
    assert event.entry.startswith("verbs:") and 0 < event.confidence <= 1
    assert (event.route, event.source_route, event.target_route, event.cue) == ("subject", "subject", "object", None)
    assert event.date == "2023-03" and event.date_rule


def test_question_is_not_an_event(resources: Resources) -> None:
    assert code_text(resources, "Will Spain recognize Kosovo?").events == []


def test_user_verb_file_extends_the_dictionary(resources: Resources, tmp_path: Path) -> None:
    extra = tmp_path / "house.yaml"
    extra.write_text("entries:\n  - {code: '128', verb: stonewall, note: 'defiance'}\n", encoding="utf-8")
    extended = Resources(verb_files=[extra])
    extended.__dict__.update(nlp=resources.nlp, kb=resources.kb)  # share the loaded model and KB
    records = code_text(extended, "Hungary stonewalled Poland for months.")
    event = only_event(records, "hungary", "poland")
    assert event.code == "128" and event.entry.startswith("house:")


def test_parenthetical_passive_participle_describes_the_noun_before_it(resources: Resources) -> None:
    records = code_text(resources, "Officials said the Houthis (long designated as terrorists by Canada) had met Iran.")
    assert ("canada", "houthis", "17") in dyads(records)


def test_listed_actor_modifiers_of_a_meeting_give_pairwise_events(resources: Resources) -> None:
    records = code_text(
        resources, "The Turkish, Iranian and Russian foreign ministers' meeting ended without a statement."
    )
    assert {("turkey", "iran", "04"), ("turkey", "russia", "04"), ("iran", "russia", "04")} <= dyads(records)


def test_examples_and_agent_nouns_stand_for_their_actors(resources: Resources) -> None:
    text = "Japan held talks with several Asian states, including Vietnam and Indonesia."
    assert {("japan", "vietnam", "04"), ("japan", "indonesia", "04")} <= dyads(code_text(resources, text))


def test_pronoun_object_takes_the_nearest_earlier_actor_that_is_not_the_subject(resources: Resources) -> None:
    records = code_text(resources, "Syria accused Turkey, but Jordan still praised it.")
    assert ("jordan", "turkey", "05") in dyads(records)


def test_nominal_trigger_takes_the_agent_of_the_preceding_sentence(resources: Resources) -> None:
    text = "Norway has changed its approach to the region.\n\nDeeper engagement with Colombia is now essential."
    event = only_event(code_text(resources, text), "norway", "colombia")
    assert event.code.startswith("04") and event.provenance.along("implied") and event.modality == "recommended"
    assert event.confidence < 0.5


def test_footnote_citations_are_not_coded(resources: Resources) -> None:
    text = "Egypt praised Sudan.\n\n1 Egypt hosts Sudan, Example Agency, published on 3 May 2024."
    records = code_text(resources, text)
    footnotes = {s.index for s in records.sentences if s.kind == "footnote"}
    assert all(e.sentence_index not in footnotes for e in records.events)


def test_dative_recipient_is_the_target(resources: Resources) -> None:
    records = code_text(resources, "Russia gave Syria weapons.")
    assert ("russia", "syria", "07") in dyads(records)


def test_subject_pronoun_takes_an_earlier_coordinated_subject(resources: Resources) -> None:
    text = "Kenya and Uganda oppose the plan, which is why they condemned Somalia."
    assert {("kenya", "somalia", "11"), ("uganda", "somalia", "11")} <= dyads(code_text(resources, text))


def test_statement_from_a_meeting_speaks_for_its_participants(resources: Resources) -> None:
    text = (
        "The joint statement that came from the French and German leaders' summit on Monday"
        " urged Russia to withdraw."
    )
    assert {("france", "russia", "02"), ("germany", "russia", "02")} <= dyads(code_text(resources, text))


def test_government_led_by_a_person_stands_for_the_actor(resources: Resources) -> None:
    text = "Qatar hosted the administration led by Hamas for talks."
    assert ("qatar", "hamas", "04") in dyads(code_text(resources, text))


def test_threat_to_act_is_coded_once_as_a_threat_of_force(resources: Resources) -> None:
    records = code_text(resources, "North Korea threatened to attack South Korea.")
    codes = {e.code: e.modality for e in records.events if (e.source, e.target) == ("north-korea", "south-korea")}
    assert codes == {"138": "asserted"}


def test_coordinated_signatories_of_an_agreement(resources: Resources) -> None:
    records = code_text(resources, "China and Russia signed an agreement in Beijing.")
    assert ("china", "russia", "05") in dyads(records)
