"""QuoteExtractor on text written for these tests, through the real pipeline."""

from __future__ import annotations

from dyadlens.model import Quote, RawInput
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
    assert quotes_of(resources, text) == [("Clara Osei", "direct", "The trucks are ready. We only need the permits now.")]


def test_according_to_and_a_short_quote_in_its_scope(resources: Resources) -> None:
    text = "According to Ambassador Jonas Berg, “the talks were useful and calm” and the militia has kept “public order” in the town."
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
    assert quotes_of(resources, text) == [("Anna Lindqvist", "direct", "He told me ‘never again’ and walked out of the room,")]


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
    assert quotes_of(resources, text) == [("Jonas Berg", "indirect", "a new offensive in the valley if the talks collapsed")]


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
    assert quotes_of(resources, labelled) == [("Clara Osei", "direct", "We reopen the harbour and hire two hundred workers.")]
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
    text = "In 2003, the council banned the movement. Six years later, Dmitry Rogozin warned of a threat to the region if the talks failed."
    (quote,) = full_quotes(resources, text)
    assert quote.speaker == "Dmitry Rogozin"
    assert quote.speaker_actor == "russia"
    assert quote.speaker_role is not None and "NATO" in quote.speaker_role
