"""QuoteExtractor on text written for these tests, through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.model import Quote, RawInput
from dyadlens.nlp.quotes import load_office_titles
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources


def quotes_of(resources: Resources, text: str, published: str = "2022-03-10") -> list[tuple[str | None, str, str]]:
    raw = RawInput(doc_id="q", path="q.txt", format="txt", data=text.encode(), meta={"published": published})
    records = build_pipeline(resources, upto="quotes")(raw)
    return [(q.speaker, q.kind, records.document.text[q.start : q.end]) for q in records.quotes]


def full_quotes(resources: Resources, text: str) -> list[Quote]:
    raw = RawInput(doc_id="q", path="q.txt", format="txt", data=text.encode(), meta={"published": "2022-03-10"})
    return build_pipeline(resources, upto="quotes")(raw).quotes


def test_direct_quote_with_inverted_said_and_a_title(resources: Resources) -> None:
    text = "“We will reopen the consulate next month,” said Foreign Minister Anna Lindqvist on Monday."
    assert quotes_of(resources, text) == [("Anna Lindqvist", "direct", "We will reopen the consulate next month,")]


def test_speaker_of_a_quote_in_the_next_sentence_is_carried(resources: Resources) -> None:
    text = (
        "“They are careful people,” said Anna Lindqvist on Monday. "
        "“They told us that they want quiet borders and steady trade with every neighbour.”"
    )
    found = quotes_of(resources, text)
    assert [speaker for speaker, _, _ in found] == ["Anna Lindqvist", "Anna Lindqvist"]
    assert found[1][2].startswith("They told us")


def test_in_her_words_quote_over_two_sentences(resources: Resources) -> None:
    text = (
        "Mayor Clara Osei visited the depot on Friday. "
        "In her words, “The trucks are ready. We only need the permits now.”"
    )
    assert quotes_of(resources, text) == [
        ("Clara Osei", "direct", "The trucks are ready. We only need the permits now.")
    ]


def test_according_to_and_a_short_quote_in_its_scope(resources: Resources) -> None:
    text = (
        "According to Ambassador Jonas Berg, “the talks were useful and calm”"
        " and the militia has kept “public order” in the town."
    )
    found = quotes_of(resources, text)
    assert ("Jonas Berg", "direct", "the talks were useful and calm") in found
    assert ("Jonas Berg", "direct", "public order") in found


def test_scare_quotes_and_names_are_not_quotes(resources: Resources) -> None:
    text = (
        "The so-called “peace dividend” never came. "
        "The group, also known as the “Northern Front”, declared “war” on the council."
    )
    assert quotes_of(resources, text) == []


def test_nested_quote_is_part_of_the_outer_quote(resources: Resources) -> None:
    text = "“He told me ‘never again’ and walked out of the room,” said Anna Lindqvist."
    assert quotes_of(resources, text) == [
        ("Anna Lindqvist", "direct", "He told me ‘never again’ and walked out of the room,")
    ]


def test_straight_quotes_and_an_unbalanced_mark_elsewhere(resources: Resources) -> None:
    text = (
        "A stray \" mark sits in this first paragraph without a partner.\n\n"
        'Jonas Berg said: "The harbour will stay open through the winter."'
    )
    assert ("Jonas Berg", "direct", "The harbour will stay open through the winter.") in quotes_of(resources, text)


def test_indirect_quote_takes_the_reported_clause(resources: Resources) -> None:
    text = "Anna Lindqvist said that the embassy would reopen before the summer."
    assert quotes_of(resources, text) == [("Anna Lindqvist", "indirect", "the embassy would reopen before the summer")]


def test_warned_of_takes_its_object_and_condition(resources: Resources) -> None:
    text = "Jonas Berg warned of a new offensive in the valley if the talks collapsed."
    assert quotes_of(resources, text) == [
        ("Jonas Berg", "indirect", "a new offensive in the valley if the talks collapsed")
    ]


def test_role_noun_speaker_is_the_last_person_named_with_that_role(resources: Resources) -> None:
    text = (
        "Swedish Ambassador Jonas Berg met the governor on Tuesday. "
        "The ambassador said that the road to the airport was safe again."
    )
    assert quotes_of(resources, text) == [("Jonas Berg", "indirect", "the road to the airport was safe again")]


def test_interview_answers_need_a_speaker_label(resources: Resources) -> None:
    labelled = (
        "This is our interview with Clara Osei about the harbour.\n"
        "Q: What happens next?\n"
        "Osei: We reopen the harbour and hire two hundred workers.\n"
    )
    unlabelled = "- What happens next?\nWe reopen the harbour and hire two hundred workers.\n"
    assert quotes_of(resources, labelled) == [
        ("Clara Osei", "direct", "We reopen the harbour and hire two hundred workers.")
    ]
    assert quotes_of(resources, unlabelled) == []


def test_quote_keeps_speaker_span_cue_and_actor(resources: Resources) -> None:
    text = "“The sanctions must stay,” said Russian Foreign Minister Sergey Lavrov."
    (quote,) = full_quotes(resources, text)
    assert quote.speaker_actor == "russia"
    assert quote.cue == "say"
    assert quote.speaker_start is not None and "Lavrov" in text[quote.speaker_start : quote.speaker_end]


def test_dateline_is_not_the_speaker_and_a_ministry_keeps_its_written_name(resources: Resources) -> None:
    text = "KABUL, May 2 (Wire) - Russia's foreign ministry said the embassy would stay open through the winter."
    (quote,) = full_quotes(resources, text)
    assert (quote.speaker, quote.speaker_actor) == ("Russia's foreign ministry", "russia")


def test_participle_after_a_speech_verb_keeps_its_speaker(resources: Resources) -> None:
    text = "Anna Lindqvist said that the council had not yet decided, adding that the file was “under review”."
    found = quotes_of(resources, text)
    assert ("Anna Lindqvist", "direct", "under review") in found


def test_speaker_office_is_taken_on_the_statement_date(resources: Resources) -> None:
    text = (
        "In 2015, the council banned the movement."
        " Two years later, Mike Pompeo warned of a threat to the region if the talks failed."
    )
    (quote,) = full_quotes(resources, text)
    assert quote.speaker == "Mike Pompeo"
    assert quote.speaker_actor == "united-states"
    assert quote.speaker_role is not None and "CIA" in quote.speaker_role


def speakers_of(
    resources: Resources, text: str, published: str = "2024-03-14"
) -> list[tuple[str | None, str | None, str, str]]:
    raw = RawInput(doc_id="q", path="q.txt", format="txt", data=text.encode(), meta={"published": published})
    records = build_pipeline(resources, upto="quotes")(raw)
    return [(q.speaker, q.speaker_actor, q.kind, records.document.text[q.start : q.end]) for q in records.quotes]


def test_multi_paragraph_quote_reopened_on_each_paragraph_keeps_its_speaker(resources: Resources) -> None:
    text = (
        "Wang Yi said the two sides had agreed to expand trade.\n\n"
        "\"China values this partnership. We have worked hard to build it over many years.\n\n"
        "\"Nobody should doubt our commitment to the region,\" he added.\n"
    )
    found = speakers_of(resources, text)
    assert (
        "Wang Yi", "china", "direct", "China values this partnership. We have worked hard to build it over many years."
    ) in found
    assert ("Wang Yi", "china", "direct", "Nobody should doubt our commitment to the region,") in found


def test_guillemets_after_a_colon_are_a_quote(resources: Resources) -> None:
    text = "Sergey Lavrov said: «Our position on this matter has not changed at all.»"
    assert speakers_of(resources, text) == [
        ("Sergey Lavrov", "russia", "direct", "Our position on this matter has not changed at all.")
    ]


def test_quote_introduced_by_a_colon_belongs_to_the_clause_subject(resources: Resources) -> None:
    text = "The Turkish foreign minister was blunt: \"We will not accept any new sanctions against our companies.\""
    ((speaker, actor, kind, words),) = speakers_of(resources, text)
    assert (actor, kind, words) == ("turkey", "direct", "We will not accept any new sanctions against our companies.")
    assert speaker is not None and "foreign minister" in speaker.lower()


def test_title_only_speaker_is_resolved_to_the_office_holder_on_the_date(resources: Resources) -> None:
    raw = RawInput(
        doc_id="q", path="q.txt", format="txt", meta={"published": "2024-03-14"},
        data=b"Iran's foreign minister said on Monday that Tehran would respond to any attack on its territory.",
    )
    (quote,) = build_pipeline(resources, upto="quotes")(raw).quotes
    assert (quote.speaker_actor, quote.kind) == ("iran", "indirect")
    assert quote.speaker_role is not None and "Amir-Abdollahian" in quote.speaker_role


def test_institution_speaker_after_a_reported_clause_takes_the_clause_state(resources: Resources) -> None:
    text = "Kenya will send more police officers to Haiti, the ministry said in a statement."
    assert speakers_of(resources, text) == [
        ("ministry", "kenya", "indirect", "Kenya will send more police officers to Haiti")
    ]


def test_told_a_briefing_that_reports_the_clause(resources: Resources) -> None:
    text = (
        "Pakistan's foreign ministry spokeswoman Mumtaz Zahra Baloch told a weekly briefing"
        " that Islamabad had raised the matter with Kabul."
    )
    assert speakers_of(resources, text) == [
        ("Mumtaz Zahra Baloch", "pakistan", "indirect", "Islamabad had raised the matter with Kabul")
    ]


def test_wire_style_attributions(resources: Resources) -> None:
    text = (
        "\"The talks were constructive and we expect another round soon,\" Antony Blinken told reporters in Cairo. "
        "“There is no military solution to this conflict,” said Antonio Guterres, the UN secretary-general."
    )
    found = [(s, a, k) for s, a, k, _ in speakers_of(resources, text)]
    assert found == [("Antony Blinken", "united-states", "direct"), ("António Guterres", "united-nations", "direct")]


def test_interview_answers_labelled_q_and_a(resources: Resources) -> None:
    text = (
        "In an interview with Hakan Fidan, we asked about the border.\n\n"
        "Q: Will Turkey reopen the crossing?\n\n"
        "A: We are ready to reopen it as soon as the security situation allows.\n"
    )
    assert speakers_of(resources, text) == [
        ("Hakan Fidan", "turkey", "direct", "We are ready to reopen it as soon as the security situation allows.")
    ]


def test_second_speech_act_in_a_reported_clause_is_its_own_quote(resources: Resources) -> None:
    text = "Grace Okafor said the ballots had been counted and said the final word belonged to the commission."
    found = [(s, k, w) for s, _, k, w in speakers_of(resources, text)]
    assert ("Grace Okafor", "indirect", "the ballots had been counted") in found
    assert ("Grace Okafor", "indirect", "the final word belonged to the commission") in found


def test_concessive_aside_is_left_out_of_the_reported_clause(resources: Resources) -> None:
    text = (
        "Chilean officials have said the border dispute remains a separate question,"
        " although they have stopped ruling out talks."
    )
    found = [w for _, _, k, w in speakers_of(resources, text) if k == "indirect"]
    assert found == ["the border dispute remains a separate question"]


def test_appeal_and_description_verbs_report_their_content(resources: Resources) -> None:
    text = (
        "The Kenyan delegation urged the other governments to release the frozen funds. "
        "Hakan Fidan described the agreement as a turning point for the region."
    )
    found = {(a, w) for _, a, k, w in speakers_of(resources, text) if k == "indirect"}
    assert ("kenya", "the other governments to release the frozen funds") in found
    assert ("turkey", "the agreement as a turning point for the region") in found


def test_their_officials_and_they_resolve_to_the_group_named_before(resources: Resources) -> None:
    text = (
        "Hamas held talks in Cairo."
        " Its officials have said that the truce is holding, and they deny that the group is rearming."
    )
    found = {(a, w) for _, a, k, w in speakers_of(resources, text) if k == "indirect"}
    assert ("hamas", "the truce is holding") in found
    assert ("hamas", "the group is rearming") in found


def test_bad_office_titles_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "titles.yaml"
    bad.write_text("titles:\n  foreign minister: []\nblockers: []\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="foreign minister") as error:
        load_office_titles(bad)
    assert str(bad) in str(error.value)


def test_an_actor_named_inside_the_quote_is_not_the_speakers(resources: Resources) -> None:
    text = (
        "“Bishkek has decided that the Taliban will stay in power,” said Aida Mamyrova, a researcher in Osh. "
        "Pakistani Foreign Minister Ishaq Dar said Islamabad would reopen the crossing."
    )
    by_speaker = {q.speaker: q.speaker_actor for q in full_quotes(resources, text)}
    assert by_speaker["Aida Mamyrova"] is None
    assert by_speaker["Ishaq Dar"] == "pakistan"
